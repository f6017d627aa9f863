"""Address numbering and street naming: a request's steps through the services with their
refusals (visit, number, accrual, payment, certificate; refusal), the building's numbering and
the street's name history, the council's decision on a naming proposal, the permissions by role
and unit, and the pages, API and certificate PDF."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.applications.models import Application
from biys.applications.numarataj import selectors, services
from biys.applications.numarataj.choices import ProposalState, RequestState
from biys.applications.numarataj.models import (
    Building,
    BuildingNumber,
    NumberingRequest,
    NumberingTariff,
    Street,
    StreetName,
    StreetNamingProposal,
)
from biys.applications.tests.factories import (
    make_building,
    make_naming_proposal,
    make_numbering_request,
    make_street,
    numbering_type,
)
from biys.core.models import ObjectChange, PersonalDataView

pytestmark = pytest.mark.django_db

VALID_TC = "10000000146"
TODAY = date(2026, 11, 12)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("biys.applications.selectors.today", lambda: TODAY)


@pytest.fixture
def manager(make_user, org_tree):
    return make_user("applications_manager", org_tree["dept"])


@pytest.fixture
def street(org_tree):
    numbering_type(org_tree["network"])
    return make_street(org_tree["network"], name="Gül", neighbourhood="Kemerkaya")


def open_request(user, org_tree, street, **extra):
    values = {
        "user": user,
        "received_on": date(2026, 11, 2),
        "applicant_kind": "person",
        "applicant_name": "Ayşe Yılmaz",
        "tc_kimlik_no": VALID_TC,
        "responsible_unit": org_tree["network"],
        "street": street,
        "block": "204",
        "parcel": "15",
        "building_description": "Yeni yapılan iki katlı konut",
    }
    values.update(extra)
    return services.open_request(**values)


def walk_to_paid(user, numbering, fee=Decimal("350.00")):
    services.record_visit(user=user, request=numbering, visited_on=date(2026, 11, 5),
                          inspector=user, note="Yapı tamamlanmış")  # fmt: skip
    services.give_number(user=user, request=numbering, door_number="12",
                         inner_numbers="1;2, 3", numbered_on=date(2026, 11, 6))  # fmt: skip
    numbering = services.accrue_fee(user=user, request=numbering, fee=fee)
    if numbering.state == RequestState.ACCRUED:
        numbering = services.record_payment(
            user=user, request=numbering, payment_reference="MKB-1", amount=fee
        )
    return numbering


# Requests ----------------------------------------------------------------------------------


def test_a_request_is_visited_numbered_accrued_paid_and_certified(org_tree, street, manager):
    numbering = open_request(manager, org_tree, street)
    application = numbering.application
    assert application.type.code == "numarataj" and application.tc_kimlik_no == VALID_TC
    assert application.due_date == date(2026, 12, 2)  # 30 days, the type's rule
    assert application.form_data["ada_parsel"] == "204 / 15"
    assert numbering.state == RequestState.RECEIVED

    with pytest.raises(ValidationError):  # no number before the visit
        services.give_number(user=manager, request=numbering, door_number="12")
    with pytest.raises(ValidationError) as error:
        services.record_visit(user=manager, request=numbering, visited_on=date(2026, 11, 1),
                              inspector=manager)  # fmt: skip
    assert "visited_on" in error.value.message_dict
    numbering = services.record_visit(user=manager, request=numbering,
                                      visited_on=date(2026, 11, 5), inspector=manager,
                                      note="Yapı tamamlanmış")  # fmt: skip
    assert numbering.state == RequestState.VISITED and numbering.inspector == manager

    numbering = services.give_number(user=manager, request=numbering, door_number="12",
                                     inner_numbers="1;2, 3", numbered_on=date(2026, 11, 6))  # fmt: skip
    building = numbering.building
    assert (building.street, building.door_number, building.block, building.parcel) == (
        street, "12", "204", "15",
    )  # fmt: skip
    assert numbering.inner_numbers == building.inner_numbers == "1, 2, 3"
    assert numbering.address == "Kemerkaya Mah. Gül Sk. No: 12"
    entry = BuildingNumber.objects.get(building=building)
    assert (entry.door_number, entry.given_on, entry.request) == ("12", date(2026, 11, 6),
                                                                   numbering)  # fmt: skip

    with pytest.raises(ValidationError):  # no certificate before the payment
        services.issue_certificate(user=manager, request=numbering)
    numbering = services.accrue_fee(user=manager, request=numbering, fee=Decimal("350"))
    assert numbering.accrual_number == "NUM-TAH-2026-00001"
    assert numbering.state == RequestState.ACCRUED
    with pytest.raises(ValidationError) as error:
        services.record_payment(user=manager, request=numbering, payment_reference="MKB-1",
                                amount=Decimal("300"))  # fmt: skip
    assert "amount" in error.value.message_dict
    numbering = services.record_payment(user=manager, request=numbering,
                                        payment_reference="MKB-1", amount=Decimal("350.00"))  # fmt: skip
    assert numbering.state == RequestState.PAID and numbering.paid_on == TODAY

    numbering = services.issue_certificate(user=manager, request=numbering)
    assert numbering.state == RequestState.ISSUED
    assert numbering.certificate_number == "NUM-BLG-2026-00001"
    application.refresh_from_db()
    assert application.state == "answered" and "NUM-BLG-2026-00001" in application.outcome_note
    # Each step is change-logged.
    assert ObjectChange.objects.filter(object_id=str(numbering.pk)).count() >= 6


def test_a_zero_fee_is_an_exemption_that_needs_no_payment(org_tree, street, manager):
    numbering = walk_to_paid(manager, open_request(manager, org_tree, street), fee=Decimal("0"))
    assert numbering.state == RequestState.PAID and numbering.paid_on == TODAY


def test_a_door_number_is_given_once_on_a_street(org_tree, street, manager):
    make_building(org_tree["network"], street=street, door_number="12")
    numbering = open_request(manager, org_tree, street)
    services.record_visit(user=manager, request=numbering, visited_on=TODAY, inspector=manager)
    with pytest.raises(ValidationError) as error:
        services.give_number(user=manager, request=numbering, door_number="12")
    assert "door_number" in error.value.message_dict
    numbering.refresh_from_db()
    assert numbering.state == RequestState.VISITED and numbering.building is None


def test_a_building_renumbered_keeps_its_history(org_tree, street, manager):
    building = make_building(org_tree["network"], street=street, door_number="7")
    other = make_street(org_tree["network"], name="Lale", neighbourhood="Kemerkaya")
    numbering = open_request(manager, org_tree, other)
    services.record_visit(user=manager, request=numbering, visited_on=TODAY, inspector=manager)
    services.give_number(user=manager, request=numbering, door_number="3", building=building)
    building.refresh_from_db()
    assert (building.street, building.door_number) == (other, "3")
    history = selectors.building_numbers(building)
    assert [(entry.street.name, entry.door_number) for entry in history] == [("Lale", "3")]
    assert selectors.street_buildings(other) == [building]


def test_a_request_is_refused_with_its_reason_until_paid(org_tree, street, manager):
    numbering = open_request(manager, org_tree, street)
    with pytest.raises(ValidationError):
        services.refuse_request(user=manager, request=numbering, reason=" ")
    numbering = services.refuse_request(
        user=manager, request=numbering, reason="Parselde yapı bulunmuyor"
    )
    assert numbering.state == RequestState.REFUSED
    application = numbering.application
    application.refresh_from_db()
    assert application.state == "refused"
    assert application.refusal_ground == "Parselde yapı bulunmuyor"
    assert services.request_actions(manager, numbering) == set()

    paid = walk_to_paid(manager, open_request(manager, org_tree, street, parcel="16"))
    with pytest.raises(ValidationError):
        services.refuse_request(user=manager, request=paid, reason="Geç kaldı")


def test_the_applicant_is_identified_or_nothing_is_saved(org_tree, street, manager):
    before = Application.objects.count()
    with pytest.raises(ValidationError) as error:
        open_request(manager, org_tree, street, tc_kimlik_no="12345678901", block=" ")
    assert {"tc_kimlik_no", "block"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        open_request(manager, org_tree, street, applicant_kind="company", tax_number="1")
    assert "tax_number" in error.value.message_dict
    assert Application.objects.count() == before and not NumberingRequest.objects.exists()


def test_start_a_request_on_an_application_already_recorded(org_tree, street, manager):
    from biys.applications.tests.factories import make_application

    application = make_application(org_tree["network"], type=numbering_type())
    numbering = services.start_request(user=manager, application=application, street=street,
                                       block="10", parcel="2")  # fmt: skip
    assert numbering.application == application
    with pytest.raises(ValidationError):
        services.start_request(user=manager, application=application, street=street,
                               block="10", parcel="2")  # fmt: skip
    with pytest.raises(ValidationError):
        services.start_request(user=manager, application=make_application(org_tree["network"]),
                               street=street, block="10", parcel="2")  # fmt: skip


@pytest.mark.parametrize(
    ("role", "where", "allowed"),
    [
        ("applications_clerk", "network", set()),
        ("applications_responder", "network", {"visit", "refuse"}),
        ("applications_manager", "dept", {"visit", "refuse"}),
        ("applications_manager", "roads", set()),
        ("technician", "network", set()),
    ],
)
def test_who_may_take_which_step(org_tree, street, make_user, role, where, allowed):
    numbering = make_numbering_request(org_tree["network"], street=street)
    user = make_user(role, org_tree[where])
    assert services.request_actions(user, numbering) == allowed
    if "visit" not in allowed:
        with pytest.raises(PermissionDenied):
            services.record_visit(user=user, request=numbering, visited_on=TODAY, inspector=user)


def test_only_the_collector_accrues(org_tree, street, manager, make_user):
    responder = make_user("applications_responder", org_tree["network"])
    numbering = open_request(manager, org_tree, street)
    services.record_visit(user=responder, request=numbering, visited_on=TODAY,
                          inspector=responder)  # fmt: skip
    services.give_number(user=responder, request=numbering, door_number="5")
    with pytest.raises(PermissionDenied):
        services.accrue_fee(user=responder, request=numbering, fee=Decimal("100"))
    assert services.request_actions(manager, NumberingRequest.objects.get()) >= {"accrue"}


# Streets and naming proposals --------------------------------------------------------------


# The fee by the tariff ---------------------------------------------------------------------


@pytest.fixture
def tariff():
    """Certificate 100 TL, raised to 150 from 10.11.2026 (and to 999 from December); a door
    number 200 TL; each inner door number 25 TL."""
    for kind, valid_from, amount in (
        ("certificate", date(2026, 1, 1), "100"), ("certificate", date(2026, 11, 10), "150"),
        ("certificate", date(2026, 12, 1), "999"), ("door_number", date(2026, 1, 1), "200"),
        ("inner_number", date(2026, 1, 1), "25"),
    ):  # fmt: skip
        NumberingTariff.objects.create(
            kind=kind, valid_from=valid_from, amount=Decimal(amount), council_decision="512"
        )


def numbered(user, numbering):
    services.record_visit(user=user, request=numbering, visited_on=date(2026, 11, 5),
                          inspector=user)  # fmt: skip
    return services.give_number(user=user, request=numbering, door_number="12",
                                inner_numbers="1;2, 3", numbered_on=date(2026, 11, 6))  # fmt: skip


def test_the_tariff_valid_on_the_accrual_day_prices_the_fee(org_tree, street, manager, tariff):
    assert selectors.tariff_on(date(2025, 12, 31)) == {}
    assert selectors.tariff_on(date(2026, 11, 9))["certificate"].amount == Decimal("100")
    assert selectors.tariff_on(date(2026, 11, 10))["certificate"].amount == Decimal("150")
    assert selectors.tariff_on(date(2026, 12, 1))["certificate"].amount == Decimal("999")
    numbering = numbered(manager, open_request(manager, org_tree, street))
    quote = selectors.tariff_fee(numbering, date(2026, 11, 9))
    assert [line[1:] for line in quote.lines] == [
        (1, Decimal("100"), Decimal("100")),
        (1, Decimal("200"), Decimal("200")),
        (3, Decimal("25"), Decimal("75")),
    ]
    numbering = services.accrue_fee(user=manager, request=numbering, accrued_on=date(2026, 11, 9))
    assert numbering.fee == numbering.tariff_fee == Decimal("375.00")
    assert numbering.fee_reason == "" and numbering.state == RequestState.ACCRUED


def test_another_fee_than_the_tariffs_needs_its_reason(org_tree, street, manager, tariff):
    numbering = numbered(manager, open_request(manager, org_tree, street))
    with pytest.raises(ValidationError) as error:
        services.accrue_fee(user=manager, request=numbering, fee=Decimal("0"))
    assert "fee_reason" in error.value.message_dict
    numbering = services.accrue_fee(
        user=manager, request=numbering, fee=Decimal("0"), fee_reason="Şehit yakını muafiyeti"
    )
    assert numbering.state == RequestState.PAID and numbering.fee == 0
    assert numbering.tariff_fee == Decimal("425.00")  # today's certificate: 150
    assert numbering.fee_reason == "Şehit yakını muafiyeti"


def test_without_a_tariff_the_fee_is_typed(org_tree, street, manager):
    numbering = numbered(manager, open_request(manager, org_tree, street))
    assert selectors.tariff_fee(numbering, TODAY) is None
    with pytest.raises(ValidationError) as error:
        services.accrue_fee(user=manager, request=numbering)
    assert "fee" in error.value.message_dict
    numbering = services.accrue_fee(user=manager, request=numbering, fee=Decimal("350"))
    assert numbering.fee == Decimal("350.00") and numbering.tariff_fee is None


def test_the_page_shows_the_tariffs_fee_and_accrues_it(client, org_tree, street, manager, tariff):
    numbering = numbered(manager, open_request(manager, org_tree, street))
    client.force_login(manager)
    page = client.get(numbering.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert 'data-testid="fee-quote"' in page and "425,00 TL" in page
    url = reverse("applications:numarataj_request_action", args=[numbering.pk, "accrue"])
    client.post(url, {"accrue-fee": "400"})
    numbering.refresh_from_db()
    assert numbering.state == RequestState.NUMBERED  # another fee with no reason
    client.post(url, {"accrue-fee": ""})
    numbering.refresh_from_db()
    assert numbering.state == RequestState.ACCRUED and numbering.fee == Decimal("425.00")


def test_a_new_street_starts_its_name_history_and_a_correction_keeps_it(org_tree, manager):
    street = services.save_street(
        user=manager,
        street=Street(
            name="  Yeni   Yol ", kind="cadde", neighbourhood="Kemerkaya", unit=org_tree["network"]
        ),
        named_on=date(2020, 1, 1),
    )
    assert street.name == "Yeni Yol"
    assert [(n.name, n.valid_from) for n in selectors.street_names(street)] == [
        ("Yeni Yol", date(2020, 1, 1))
    ]
    street.name = "Yeni Yol Düzeltme"
    services.save_street(user=manager, street=street)
    assert [n.name for n in selectors.street_names(street)] == ["Yeni Yol Düzeltme"]


def test_an_accepted_proposal_renames_the_street_from_the_decision_day(
    org_tree, street, manager, make_user
):
    clerk = make_user("applications_clerk", org_tree["network"])
    proposal = services.save_proposal(
        user=clerk,
        proposal=StreetNamingProposal(
            proposed_name="Şehit Ahmet Yılmaz",
            street=street,
            justification="Mahalle sakinlerinin talebi",
            unit=org_tree["network"],
        ),
    )
    assert proposal.neighbourhood == "Kemerkaya"
    proposal = services.send_to_council(user=clerk, proposal=proposal, sent_on=date(2026, 10, 1))
    assert proposal.state == ProposalState.SENT
    with pytest.raises(ValidationError):  # no change once sent
        services.save_proposal(user=clerk, proposal=proposal)
    with pytest.raises(PermissionDenied):  # the clerk does not record the council's decision
        services.record_decision(user=clerk, proposal=proposal, decision="accepted",
                                 decision_number="2026/45", decision_date=date(2026, 11, 4))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.record_decision(user=manager, proposal=proposal, decision="amended",
                                 decision_number="2026/45", decision_date=date(2026, 11, 4))  # fmt: skip
    assert "decided_name" in error.value.message_dict
    proposal = services.record_decision(
        user=manager, proposal=proposal, decision="amended", decision_number="2026/45",
        decision_date=date(2026, 11, 4), decided_name="Şehit Piyade Ahmet Yılmaz",
    )  # fmt: skip
    assert proposal.state == ProposalState.AMENDED
    street.refresh_from_db()
    assert street.name == "Şehit Piyade Ahmet Yılmaz"
    latest = selectors.street_names(street)[0]
    assert (latest.name, latest.valid_from, latest.proposal) == (
        "Şehit Piyade Ahmet Yılmaz", date(2026, 11, 4), proposal,
    )  # fmt: skip
    assert "2026/45" in latest.council_decision


def test_an_accepted_proposal_for_a_new_street_registers_it(org_tree, manager):
    from biys.applications.tests.factories import make_application

    application = make_application(org_tree["network"])
    proposal = make_naming_proposal(org_tree["network"], application=application)
    services.send_to_council(user=manager, proposal=proposal)
    proposal = services.record_decision(
        user=manager, proposal=proposal, decision="accepted", decision_number="2026/46",
        decision_date=TODAY,
    )  # fmt: skip
    street = proposal.street
    assert (street.name, street.neighbourhood, street.unit) == (
        "Şehit Ahmet Yılmaz", "Kemerkaya", org_tree["network"],
    )  # fmt: skip
    assert StreetName.objects.filter(street=street).count() == 1
    application.refresh_from_db()
    assert application.state == "answered" and "Şehit Ahmet Yılmaz" in application.outcome_note


def test_a_rejected_proposal_leaves_the_street_as_it_was(org_tree, street, manager):
    proposal = make_naming_proposal(org_tree["network"], street=street)
    services.send_to_council(user=manager, proposal=proposal)
    proposal = services.record_decision(user=manager, proposal=proposal, decision="rejected",
                                        decision_number="2026/47", decision_date=TODAY)  # fmt: skip
    street.refresh_from_db()
    assert proposal.state == ProposalState.REJECTED and street.name == "Gül"
    assert StreetName.objects.filter(street=street).count() == 0


# Pages, API, files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/applications/numarataj/requests/", "/api/v1/applications/numbering-requests/"]
)
def test_the_list_takes_as_many_queries_for_any_page_size(client, org_tree, manager, url):
    client.force_login(manager)
    for _ in range(3):
        make_numbering_request(org_tree["network"])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"per_page": 25, "limit": 25})
        assert response.status_code == 200
        return len(queries)

    few = count()
    for _ in range(20):
        make_numbering_request(org_tree["network"])
    assert count() == few


def test_the_request_pages_in_the_browser_flow(client, org_tree, street, manager):
    client.force_login(manager)
    response = client.post(
        reverse("applications:numberingrequest_add"),
        {
            "received_on": "2026-11-02", "channel": "counter", "applicant_kind": "person",
            "applicant_name": "Ayşe Yılmaz", "tc_kimlik_no": VALID_TC, "street": street.pk,
            "block": "204", "parcel": "15", "responsible_unit": org_tree["network"].pk,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    numbering = NumberingRequest.objects.get()
    page = client.get(numbering.get_absolute_url()).content.decode()
    assert VALID_TC not in page and 'data-testid="visit-form"' in page

    def action(name, data=None):
        return client.post(
            reverse("applications:numarataj_request_action", args=[numbering.pk, name]),
            data or {},
        )

    action("visit", {"visit-visited_on": "2026-11-05", "visit-inspector": manager.pk})
    action("number", {"number-door_number": "12", "number-inner_numbers": "1, 2"})
    action("accrue", {"accrue-fee": "350"})
    action("pay", {"pay-payment_reference": "MKB-77", "pay-amount": "350.00"})
    assert client.get(
        reverse("applications:numarataj_certificate_pdf", args=[numbering.pk])
    ).status_code == 404  # fmt: skip
    action("issue")
    numbering.refresh_from_db()
    assert numbering.state == RequestState.ISSUED
    pdf = client.get(reverse("applications:numarataj_certificate_pdf", args=[numbering.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    street_page = client.get(street.get_absolute_url()).content.decode()
    assert 'id="street-buildings"' in street_page and "1, 2" in street_page
    building_page = client.get(numbering.building.get_absolute_url()).content.decode()
    assert numbering.application.number in building_page

    response = client.post(reverse("applications:reveal", args=[numbering.application.pk]))
    assert VALID_TC in response.content.decode()
    assert PersonalDataView.objects.filter(object_id=str(numbering.application.pk)).exists()


def test_bad_input_on_the_add_page_is_a_field_error(client, org_tree, street, manager):
    client.force_login(manager)
    response = client.post(
        reverse("applications:numberingrequest_add"),
        {"received_on": "2026-11-02", "channel": "counter", "applicant_kind": "person",
         "applicant_name": "Ayşe", "tc_kimlik_no": "123", "street": street.pk, "block": "1",
         "parcel": "2", "responsible_unit": org_tree["network"].pk},
    )  # fmt: skip
    assert response.status_code == 400 and not NumberingRequest.objects.exists()


def test_the_certificate_of_another_unit_is_not_found(client, org_tree, street, make_user):
    numbering = make_numbering_request(org_tree["network"], street=street,
                                       certificate_number="NUM-BLG-2026-00009",
                                       certificate_issued_on=TODAY, door_number="4")  # fmt: skip
    url = reverse("applications:numarataj_certificate_pdf", args=[numbering.pk])
    client.force_login(make_user("applications_manager", org_tree["roads"]))
    assert client.get(url).status_code == 404
    client.force_login(make_user("applications_clerk", org_tree["network"]))
    assert client.get(url).status_code == 200


def test_a_step_out_of_scope_is_not_found_and_a_step_not_allowed_is_forbidden(
    client, org_tree, street, make_user
):
    numbering = make_numbering_request(org_tree["network"], street=street)
    url = reverse("applications:numarataj_request_action", args=[numbering.pk, "visit"])
    client.force_login(make_user("applications_manager", org_tree["roads"]))
    assert client.post(url).status_code == 404
    client.force_login(make_user("applications_clerk", org_tree["network"]))
    assert client.post(url).status_code == 403


def test_the_proposal_pages(client, org_tree, street, manager):
    client.force_login(manager)
    response = client.post(
        reverse("applications:streetnamingproposal_add"),
        {"proposed_name": "Çınar", "street": street.pk, "kind": "sokak",
         "justification": "Asırlık çınar ağacı", "unit": org_tree["network"].pk},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = StreetNamingProposal.objects.get()
    url = lambda name: reverse(  # noqa: E731
        "applications:numarataj_proposal_action", args=[proposal.pk, name]
    )
    client.post(url("send"), {"send-sent_on": "2026-11-01"})
    client.post(url("decide"), {"decide-decision": "accepted", "decide-decision_number": "2026/9",
                                "decide-decision_date": "2026-11-10"})  # fmt: skip
    street.refresh_from_db()
    assert street.name == "Çınar"
    page = client.get(street.get_absolute_url()).content.decode()
    assert "10.11.2026" in page and "2026/9" in page


def test_the_api_takes_a_request_through_its_steps(client, org_tree, street, manager):
    client.force_login(manager)
    base = "/api/v1/applications/numbering-requests/"
    response = client.post(
        base,
        {"received_on": "2026-11-02", "applicant_kind": "person", "applicant_name": "Ali Veli",
         "tc_kimlik_no": VALID_TC, "responsible_unit": org_tree["network"].pk,
         "street": street.pk, "block": "204", "parcel": "15"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]

    def post(step, body=None):
        return client.post(f"{base}{request_id}/{step}/", body or {},
                           content_type="application/json")  # fmt: skip

    early = post("number", {"door_number": "12"})
    assert early.status_code == 400
    assert early["Content-Type"].startswith("application/problem+json")
    assert post("visit", {"visited_on": "2026-11-05", "inspector": manager.pk}).status_code == 200
    assert post("number", {"door_number": "12"}).json()["state"] == "numbered"
    accrued = post("accrue", {"fee": "200.00"}).json()
    assert accrued["accrual_number"] == "NUM-TAH-2026-00001" and accrued["tariff_fee"] is None
    refused = post("payment", {"payment_reference": "X", "amount": "10.00"})
    assert refused.status_code == 400 and "amount" in refused.json()["errors"]
    assert post("payment", {"payment_reference": "EFT", "amount": "200"}).json()["state"] == "paid"
    issued = post("issue").json()
    assert issued["state"] == "issued" and issued["certificate_number"] == "NUM-BLG-2026-00001"

    building_id = issued["building"]
    building = client.get(f"/api/v1/applications/buildings/{building_id}/").json()
    assert building["numbers"][0]["door_number"] == "12"
    assert client.get(f"/api/v1/applications/streets/{street.pk}/").status_code == 200


def test_the_api_records_and_decides_a_proposal(client, org_tree, street, manager, make_user):
    client.force_login(make_user("applications_clerk", org_tree["network"]))
    base = "/api/v1/applications/street-naming-proposals/"
    response = client.post(
        base,
        {"proposed_name": "Ihlamur", "street": street.pk, "justification": "Öneri",
         "unit": org_tree["network"].pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    proposal_id = response.json()["id"]
    assert client.post(f"{base}{proposal_id}/send/", {"sent_on": "2026-11-01"}, content_type="application/json").json()[
        "state"
    ] == "sent"  # fmt: skip
    body = {"decision": "accepted", "decision_number": "2026/3", "decision_date": "2026-11-11"}
    assert client.post(f"{base}{proposal_id}/decide/", body,
                       content_type="application/json").status_code == 403  # fmt: skip
    client.force_login(manager)
    decided = client.post(f"{base}{proposal_id}/decide/", body, content_type="application/json")
    assert decided.status_code == 200 and decided.json()["state"] == "accepted"
    names = client.get(f"/api/v1/applications/streets/{street.pk}/").json()["names"]
    assert names[0]["name"] == "Ihlamur" and names[0]["valid_from"] == "2026-11-11"
    assert Building.objects.count() == 0
