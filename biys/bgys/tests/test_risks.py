"""Information assets and the risk register: the asset owner keeps the assets of their unit, the
risk's scores follow from its methodology, the BGYS manager approves the treatment, the heat map
counts the risks and links to the filtered list, the list exports for Turkish Excel."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from biys.bgys import services
from biys.bgys.models import InformationAsset, Methodology, Risk, RiskStatus, Threat
from biys.bgys.tests.factories import (
    make_entry,
    make_information_asset,
    make_risk,
    make_threat,
    make_vulnerability,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user, org_tree):
    return make_user("bgys_asset_owner", org_tree["network"])


def test_default_methodology_and_catalogues_are_shipped():
    methodology = services.default_methodology()
    assert len(methodology.likelihood_scale) == 5 and len(methodology.impact_scale) == 5
    assert methodology.appetite == 8 and methodology.max_score == 25
    assert methodology.above_appetite(9) and not methodology.above_appetite(8)


def test_methodology_scales_are_validated(make_user, org_tree):
    admin = make_user("administrator", org_tree["dept"], superuser=True)
    bad = Methodology(name="Tek", likelihood_labels="Tek", impact_labels="A\nB", appetite=1)
    with pytest.raises(ValidationError) as error:
        services.save_catalogue_entry(entry=bad, user=admin)
    assert "likelihood_labels" in error.value.message_dict
    too_high = Methodology(
        name="3x3", likelihood_labels="a\nb\nc", impact_labels="a\nb\nc", appetite=9
    )
    with pytest.raises(ValidationError):
        services.save_catalogue_entry(entry=too_high, user=admin)


def test_catalogues_are_written_over_the_whole_municipality_only(manager, make_user, org_tree):
    with pytest.raises(PermissionDenied):
        services.save_catalogue_entry(entry=Threat(name="Casusluk"), user=manager)
    admin = make_user("administrator", org_tree["dept"], superuser=True)
    services.save_catalogue_entry(entry=Threat(name="Casusluk"), user=admin)


def test_asset_owner_keeps_the_assets_of_their_unit(client, owner, org_tree):
    from biys.inventory.tests.factories import make_asset

    server = make_asset(org_tree["network"], serial_number="SRV-001")
    switch = make_asset(org_tree["network"], serial_number="SRV-002")
    client.force_login(owner)
    add = reverse("bgys:informationasset_add")
    data = {
        "name": "Kent rehberi uygulaması",
        "kind": "application",
        "unit": org_tree["network"].pk,
        "confidentiality": 2,
        "integrity": 4,
        "availability": 5,
        "description": "",
        "platform_references": "SRV-001\nSRV-001\nSRV-002",
    }
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    asset = InformationAsset.objects.get()
    assert asset.criticality == 5 and asset.references == ["SRV-001", "SRV-002"]
    page = client.get(asset.get_absolute_url()).content.decode()
    # resolved through biys.core.assets: the inventory numbers show
    assert server.inventory_number in page and switch.inventory_number in page
    refused = client.post(add, {**data, "unit": org_tree["roads"].pk, "name": "Yol"})
    assert refused.status_code in (200, 403)
    assert InformationAsset.objects.count() == 1


def test_unknown_inventory_references_are_refused(monkeypatch, owner, org_tree):
    from biys.core import assets

    monkeypatch.setattr(assets, "register_installed", lambda: True)
    monkeypatch.setattr(assets, "find_asset", lambda reference: None)
    asset = InformationAsset(
        unit=org_tree["network"], name="Sunucu", kind="system", platform_references="YOK-1"
    )
    with pytest.raises(ValidationError) as error:
        services.save_information_asset(asset=asset, user=owner)
    assert "platform_references" in error.value.message_dict


def test_risk_scores_treatment_and_approval(client, owner, manager, org_tree):
    asset = make_information_asset(org_tree["network"])
    entry = make_entry(org_tree["network"])
    foreign = make_entry(org_tree["roads"])
    client.force_login(owner)
    add = reverse("bgys:risk_add")
    assert client.get(add + f"?asset={asset.pk}").status_code == 200
    data = {
        "asset": asset.pk,
        "methodology": services.default_methodology().pk,
        "threat": make_threat().pk,
        "vulnerability": make_vulnerability().pk,
        "description": "",
        "likelihood": 4,
        "impact": 5,
        "treatment": "reduce",
        "treatment_plan": "Yama yönetimi",
        "owner": owner.person_id,
        "due_date": "2027-01-15",
        "residual_likelihood": 2,
        "residual_impact": 3,
        "measures": [entry.pk],
    }
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    risk = Risk.objects.get()
    assert (risk.inherent_score, risk.residual_score) == (20, 6)
    assert risk.above_appetite and not risk.residual_above_appetite
    assert list(risk.measures.all()) == [entry]
    # an SoA entry of another unit is refused
    with pytest.raises(ValidationError):
        services.save_risk(risk=risk, user=owner, measures=[foreign])
    # a scale value beyond the methodology is refused
    risk.likelihood = 6
    with pytest.raises(ValidationError):
        services.save_risk(risk=risk, user=owner)
    risk.refresh_from_db()
    # the owner sends it, cannot approve it; the manager approves
    services.submit_risk(risk=risk, user=owner)
    with pytest.raises(PermissionDenied):
        services.approve_risk(risk=risk, user=owner)
    response = client.post(reverse("bgys:risk_action", args=[risk.pk, "approve"]))
    risk.refresh_from_db()
    assert risk.status == RiskStatus.PENDING
    client.force_login(manager)
    page = client.get(risk.get_absolute_url()).content.decode()
    assert 'data-testid="risk-approve"' in page
    client.post(reverse("bgys:risk_action", args=[risk.pk, "approve"]))
    risk.refresh_from_db()
    assert risk.status == RiskStatus.APPROVED and risk.approved_by == manager
    # changing the treatment sends it back to draft
    risk.residual_likelihood = 1
    services.save_risk(risk=risk, user=owner)
    risk.refresh_from_db()
    assert risk.status == RiskStatus.DRAFT and risk.approved_by is None and risk.residual_score == 3


def test_heat_map_counts_and_links_to_the_filtered_list(client, manager, org_tree):
    make_risk(org_tree["network"], likelihood=5, impact=5)
    make_risk(
        org_tree["network"],
        likelihood=5,
        impact=5,
        residual_likelihood=2,
        residual_impact=2,
        residual_score=4,
    )
    make_risk(org_tree["network"], likelihood=1, impact=2)
    make_risk(org_tree["roads"], likelihood=5, impact=5)  # outside the manager's units
    client.force_login(manager)
    page = client.get(reverse("bgys:risk_heatmap"))
    assert page.status_code == 200
    inherent = page.context["maps"][0]
    cell = next(
        c
        for row in inherent["rows"]
        for c in row["cells"]
        if (c["likelihood"], c["impact"]) == (5, 5)
    )
    assert cell["count"] == 2 and cell["above"]
    low = next(
        c
        for row in inherent["rows"]
        for c in row["cells"]
        if (c["likelihood"], c["impact"]) == (1, 2)
    )
    assert low["count"] == 1 and not low["above"]
    residual = page.context["maps"][1]
    assert residual["total"] == 1
    listed = client.get(cell["url"])
    assert len(listed.context["table"].rows) == 2
    per_unit = client.get(reverse("bgys:risk_heatmap"), {"unit": org_tree["network"].pk})
    assert per_unit.context["maps"][0]["total"] == 3
    top = next(c for c in per_unit.context["maps"][0]["rows"][0]["cells"] if c["impact"] == 5)
    assert client.get(top["url"]).status_code == 200 and "include_subtree=true" in top["url"]
    above = client.get(reverse("bgys:risk_list") + "?above_appetite=true")
    assert len(above.context["table"].rows) == 2


def test_risk_list_exports_csv_for_turkish_excel(client, manager, org_tree):
    make_risk(org_tree["network"], likelihood=3, impact=4)
    client.force_login(manager)
    client.cookies["django_language"] = "tr"
    response = client.get(reverse("bgys:risk_list") + "?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert len(rows) == 2 and "12" in rows[1]


def test_outside_the_unit_risks_and_assets_are_not_seen(client, make_user, org_tree):
    risk = make_risk(org_tree["network"])
    outsider = make_user("bgys_asset_owner", org_tree["roads"])
    client.force_login(outsider)
    assert client.get(risk.get_absolute_url()).status_code == 404
    assert client.get(risk.asset.get_absolute_url()).status_code == 404
    assert client.post(reverse("bgys:risk_action", args=[risk.pk, "submit"])).status_code == 404


def test_api_risk_create_and_workflow(manager, org_tree):
    asset = make_information_asset(org_tree["network"])
    api = APIClient()
    api.force_authenticate(manager)
    response = api.post(
        "/api/v1/bgys/risks/",
        {
            "asset": asset.pk,
            "threat": make_threat().pk,
            "vulnerability": make_vulnerability().pk,
            "likelihood": 3,
            "impact": 3,
            "treatment": "accept",
            "owner": manager.person_id,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["inherent_score"] == 9 and body["above_appetite"] and body["status"] == "draft"
    pk = body["id"]
    assert api.post(f"/api/v1/bgys/risks/{pk}/submit/").json()["status"] == "pending"
    assert api.post(f"/api/v1/bgys/risks/{pk}/approve/").json()["status"] == "approved"
    bad = api.post(f"/api/v1/bgys/risks/{pk}/approve/")
    assert bad.status_code == 400
    heat = api.get("/api/v1/bgys/risks/", {"likelihood": 3, "impact": 3}).json()
    assert heat["count"] == 1


def test_heat_map_needs_the_risk_register(client, make_user, org_tree):
    requester = make_user("requester", org_tree["network"])
    client.force_login(requester)
    assert client.get(reverse("bgys:risk_heatmap")).status_code == 403
