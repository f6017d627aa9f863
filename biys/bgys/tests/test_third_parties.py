"""Third parties bound to confidentiality (kocaeli MADDE 4 (ee)): the parties, their signed
agreements and their state (in force, ending soon, ended), the reminder before one ends, who
may do what, the pages and the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from biys.bgys import third_party_services as services
from biys.bgys.models import AgreementState, ConfidentialityAgreement, ThirdParty
from biys.bgys.tests.factories import make_agreement, make_third_party
from biys.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_a_tax_number_has_ten_digits_and_the_name_is_trimmed(manager, org_tree):
    party = ThirdParty(unit=org_tree["network"], name="  Anadolu Yazılım  ", tax_number="123")
    with pytest.raises(ValidationError) as refused:
        services.save_third_party(third_party=party, user=manager)
    assert "tax_number" in refused.value.message_dict
    party.tax_number = "1234567890"
    services.save_third_party(third_party=party, user=manager)
    assert ThirdParty.objects.get().name == "Anadolu Yazılım"


def test_an_agreement_ends_after_it_was_signed_and_is_not_signed_in_the_future(manager, org_tree):
    party = make_third_party(org_tree["network"])
    agreement = ConfidentialityAgreement(
        third_party=party, signatory="Kerem Aydın", signed_on=in_days(1)
    )
    with pytest.raises(ValidationError) as refused:
        services.save_agreement(agreement=agreement, user=manager)
    assert "signed_on" in refused.value.message_dict
    agreement.signed_on, agreement.expires_on = in_days(-10), in_days(-10)
    with pytest.raises(ValidationError) as refused:
        services.save_agreement(agreement=agreement, user=manager)
    assert "expires_on" in refused.value.message_dict
    assert not ConfidentialityAgreement.objects.exists()


def test_the_state_follows_the_end_date(org_tree, settings):
    settings.BIYS_CONFIDENTIALITY_WARNING_DAYS = 30
    unit = org_tree["network"]
    open_ended = make_agreement(unit, signed_on=in_days(-400), expires_on=None)
    far = make_agreement(unit, signed_on=in_days(-10), expires_on=in_days(31))
    soon = make_agreement(unit, signed_on=in_days(-10), expires_on=in_days(30))
    today = make_agreement(unit, signed_on=in_days(-10), expires_on=in_days(0))
    ended = make_agreement(unit, signed_on=in_days(-400), expires_on=in_days(-1))
    assert [a.state for a in (open_ended, far, soon, today, ended)] == [
        AgreementState.VALID, AgreementState.VALID, AgreementState.EXPIRING,
        AgreementState.EXPIRING, AgreementState.EXPIRED,
    ]  # fmt: skip
    # The list's filter asks the database the same question.
    from biys.bgys.third_party_filtersets import ConfidentialityAgreementFilterSet

    def listed(state):
        queryset = ConfidentialityAgreement.objects.all()
        return set(ConfidentialityAgreementFilterSet({"state": state}, queryset=queryset).qs)

    assert listed("valid") == {open_ended, far}
    assert listed("expiring") == {soon, today}
    assert listed("expired") == {ended}


def test_who_may_record_them(manager, member, make_user, org_tree):
    party = make_third_party(org_tree["network"])
    for user in (member, make_user("bgys_manager", org_tree["roads"])):
        with pytest.raises(PermissionDenied):
            services.save_agreement(
                agreement=ConfidentialityAgreement(
                    third_party=party, signatory="X", signed_on=in_days(-1)
                ),
                user=user,
            )
    services.save_agreement(
        agreement=ConfidentialityAgreement(third_party=party, signatory="X", signed_on=in_days(-1)),
        user=manager,
    )


def test_the_managers_are_reminded_once_before_an_agreement_ends(manager, make_user, org_tree):
    unit = org_tree["network"]
    elsewhere = make_user("bgys_manager", org_tree["roads"])
    soon = make_agreement(unit, signed_on=in_days(-300), expires_on=in_days(10))
    make_agreement(unit, signed_on=in_days(-300), expires_on=in_days(200))
    make_agreement(
        unit, third_party=make_third_party(unit, name="Eski Firma", is_active=False),
        signed_on=in_days(-300), expires_on=in_days(5),
    )  # fmt: skip
    assert services.send_agreement_reminders() == {"notified": 1}
    told = Notification.objects.get(recipient=manager)
    assert "Anadolu Yazılım" in told.title and soon.expires_on.strftime("%d.%m.%Y") in told.title
    assert not Notification.objects.filter(recipient=elsewhere).exists()
    assert services.send_agreement_reminders() == {"notified": 0}  # once
    # Renewed with a new end date that is also near: reminded again.
    soon.expires_on = in_days(20)
    services.save_agreement(agreement=soon, user=manager)
    assert services.send_agreement_reminders() == {"notified": 1}


def test_pages_list_filter_and_show_the_agreements(manager, client, org_tree):
    unit = org_tree["network"]
    party = make_third_party(unit, name="Kuzey Bakım Ltd.")
    make_agreement(unit, third_party=party, signatory="Aylin Kaya", expires_on=in_days(7))
    make_agreement(unit, third_party=party, signatory="Mert Öz", expires_on=in_days(-3))
    client.force_login(manager)
    page = client.get(reverse("bgys:thirdparty", args=[party.pk]), {"tab": "agreements"})
    html = page.content.decode()
    assert "Aylin Kaya" in html and "Mert Öz" in html and 'data-state="expiring"' in html
    listing = client.get(reverse("bgys:confidentialityagreement_list"), {"state": "expiring"})
    html = listing.content.decode()
    assert "Kuzey Bakım Ltd." in html and 'data-state="expiring"' in html
    assert "Mert Öz" not in html


def test_the_agreement_list_reads_in_constant_queries(manager, client, org_tree):
    unit = org_tree["network"]
    client.force_login(manager)
    url = reverse("bgys:confidentialityagreement_list")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_agreement(unit)
    count()
    few = count()
    for number in range(5):
        make_agreement(unit, third_party=make_third_party(unit, name=f"Firma {number}"))
    assert count() == few


def test_the_api_records_an_agreement_and_lists_those_ending_soon(manager, org_tree):
    party = make_third_party(org_tree["network"])
    client = APIClient()
    client.force_authenticate(manager)
    url = "/api/v1/bgys/confidentiality-agreements/"
    response = client.post(
        url,
        {
            "third_party": party.pk,
            "signatory": "Deniz Yurt",
            "signed_on": str(in_days(-5)),
            "expires_on": str(in_days(5)),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "expiring"
    refused = client.post(
        url,
        {"third_party": party.pk, "signatory": "X", "signed_on": str(in_days(3))},
        format="json",
    )
    assert refused.status_code == 400 and "signed_on" in str(refused.json())
    listed = client.get(url, {"state": "expiring"}).json()["results"]
    assert [row["signatory"] for row in listed] == ["Deniz Yurt"]
