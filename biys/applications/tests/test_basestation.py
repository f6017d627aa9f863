"""Base-station sites: a permit's steps through the services with their refusals (documents,
inspection, decision, contract, yearly accrual and its payment, right of way), complaints tied
to a site, the permissions by role and unit, and the pages, API and map."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from biys.applications.basestation import selectors, services
from biys.applications.basestation.choices import ComplaintState, SiteState
from biys.applications.basestation.models import BaseStationSite, SiteAccrual
from biys.applications.choices import State
from biys.applications.tests.factories import make_operator, site_permit_type
from biys.core.models import ObjectChange

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 12)
DOCUMENTS = ["Başvuru dilekçesi", "BTK yetkilendirme belgesi", "Vaziyet planı"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("biys.applications.selectors.today", lambda: TODAY)


@pytest.fixture
def manager(make_user, org_tree):
    return make_user("applications_manager", org_tree["dept"])


@pytest.fixture
def operator(org_tree):
    site_permit_type(org_tree["network"])
    site_permit_type(org_tree["network"], code=selectors.MOBILE_TYPE_CODE)
    site_permit_type(org_tree["network"], code=selectors.COMPLAINT_TYPE_CODE)
    return make_operator(org_tree["network"], name="Kuzey Mobil A.Ş.", tax_number="1234567890")


def open_site(user, org_tree, operator, **extra):
    values = {
        "user": user,
        "received_on": date(2026, 11, 2),
        "operator": operator,
        "kind": "rooftop",
        "latitude": Decimal("36.8121"),
        "longitude": Decimal("34.6415"),
        "site_code": "MER0123",
        "neighbourhood": "Çankaya",
        "address": "Atatürk Cd. No: 5 çatısı",
        "block": "204",
        "parcel": "15",
        "responsible_unit": org_tree["network"],
    }
    values.update(extra)
    return services.open_site(**values)


def walk_to_contract(user, site, amount=Decimal("24000"), start=date(2025, 1, 1)):
    services.record_documents(user=user, site=site, documents=DOCUMENTS)
    services.record_inspection(user=user, site=site, inspected_on=date(2026, 11, 5),
                               inspector=user, note="Statik rapor uygun")  # fmt: skip
    services.decide(user=user, site=site, decision="approved", decided_on=date(2026, 11, 6),
                    decision_number="2026/14")  # fmt: skip
    return services.record_contract(
        user=user, site=site, contract_kind="rent", contract_number="KRA-2026-7",
        contract_start=start, contract_end=date(2029, 12, 31), yearly_amount=amount,
    )  # fmt: skip


# Permits -----------------------------------------------------------------------------------


def test_a_permit_is_inspected_decided_contracted_and_accrued_each_year(
    org_tree, operator, manager
):
    site = open_site(manager, org_tree, operator)
    application = site.application
    assert application.type.code == selectors.PERMIT_TYPE_CODE
    assert application.applicant_name == "Kuzey Mobil A.Ş." and application.tax_number
    assert application.due_date == date(2026, 12, 2)  # 30 days, the type's rule
    assert site.state == SiteState.RECEIVED and site.latitude == Decimal("36.812100")

    with pytest.raises(ValidationError) as error:  # no decision before the inspection
        services.decide(user=manager, site=site, decision="approved")
    assert "decision" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_inspection(user=manager, site=site, inspected_on=date(2026, 11, 1),
                                   inspector=manager)  # fmt: skip
    assert "inspected_on" in error.value.message_dict
    site = services.record_inspection(user=manager, site=site, inspected_on=date(2026, 11, 5),
                                      inspector=manager, note="Uygun")  # fmt: skip
    assert site.state == SiteState.INSPECTED

    with pytest.raises(ValidationError) as error:  # the documents the type requires first
        services.decide(user=manager, site=site, decision="approved")
    assert "Vaziyet planı" in str(error.value)
    with pytest.raises(ValidationError):
        services.record_documents(user=manager, site=site, documents=["Tapu"])
    services.record_documents(user=manager, site=site, documents=DOCUMENTS)
    site = services.decide(user=manager, site=site, decision="approved",
                           decided_on=date(2026, 11, 6), decision_number="2026/14")  # fmt: skip
    assert site.state == SiteState.APPROVED
    application.refresh_from_db()
    assert application.state == State.ANSWERED and application.answered_on == date(2026, 11, 6)

    with pytest.raises(ValidationError) as error:
        services.accrue_year(user=manager, site=site, year=2026)
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_contract(user=manager, site=site, contract_kind="rent",
                                 contract_number="K-1", contract_start=date(2026, 1, 1),
                                 contract_end=date(2025, 1, 1), yearly_amount=Decimal(1))  # fmt: skip
    assert set(error.value.message_dict) == {"contract_start", "contract_end"}
    site = services.record_contract(
        user=manager, site=site, contract_kind="rent", contract_number="KRA-2026-7",
        contract_start=date(2026, 11, 6), contract_end=date(2031, 11, 5),
        yearly_amount=Decimal("24000"),
    )  # fmt: skip
    assert site.state == SiteState.CONTRACTED
    assert services.accruable_years(site) == [2026]  # the years up to this one
    with pytest.raises(ValidationError):
        services.accrue_year(user=manager, site=site, year=2027)
    accrual = services.accrue_year(user=manager, site=site, year=2026)
    assert accrual.accrual_number == "BAZ-TAH-2026-00001"
    assert accrual.amount == Decimal("24000.00") and accrual.paid_on is None
    with pytest.raises(ValidationError) as error:  # once a year
        services.accrue_year(user=manager, site=site, year=2026)
    assert "year" in error.value.message_dict and site.accruals.count() == 1
    with pytest.raises(ValidationError):  # the contract no longer changes
        services.record_contract(user=manager, site=site, contract_kind="fee",
                                 contract_number="K-2", contract_start=date(2026, 11, 6),
                                 contract_end=date(2027, 1, 1), yearly_amount=Decimal(1))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.record_accrual_payment(user=manager, accrual=accrual,
                                        payment_reference="MKB-9", amount=Decimal("100"))  # fmt: skip
    assert "amount" in error.value.message_dict
    accrual = services.record_accrual_payment(user=manager, accrual=accrual,
                                              payment_reference="MKB-9",
                                              amount=Decimal("24000"))  # fmt: skip
    assert accrual.paid_on == TODAY
    assert ObjectChange.objects.filter(object_repr__startswith="BAZ-TAH-2026-00001").exists()


def test_each_contract_year_up_to_this_one_is_accrued(org_tree, operator, manager, monkeypatch):
    site = walk_to_contract(manager, open_site(manager, org_tree, operator),
                            start=date(2026, 11, 6))  # fmt: skip
    monkeypatch.setattr("biys.applications.selectors.today", lambda: date(2028, 3, 1))
    assert services.accruable_years(site) == [2026, 2027, 2028]
    services.accrue_year(user=manager, site=site, year=2027)
    assert services.accruable_years(site) == [2026, 2028]
    assert "accrue" in services.site_actions(manager, site)
    assert "pay" in services.site_actions(manager, site)


def test_the_contract_cannot_start_before_the_decision(org_tree, operator, manager):
    with pytest.raises(ValidationError) as error:
        walk_to_contract(manager, open_site(manager, org_tree, operator))
    assert "contract_start" in error.value.message_dict


def test_a_refusal_needs_its_reason_and_refuses_the_application(org_tree, operator, manager):
    site = open_site(manager, org_tree, operator)
    services.record_inspection(user=manager, site=site, inspected_on=date(2026, 11, 5),
                               inspector=manager)  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.decide(user=manager, site=site, decision="refused")
    assert "note" in error.value.message_dict
    site = services.decide(user=manager, site=site, decision="refused",
                           note="İmar planına aykırı")  # fmt: skip
    assert site.state == SiteState.REFUSED
    site.application.refresh_from_db()
    assert site.application.state == State.REFUSED
    assert site.application.refusal_ground == "İmar planına aykırı"
    assert services.site_actions(manager, site) == set()


def test_a_mobile_station_is_an_application_of_its_own_type(org_tree, operator, manager):
    site = open_site(manager, org_tree, operator, kind="mobile")
    assert site.application.type.code == selectors.MOBILE_TYPE_CODE
    services.record_inspection(user=manager, site=site, inspected_on=date(2026, 11, 5),
                               inspector=manager)  # fmt: skip
    # The type names no documents: approved without any.
    assert services.decide(user=manager, site=site, decision="approved").state == "approved"


@pytest.mark.parametrize(
    "field, value",
    [("latitude", Decimal("91")), ("longitude", Decimal("-181")), ("latitude", None)],
)
def test_a_site_needs_valid_coordinates(org_tree, operator, manager, field, value):
    with pytest.raises(ValidationError) as error:
        open_site(manager, org_tree, operator, **{field: value})
    assert field in error.value.message_dict
    assert not BaseStationSite.objects.exists()


def test_the_right_of_way_agreement_is_made_on_an_approved_site(org_tree, operator, manager):
    site = open_site(manager, org_tree, operator)
    with pytest.raises(ValidationError):
        services.record_right_of_way(user=manager, site=site, agreement_number="GH-1",
                                     signed_on=date(2026, 11, 10))  # fmt: skip
    services.record_documents(user=manager, site=site, documents=DOCUMENTS)
    services.record_inspection(user=manager, site=site, inspected_on=date(2026, 11, 5),
                               inspector=manager)  # fmt: skip
    services.decide(user=manager, site=site, decision="approved", decided_on=date(2026, 11, 6))
    site = services.record_right_of_way(user=manager, site=site, agreement_number="GH-1",
                                        signed_on=date(2026, 11, 10),
                                        route="Enerji hattı, kaldırım altından 40 m")  # fmt: skip
    assert (site.right_of_way_number, site.right_of_way_signed_on) == ("GH-1", date(2026, 11, 10))


# Permissions -------------------------------------------------------------------------------


def test_each_role_takes_its_own_steps_in_its_own_units(org_tree, operator, manager, make_user):
    clerk = make_user("applications_clerk", org_tree["dept"])
    responder = make_user("applications_responder", org_tree["dept"])
    outsider = make_user("applications_manager", org_tree["roads"])
    site = open_site(clerk, org_tree, operator)
    with pytest.raises(PermissionDenied):
        open_site(outsider, org_tree, operator)
    assert services.site_actions(clerk, site) == set()
    with pytest.raises(PermissionDenied):
        services.record_inspection(user=clerk, site=site, inspected_on=date(2026, 11, 5),
                                   inspector=clerk)  # fmt: skip
    assert services.site_actions(responder, site) == {"documents", "inspect"}
    services.record_documents(user=responder, site=site, documents=DOCUMENTS)
    services.record_inspection(user=responder, site=site, inspected_on=date(2026, 11, 5),
                               inspector=responder)  # fmt: skip
    with pytest.raises(PermissionDenied):  # the decision is the manager's
        services.decide(user=responder, site=site, decision="approved")
    with pytest.raises(PermissionDenied):
        services.decide(user=outsider, site=site, decision="approved")
    assert services.site_actions(outsider, site) == set()
    site = services.decide(user=manager, site=site, decision="approved")
    assert "contract" in services.site_actions(manager, site)
    assert "contract" not in services.site_actions(responder, site)
    assert not selectors.sites_for(outsider).exists()
    assert selectors.sites_for(clerk).count() == 1


# Complaints --------------------------------------------------------------------------------


def test_a_complaint_is_tied_to_its_site_and_answered(org_tree, operator, manager, make_user):
    site = open_site(manager, org_tree, operator)
    complaint = services.open_complaint(
        user=manager, site=site, received_on=date(2026, 11, 9), applicant_name="Mehmet Kaya",
        tc_kimlik_no="10000000146", description="Okulun karşısındaki çatıda",
    )  # fmt: skip
    assert complaint.application.type.code == selectors.COMPLAINT_TYPE_CODE
    assert complaint.application.due_date == date(2026, 12, 9)
    assert list(site.complaints.all()) == [complaint]
    outsider = make_user("applications_manager", org_tree["roads"])
    with pytest.raises(PermissionDenied):
        services.answer_complaint(user=outsider, complaint=complaint, finding="x")
    with pytest.raises(ValidationError) as error:
        services.answer_complaint(user=manager, complaint=complaint, finding=" ")
    assert "finding" in error.value.message_dict
    complaint = services.answer_complaint(
        user=manager, complaint=complaint, finding="Ölçüm yapıldı; sınır değerlerin altında."
    )
    assert complaint.state == ComplaintState.ANSWERED
    complaint.application.refresh_from_db()
    assert complaint.application.state == State.ANSWERED


def test_a_public_complaint_is_linked_to_a_site_once(org_tree, operator, manager):
    from biys.applications import services as application_services

    site = open_site(manager, org_tree, operator)
    application = application_services.receive_application(
        user=None, type=site_permit_type(code=selectors.COMPLAINT_TYPE_CODE),
        received_on=date(2026, 11, 9), subject="Baz istasyonu", applicant_name="Ali Veli",
        responsible_unit=org_tree["network"], form_data={}, require_form_fields=False,
    )  # fmt: skip
    complaint = services.link_complaint(user=manager, application=application, site=site)
    assert complaint.site == site
    with pytest.raises(ValidationError):
        services.link_complaint(user=manager, application=application, site=site)
    with pytest.raises(ValidationError):
        services.link_complaint(user=manager, application=site.application, site=site)


def test_the_map_features_are_the_visible_sites_and_complaints(org_tree, operator, manager,
                                                               make_user):  # fmt: skip
    site = open_site(manager, org_tree, operator, site_code="<b>MER</b>")
    services.open_complaint(user=manager, site=site, received_on=date(2026, 11, 9),
                            applicant_name="Mehmet Kaya")  # fmt: skip
    features = selectors.map_features(manager)
    assert [feature["code"] for feature in features["sites"]] == ["<b>MER</b>"]
    assert features["sites"][0]["open_complaints"] == 1
    assert len(features["complaints"]) == 1
    outsider = make_user("applications_manager", org_tree["roads"])
    assert selectors.map_features(outsider) == {"sites": [], "complaints": []}
    assert SiteAccrual.objects.count() == 0
    json.dumps(features)


# Pages, API, map ---------------------------------------------------------------------------


def test_the_pages_take_a_permit_through_its_steps(client, org_tree, operator, manager):
    client.force_login(manager)
    response = client.post(reverse("applications:basestationsite_add"), {
        "received_on": "2026-11-02", "channel": "counter", "operator": operator.pk,
        "kind": "rooftop", "latitude": "36.8121", "longitude": "34.6415", "site_code": "MER9",
        "responsible_unit": org_tree["network"].pk,
    })  # fmt: skip
    site = BaseStationSite.objects.get()
    assert response.status_code == 302 and response.url == site.get_absolute_url()
    bad = client.post(reverse("applications:basestationsite_add"), {
        "received_on": "2026-11-02", "channel": "counter", "operator": operator.pk,
        "kind": "rooftop", "latitude": "96", "longitude": "34.6415",
    })  # fmt: skip
    assert bad.status_code == 400 and BaseStationSite.objects.count() == 1

    def step(action, data):
        return client.post(
            reverse("applications:basestation_site_action", args=[site.pk, action]),
            {f"{action}-{name}": value for name, value in data.items()},
        )

    step("documents", {"documents": DOCUMENTS})
    step("inspect", {"inspected_on": "2026-11-05", "inspector": manager.pk})
    step("decide", {"decision": "approved", "decided_on": "2026-11-06"})
    step("contract", {"contract_kind": "fee", "contract_number": "UC-1",
                      "contract_start": "2026-11-06", "contract_end": "2027-11-05",
                      "yearly_amount": "1500"})  # fmt: skip
    step("accrue", {"year": "2026"})
    site.refresh_from_db()
    accrual = site.accruals.get()
    step("pay", {"accrual": accrual.pk, "payment_reference": "MKB-1", "amount": "1500"})
    accrual.refresh_from_db()
    assert site.state == SiteState.CONTRACTED and accrual.paid_on == TODAY
    page = client.get(site.get_absolute_url())
    assert page.status_code == 200 and accrual.accrual_number in page.content.decode()
    assert step("nonsense", {}).status_code == 404


def test_coordinates_are_written_with_their_hemispheres(client, org_tree, operator, manager):
    """Never "36,812100, 34,641500": each number closed by its hemisphere (K/D in Turkish)."""
    from django.utils import translation

    from biys.applications.basestation.models import latitude_text, longitude_text

    site = open_site(manager, org_tree, operator)
    client.force_login(manager)
    page = client.get(site.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "36,812100° K, 34,641500° D" in page
    with translation.override("en"):
        assert site.coordinates_text == "36.812100° N, 34.641500° E"
        assert (latitude_text("-1.5"), longitude_text("-70.25")) == ("1.500000° S", "70.250000° W")


def test_the_action_page_refuses_a_role_without_the_step(client, org_tree, operator, manager,
                                                         make_user):  # fmt: skip
    site = open_site(manager, org_tree, operator)
    clerk = make_user("applications_clerk", org_tree["dept"])
    outsider = make_user("applications_manager", org_tree["roads"])
    url = reverse("applications:basestation_site_action", args=[site.pk, "inspect"])
    client.force_login(clerk)
    assert client.post(url, {"inspect-inspected_on": "2026-11-05"}).status_code == 403
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    site.refresh_from_db()
    assert site.state == SiteState.RECEIVED


def test_the_map_escapes_user_data_and_shows_the_blank_map_note(
    client, org_tree, operator, manager, settings
):
    open_site(manager, org_tree, operator, site_code="</script><script>alert(1)</script>")
    client.force_login(manager)
    response = client.get(reverse("applications:basestation_map"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert 'id="site-map-features" type="application/json"' in html
    assert "vendor/leaflet/leaflet.js" in html and 'data-testid="blank-map-note"' in html
    settings.BIYS_MAP_TILE_URL = "https://harita.example.gov.tr/tiles/{z}/{x}/{y}.png"
    response = client.get(reverse("applications:basestation_map"))
    assert 'data-testid="blank-map-note"' not in response.content.decode()


def test_the_map_server_joins_the_image_sources_of_the_csp(settings):
    from biys.core.security_headers import map_origins

    settings.BIYS_MAP_TILE_URL = "https://{s}.harita.example.gov.tr/tiles/{z}/{x}/{y}.png"
    settings.BIYS_MAP_WMS_URL = "http://cbs.example.gov.tr:8080/geoserver/wms"
    assert map_origins() == ["https://*.harita.example.gov.tr", "http://cbs.example.gov.tr:8080"]
    settings.BIYS_MAP_TILE_URL = settings.BIYS_MAP_WMS_URL = ""
    assert map_origins() == []


def test_the_api_records_a_permit_and_takes_its_steps(org_tree, operator, manager, make_user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(manager)
    response = api.post("/api/v1/applications/base-station-sites/", {
        "received_on": "2026-11-02", "operator": operator.pk, "kind": "tower",
        "latitude": "36.8", "longitude": "34.6", "responsible_unit": org_tree["network"].pk,
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    site_id = response.json()["id"]
    base = f"/api/v1/applications/base-station-sites/{site_id}"
    bad = api.post(f"{base}/decide/", {"decision": "approved"}, format="json")
    assert bad.status_code == 400 and "decision" in str(bad.json())
    assert (
        api.post(f"{base}/documents/", {"documents": DOCUMENTS}, format="json").status_code == 200
    )
    assert api.post(f"{base}/inspect/", {"inspected_on": "2026-11-05", "inspector": manager.pk},
                    format="json").status_code == 200  # fmt: skip
    assert api.post(f"{base}/decide/", {"decision": "approved"}, format="json").status_code == 200
    assert (
        api.post(
            f"{base}/contract/",
            {
                "contract_kind": "rent",
                "contract_number": "K-1",
                "contract_start": "2026-11-12",
                "contract_end": "2030-11-11",
                "yearly_amount": "30000.00",
            },
            format="json",
        ).status_code
        == 200
    )
    response = api.post(f"{base}/accrue/", {"year": 2026}, format="json")
    assert response.status_code == 200
    accrual = response.json()["accruals"][0]
    assert accrual["year"] == 2026 and accrual["amount"] == "30000.00"
    response = api.post(f"{base}/payment/", {"accrual": accrual["id"], "payment_reference": "M",
                                             "amount": "30000"}, format="json")  # fmt: skip
    assert response.status_code == 200 and response.json()["accruals"][0]["paid_on"]
    assert api.post(f"{base}/right-of-way/", {"agreement_number": "GH-3",
                    "signed_on": "2026-11-12"}, format="json").status_code == 200  # fmt: skip
    response = api.post("/api/v1/applications/base-station-complaints/", {
        "site": site_id, "received_on": "2026-11-10", "applicant_name": "Mehmet Kaya",
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    complaint = response.json()["id"]
    answer = api.post(f"/api/v1/applications/base-station-complaints/{complaint}/answer/",
                      {"finding": "Ölçüm uygun"}, format="json")  # fmt: skip
    assert answer.status_code == 200 and answer.json()["state"] == "answered"

    outsider = make_user("applications_manager", org_tree["roads"])
    api.force_authenticate(outsider)
    assert api.get(f"{base}/").status_code == 404
    assert api.post(f"{base}/right-of-way/", {"agreement_number": "X", "signed_on": "2026-11-12"},
                    format="json").status_code == 404  # fmt: skip
    response = api.post("/api/v1/applications/base-station-complaints/", {
        "site": site_id, "received_on": "2026-11-10", "applicant_name": "X",
    }, format="json")  # fmt: skip
    assert response.status_code == 400  # a site the user may not see is no site


# Complaints tied and untied; the record sheet ---------------------------------------------


def test_the_site_picker_searches_the_sites_the_user_sees(
    client, org_tree, operator, manager, make_user
):
    ours = open_site(manager, org_tree, operator)
    open_site(manager, org_tree, operator, site_code="MER0999",
              responsible_unit=org_tree["software"])  # fmt: skip
    url = reverse("applications:basestation_site_search")
    client.force_login(make_user("applications_responder", org_tree["network"]))
    assert client.get(url, {"q": "MER"}).status_code == 403  # records no complaint
    client.force_login(make_user("applications_clerk", org_tree["network"]))
    found = client.get(url, {"q": "kuzey mer"}).content.decode()
    assert f'name="link-site" value="{ours.pk}"' in found and "MER0999" not in found
    assert (
        "36,812100° K"
        in client.get(url, {"q": "Çankaya"}, HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    )
    assert (
        ours.application.number in client.get(url, {"q": ours.application.number}).content.decode()
    )
    assert "link-site" not in client.get(url, {"q": "M"}).content.decode()  # too short
    assert "link-site" not in client.get(url, {"q": "yok böyle"}).content.decode()


def received_complaint(org_tree, code="dilekce", **extra):
    """A resident's complaint received without a site (the public form, a clerk's entry)."""
    from biys.applications import services as application_services
    from biys.applications.tests.factories import make_application_type

    application_type = site_permit_type(code=selectors.COMPLAINT_TYPE_CODE)
    if code != selectors.COMPLAINT_TYPE_CODE:
        application_type = make_application_type(
            org_tree["network"], code=code, name="Dilekçe (3071)", period=30,
            period_unit="days", extended_period=None,
        )  # fmt: skip
    values = {
        "user": None, "type": application_type, "received_on": date(2026, 11, 9),
        "subject": "Çatıdaki baz istasyonu", "applicant_name": "Ayşe Çelik",
        "responsible_unit": org_tree["network"], "form_data": {},
        "require_form_fields": False,
    }  # fmt: skip
    values.update(extra)
    return application_services.receive_application(**values)


def test_a_residents_petition_is_tied_to_a_site_and_untied_in_its_unit(
    org_tree, operator, manager, make_user
):
    site = open_site(manager, org_tree, operator)
    application = received_complaint(org_tree)
    clerk = make_user("applications_clerk", org_tree["network"])
    responder = make_user("applications_responder", org_tree["network"])
    outsider = make_user("applications_manager", org_tree["roads"])
    assert services.may_link(application)
    for user in (responder, outsider):  # no complaints recorded there: refused, nothing tied
        with pytest.raises(PermissionDenied):
            services.link_complaint(user=user, application=application, site=site)
    other = make_operator(org_tree["roads"], name="Güney Mobil A.Ş.")
    hidden = open_site(None, org_tree, other, responsible_unit=org_tree["roads"])
    with pytest.raises(ValidationError) as error:  # a site the clerk does not see
        services.link_complaint(user=clerk, application=application, site=hidden)
    assert "site" in error.value.message_dict
    assert not site.complaints.exists()

    complaint = services.link_complaint(user=clerk, application=application, site=site)
    assert complaint.site == site and complaint.state == ComplaintState.OPEN
    assert not services.may_link(application)
    assert ObjectChange.objects.filter(action="create", object_id=str(complaint.pk)).exists()
    assert services.complaint_actions(clerk, complaint) == {"unlink"}
    assert services.complaint_actions(responder, complaint) == {"answer"}
    with pytest.raises(PermissionDenied):
        services.unlink_complaint(user=outsider, complaint=complaint)
    with pytest.raises(PermissionDenied):
        services.unlink_complaint(user=responder, complaint=complaint)

    assert services.unlink_complaint(user=clerk, complaint=complaint) == application
    assert not site.complaints.exists()
    deleted = ObjectChange.objects.get(action="delete", object_id=str(complaint.pk))
    assert deleted.user_id == clerk.pk or deleted.prechange_data
    application.refresh_from_db()
    assert application.state == State.OPEN  # the application stays as it was

    complaint = services.link_complaint(user=clerk, application=application, site=site)
    services.answer_complaint(user=responder, complaint=complaint, finding="Ölçüm uygun.")
    with pytest.raises(ValidationError):  # an answered complaint stays on its site
        services.unlink_complaint(user=manager, complaint=complaint)
    assert site.complaints.count() == 1


def test_only_an_open_residents_complaint_is_tied_to_a_site(org_tree, operator, manager):
    from biys.applications import services as application_services

    site = open_site(manager, org_tree, operator)
    with pytest.raises(ValidationError):  # a permit application is no complaint
        services.link_complaint(user=manager, application=site.application, site=site)
    answered = received_complaint(org_tree, code=selectors.COMPLAINT_TYPE_CODE)
    application_services.record_outcome(user=None, application=answered, outcome=State.ANSWERED,
                                        note="Yanıtlandı", answered_on=TODAY)  # fmt: skip
    answered.refresh_from_db()
    assert not services.may_link(answered)
    with pytest.raises(ValidationError) as error:
        services.link_complaint(user=manager, application=answered, site=site)
    assert "application" in error.value.message_dict


def test_the_application_page_ties_a_complaint_to_a_site_and_unties_it(
    client, org_tree, operator, manager, make_user
):
    site = open_site(manager, org_tree, operator)
    application = received_complaint(org_tree)
    link_url = reverse("applications:basestation_complaint_link", args=[application.pk])
    client.force_login(make_user("applications_responder", org_tree["network"]))
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="link-site-form"' not in page
    assert client.post(link_url, {"link-site": site.pk}).status_code == 403
    client.force_login(make_user("applications_manager", org_tree["roads"]))
    assert client.post(link_url, {"link-site": site.pk}).status_code == 404
    assert not site.complaints.exists()

    client.force_login(make_user("applications_clerk", org_tree["network"]))
    page = client.get(application.get_absolute_url()).content.decode()
    # A search, not a list of every site.
    assert 'data-testid="site-search"' in page and "MER0123" not in page
    assert client.post(link_url, {"link-site": "nope"}).status_code == 302
    assert not site.complaints.exists()
    response = client.post(link_url, {"link-site": site.pk})
    assert response.status_code == 302 and response.url == application.get_absolute_url()
    complaint = site.complaints.get()
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="site-complaint"' in page and 'data-testid="unlink-site"' in page
    client.force_login(manager)
    site_page = client.get(site.get_absolute_url()).content.decode()
    assert application.number in site_page and "Çatıdaki baz istasyonu" in site_page

    unlink_url = reverse("applications:basestation_complaint_unlink", args=[complaint.pk])
    client.force_login(make_user("applications_responder", org_tree["network"]))
    assert client.post(unlink_url).status_code == 403
    client.force_login(make_user("applications_manager", org_tree["roads"]))
    assert client.post(unlink_url).status_code == 404
    assert site.complaints.exists()
    client.force_login(manager)
    assert client.post(unlink_url).status_code == 302
    assert not site.complaints.exists()
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="link-site-form"' in page


def test_the_api_ties_a_complaint_to_a_site_and_unties_it(org_tree, operator, manager,
                                                          make_user):  # fmt: skip
    from rest_framework.test import APIClient

    site = open_site(manager, org_tree, operator)
    application = received_complaint(org_tree, code=selectors.COMPLAINT_TYPE_CODE)
    api = APIClient()
    url = "/api/v1/applications/base-station-complaints/link/"
    body = {"application": application.pk, "site": site.pk}
    api.force_authenticate(make_user("applications_responder", org_tree["network"]))
    assert api.post(url, body, format="json").status_code == 403
    api.force_authenticate(make_user("applications_manager", org_tree["roads"]))
    assert api.post(url, body, format="json").status_code == 404
    api.force_authenticate(make_user("applications_clerk", org_tree["network"]))
    bad = api.post(url, {"application": application.pk, "site": 10**19}, format="json")
    assert bad.status_code == 400
    response = api.post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["site"] == site.pk and response.json()["state"] == "open"
    again = api.post(url, body, format="json")
    assert again.status_code == 400 and "application" in str(again.json())
    unlink = f"/api/v1/applications/base-station-complaints/{response.json()['id']}/unlink/"
    api.force_authenticate(make_user("applications_responder", org_tree["network"]))
    assert api.post(unlink, format="json").status_code == 403
    api.force_authenticate(manager)
    assert api.post(unlink, format="json").status_code == 204
    assert not site.complaints.exists()
    assert api.post(unlink, format="json").status_code == 404


def test_the_record_sheet_pdf_has_the_whole_site_in_turkish(
    client, org_tree, operator, manager, make_user
):
    import io

    from pypdf import PdfReader

    site = open_site(manager, org_tree, operator)
    site = walk_to_contract(manager, site, start=date(2026, 11, 10))
    services.accrue_year(user=manager, site=site, year=2026)
    services.record_right_of_way(user=manager, site=site, agreement_number="GH-2026-4",
                                 signed_on=date(2026, 11, 10), route="Şehit Öğretmen Sk.")  # fmt: skip
    complaint = services.link_complaint(
        user=manager, application=received_complaint(org_tree), site=site
    )
    services.answer_complaint(user=manager, complaint=complaint,
                              finding="Ölçüm yapıldı; sınır değerlerin altında.")  # fmt: skip
    url = reverse("applications:basestation_site_sheet_pdf", args=[site.pk])
    client.force_login(manager)
    assert url in client.get(site.get_absolute_url()).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "Baz istasyonu yer kayıt föyü", "Kuzey Mobil A.Ş.", "1234567890", "MER0123", "Çankaya",
        "Atatürk Cd. No: 5 çatısı", "204", "Enlem 36,812100° K", "Boylam 34,641500° D",
        "Statik rapor uygun",
        "2026/14", "KRA-2026-7", "24.000,00", "BAZ-TAH-2026-00001", "GH-2026-4",
        "Şehit Öğretmen Sk.", complaint.application.number, "sınır değerlerin altında",
        "Şikâyetler", "Yıllık tahakkuklar",
    ):  # fmt: skip
        assert expected in text, expected
    assert "Ayşe Çelik" not in text  # the complainant's name stays out

    client.force_login(make_user("applications_manager", org_tree["roads"]))
    assert client.get(url).status_code == 404
    client.force_login(make_user("applications_clerk", org_tree["network"]))
    assert client.get(url).status_code == 200
