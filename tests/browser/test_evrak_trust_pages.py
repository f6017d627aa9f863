"""The trust store's revocation lists and the document mailboxes in Chromium, in Turkish: the
administrator (not a Django superuser) loads an authority's CRL from its page, a file of
another authority is refused at the file field; a mailbox is added with its password, which
is never shown again, and its connection test reports the closed server."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_crl_and_mailbox_pages(page, login_as, make_user, org_tree, municipality, tmp_path):
    from biys.accounts.models import Role, RoleAssignment
    from biys.evrak import signing
    from biys.evrak.models import EvrakMailbox, RevocationList
    from biys.evrak.tests.signer import ThrowawayAuthority

    root = ThrowawayAuthority("Test Kamu SM Kök")
    trusted = signing.add_trusted_certificate(user=None, data=root.pem())
    admin = make_user("administrator", org_tree["dept"])
    RoleAssignment.objects.create(
        user=admin, role=Role.objects.get(slug="administrator"), unit=org_tree["roads"]
    )
    login_as(admin)
    page.goto(f"{trusted.get_absolute_url()}?tab=crl")
    page.get_by_role("link", name="İptal listesi dosyasını yükle").click()
    (tmp_path / "sahte.crl").write_bytes(ThrowawayAuthority("Sahte").crl())
    page.locator("#id_upload").set_input_files(str(tmp_path / "sahte.crl"))
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("body")).to_contain_text("anahtarıyla imzalanmamış")
    (tmp_path / "kok.crl").write_bytes(root.crl(encoding="der"))
    page.locator("#id_upload").set_input_files(str(tmp_path / "kok.crl"))
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("body")).to_contain_text("güncel")  # back on the list
    held = RevocationList.objects.get()
    assert held.authority == trusted
    page.goto(held.get_absolute_url())
    expect(page.locator("#crl-state")).to_contain_text("güncel")
    page.locator("#crl-fetch").click()
    expect(page.locator("body")).to_contain_text("İptal listesi indirilemedi")

    page.goto("/evrak/mailboxes/add/")
    page.locator("#id_name").fill("Belediye KEP")
    page.locator("#id_host").fill("127.0.0.1")
    page.locator("#id_port").fill("1")
    page.locator("#id_use_ssl").uncheck()
    page.locator("#id_username").fill("belediye@hs01.kep.tr")
    page.locator("#id_password").fill("Gizli-Parola-9")
    page.locator("#id_receiving_unit").select_option(str(org_tree["network"].pk))
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("body")).to_contain_text("Belediye KEP")  # back on the list
    mailbox = EvrakMailbox.objects.get()
    assert mailbox.password == "Gizli-Parola-9"
    page.goto(mailbox.get_absolute_url())
    expect(page.locator("#mailbox-test")).to_be_visible()
    assert "Gizli-Parola-9" not in page.content()
    page.locator("#mailbox-test").click()
    expect(page.locator("body")).to_contain_text("Bağlantı kurulamadı")
