"""What the mailbox page and API tests share: the people who hold the mailbox permissions (or
not), English answers, and a KEP account on the real test servers (the service desk's Dovecot
for IMAP, test_kep.py's aiosmtpd submission server for SMTP)."""

import pytest

from biys.evrak.models import EvrakMailbox
from biys.evrak.tests.test_kep import SMTP_PASSWORD, SMTP_USER


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.BIYS_EVRAK_KEP_TIMEOUT = 10


@pytest.fixture
def people(make_user, org_tree):
    return {
        "head": make_user("department_head", org_tree["dept"]),
        "other_head": make_user("department_head", org_tree["roads"]),
        "clerk": make_user("evrak_clerk", org_tree["dept"]),
    }


def kep_account_on(unit, imap_inbox, kep_server) -> EvrakMailbox:
    """A KEP account of ``unit`` that reads from ``imap_inbox`` and sends through ``kep_server``
    with the account's own login."""
    return EvrakMailbox.objects.create(
        name="Belediye KEP hesabı",
        kind="kep",
        host=imap_inbox.host,
        port=imap_inbox.port,
        use_ssl=False,
        username=imap_inbox.user,
        password=imap_inbox.password,
        receiving_unit=unit,
        address=SMTP_USER,
        smtp_host=kep_server.host,
        smtp_port=kep_server.port,
        smtp_security="none",
        smtp_username=SMTP_USER,
        smtp_password=SMTP_PASSWORD,
    )
