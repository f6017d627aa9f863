import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from biys.bgys import services
from biys.bgys.models import ApplicabilityEntry, Assessment
from biys.bgys.tests.factories import make_assessment, make_entry, small_framework

pytestmark = pytest.mark.django_db


def test_questionnaire_scores_and_levels(client, manager, org_tree):
    framework = small_framework()
    group = framework.asset_groups.get()
    client.force_login(manager)
    add = reverse("bgys:assessment_add")
    page = client.get(add)
    assert page.status_code == 200 and "Soru 1?" in page.content.decode()
    data = {
        "unit": org_tree["network"].pk,
        "asset_group": group.pk,
        "name": "Merkez bina ağı",
        "assessed_on": "2026-11-30",
        "q1": "b",
        "q2": "b",
    }
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment = Assessment.objects.get()
    assert (assessment.score, assessment.level) == (18, 2)
    assert assessment.framework == framework
    # a missing answer is an error at its field, nothing saved
    response = client.post(add, {**data, "q2": ""})
    assert response.status_code == 200 and Assessment.objects.count() == 1
    detail = client.get(assessment.get_absolute_url() + "?tab=measures").content.decode()
    assert "Tedbir başlığı 3" in detail and "Tedbir başlığı 4" not in detail  # level 2
    assert framework.attribution in detail


def test_applicable_measures_go_to_the_soa_and_evidence_is_recorded(
    client, manager, member, org_tree
):
    assessment = make_assessment(org_tree["network"])
    client.force_login(manager)
    response = client.post(reverse("bgys:add_applicable", args=[assessment.pk]))
    assert response.status_code == 302
    assert ApplicabilityEntry.objects.filter(assessment=assessment).count() == 3  # levels 1, 1, 2
    client.post(reverse("bgys:add_applicable", args=[assessment.pk]))
    assert ApplicabilityEntry.objects.count() == 3  # not twice

    entry = ApplicabilityEntry.objects.order_by("measure__position").first()
    client.force_login(member)
    url = reverse("bgys:applicabilityentry_edit", args=[entry.pk])
    refused = client.post(
        url,
        {
            "applicable": "",
            "reason": "",
            "state": "",
            "owner": "",
            "evidence_links": "",
            "notes": "",
        },
    )
    assert refused.status_code in (200, 400)
    assert "reason" in refused.context["form"].errors
    response = client.post(
        url,
        {
            "applicable": "on",
            "reason": "Ağ envanteri tutulmalı",
            "state": "partly",
            "owner": "",
            "evidence_links": "https://biys.example/servicedesk/tickets/12/\n/evrak/3/",
            "notes": "",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == "partly" and len(entry.links) == 2
    bad = client.post(
        url,
        {
            "applicable": "on",
            "reason": "",
            "state": "",
            "owner": "",
            "evidence_links": "javascript:alert(1)",
            "notes": "",
        },
    )
    assert bad.status_code == 400


def test_soa_exports_csv_turkish_excel_style(client, manager, org_tree):
    make_entry(org_tree["network"], state="fully")
    client.force_login(manager)
    client.cookies["django_language"] = "tr"
    response = client.get(reverse("bgys:applicabilityentry_list") + "?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][0] and len(rows) == 2
    assert "Tedbir başlığı 1" in rows[1]
    xlsx = client.get(reverse("bgys:applicabilityentry_list") + "?export=xlsx")
    assert xlsx.status_code == 200


def test_outside_the_unit_nothing_is_seen(client, make_user, org_tree):
    entry = make_entry(org_tree["network"])
    outsider = make_user("bgys_manager", org_tree["roads"])
    client.force_login(outsider)
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("bgys:add_applicable", args=[entry.assessment_id])).status_code == 404
    )


def test_measure_list_filters_and_attribution(client, manager):
    framework = small_framework()
    client.force_login(manager)
    url = reverse("bgys:measure_list")
    page = client.get(url, {"framework": framework.pk, "level": "2"}).content.decode()
    assert "Tedbir başlığı 3" in page and "Tedbir başlığı 1" not in page
    assert framework.attribution in page
    section = framework.sections.get(number="3.1")
    page = client.get(url, {"section": section.pk, "q": "metni 4"}).content.decode()
    assert "Tedbir başlığı 4" in page and "Tedbir başlığı 2" not in page
    measure = framework.measures.get(number="3.1.1.1")
    detail = client.get(measure.get_absolute_url()).content.decode()
    assert "Tedbir metni 1" in detail and framework.attribution in detail


def test_only_local_text_frameworks_take_titles(manager, make_user, org_tree):
    framework = small_framework()
    measure = framework.measures.first()
    admin = make_user("administrator", org_tree["dept"], superuser=True)
    with pytest.raises(ValidationError):
        services.save_measure_text(measure=measure, user=admin, title="x", text="y")
    framework.local_texts = True
    framework.save()
    services.save_measure_text(measure=measure, user=admin, title="Başlık", text="Metin")


def test_api_assessment_and_soa(manager, org_tree):
    framework = small_framework()
    api = APIClient()
    api.force_authenticate(manager)
    response = api.post(
        "/api/v1/bgys/assessments/",
        {
            "unit": org_tree["network"].pk,
            "asset_group": framework.asset_groups.get().pk,
            "name": "Uygulama sunucuları",
            "answers": {"1": "c", "2": "c"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["level"] == 3 and response.json()["score"] == 28
    pk = response.json()["id"]
    added = api.post(f"/api/v1/bgys/assessments/{pk}/add-to-soa/")
    assert added.json() == {"added": 4}
    entries = api.get("/api/v1/bgys/soa/", {"level": "3"}).json()["results"]
    assert len(entries) == 1
    patched = api.patch(
        f"/api/v1/bgys/soa/{entries[0]['id']}/",
        {"applicable": False, "reason": ""},
        format="json",
    )
    assert patched.status_code == 400 and "reason" in str(patched.content)
    patched = api.patch(
        f"/api/v1/bgys/soa/{entries[0]['id']}/",
        {"applicable": False, "reason": "Kapsam dışı"},
        format="json",
    )
    assert patched.status_code == 200
    measures = api.get(
        "/api/v1/bgys/measures/", {"framework": framework.pk, "q": "Tedbir metni 2"}
    ).json()
    assert measures["count"] == 1 and measures["results"][0]["attribution"] == framework.attribution
    bad = api.post(
        "/api/v1/bgys/assessments/",
        {
            "unit": org_tree["network"].pk,
            "asset_group": framework.asset_groups.get().pk,
            "name": "x",
            "answers": {"1": "z"},
        },
        format="json",
    )
    assert bad.status_code == 400


def test_the_loaded_guide_is_data_in_the_english_ui(client, make_user, org_tree):
    """With the real guide loaded (and loaded again), its Turkish shows only as data: the
    English pages, their history tabs and the questionnaire form leak no Turkish UI text."""
    from django.conf import settings

    from biys.bgys.frameworks import GUIDE_SLUG
    from tests.i18n.test_ui_language import data_strings, leaks, visible_text

    framework = services.load_shipped(slug=GUIDE_SLUG).framework
    services.load_shipped(slug=GUIDE_SLUG)
    admin = make_user("administrator", org_tree["dept"], superuser=True)
    group = framework.asset_groups.get(number=1)
    answers = {str(n): "b" for n in range(1, 9)}
    assessment = services.save_assessment(
        assessment=Assessment(unit=org_tree["network"], asset_group=group, name="Merkez ağ"),
        answers=answers,
        user=admin,
    )
    assert (assessment.score, assessment.level) == (16, 1)
    services.add_applicable_measures(assessment=assessment, user=admin)
    entry = ApplicabilityEntry.objects.filter(assessment=assessment).first()
    measure = entry.measure
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    urls = []
    for obj in (framework, measure, assessment, entry):
        url = obj.get_absolute_url()
        urls += [url, url + "?tab=history"]
    urls += [
        framework.get_absolute_url() + "?tab=sections",
        framework.get_absolute_url() + "?tab=questionnaire",
        assessment.get_absolute_url() + "?tab=answers",
        assessment.get_absolute_url() + "?tab=measures",
        reverse("bgys:assessment_edit", args=[assessment.pk]),
        reverse("bgys:assessment_add"),
        reverse("bgys:measure_list") + f"?framework={framework.pk}&level=3",
        reverse("bgys:applicabilityentry_list"),
    ]
    data = data_strings()
    problems = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = "\n".join(visible_text(response.content.decode()))
        problems += [f"{url}: {leak}" for leak in leaks("en", text, data)]
        if "tab=history" not in url and "tab=sections" not in url:
            assert framework.attribution[:40] in response.content.decode(), url
    assert not problems, "\n".join(problems)


def test_list_and_detail_pages_do_not_grow_with_their_rows(client, manager, org_tree):
    """The SoA list, the measure list and an assessment's applicable measures read a constant
    number of queries whatever the number of rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from biys.bgys.models import Measure

    assessment = make_assessment(org_tree["network"])
    framework = assessment.framework
    section = framework.sections.get(number="3.1.1")
    client.force_login(manager)
    urls = [
        reverse("bgys:applicabilityentry_list"),
        reverse("bgys:measure_list") + f"?framework={framework.pk}",
        assessment.get_absolute_url() + "?tab=measures",
        framework.get_absolute_url() + "?tab=sections",
    ]

    def counts():
        services.add_applicable_measures(assessment=assessment, user=manager)
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    few = counts()
    for n in range(5, 25):
        Measure.objects.create(
            framework=framework, section=section, number=f"3.1.1.{n}", level=1, title=f"T{n}"
        )
    assert counts() == few


def test_measures_go_on_the_soa_for_a_whole_unit(client, manager, member, org_tree):
    """ISO/IEC 27001's controls have no asset group: a section (or one measure) goes on a unit's
    SoA from the framework's or the measure's page; only where the user may add entries."""
    from biys.bgys.frameworks import SHIPPED

    iso = services.load_framework(data=SHIPPED["iso-iec-27001"].read()).framework
    annex = iso.sections.get(number="A.5")
    client.force_login(manager)
    page = client.get(iso.get_absolute_url()).content.decode()
    assert 'id="add-to-soa"' in page
    url = reverse("bgys:add_to_soa", args=[iso.pk])
    response = client.post(url, {"unit": org_tree["network"].pk, "section": annex.pk})
    assert response.status_code == 302
    entries = ApplicabilityEntry.objects.filter(unit=org_tree["network"], assessment=None)
    assert entries.count() == 37
    measure = iso.measures.get(number="A.8.1")
    client.post(url, {"unit": org_tree["network"].pk, "measure": measure.pk})
    client.post(url, {"unit": org_tree["network"].pk, "measure": measure.pk})
    assert entries.count() == 38
    # outside the user's units: refused
    response = client.post(url, {"unit": org_tree["roads"].pk, "measure": measure.pk})
    assert not ApplicabilityEntry.objects.filter(unit=org_tree["roads"]).exists()
    # a team member records entries but does not add them
    client.force_login(member)
    assert 'id="add-to-soa"' not in client.get(measure.get_absolute_url()).content.decode()
    assert client.post(url, {"unit": org_tree["network"].pk}).status_code == 403


def test_mappings_are_unverified_until_a_source_is_named(client, manager, make_user, org_tree):
    from biys.bgys.models import MeasureMapping

    guide, iso = small_framework(), small_framework(local_texts=True)
    control, measure = iso.measures.first(), guide.measures.first()
    data = {"source": control.pk, "target": measure.pk, "reference": "", "notes": ""}
    add = reverse("bgys:measuremapping_add")
    client.force_login(manager)  # over one unit only: reference data is the municipality's
    assert client.post(add, data).status_code == 403
    admin = make_user("administrator", org_tree["dept"], superuser=True)
    client.force_login(admin)
    assert client.post(add, data).status_code == 302
    mapping = MeasureMapping.objects.get()
    assert not mapping.verified
    page = client.get(measure.get_absolute_url()).content.decode()
    assert 'id="measure-mappings"' in page and str(control) in page
    same = {**data, "target": iso.measures.last().pk}
    assert client.post(add, same).status_code == 200  # same framework: refused at the field
    mapping.reference = "Kurum iç değerlendirmesi, 2026"
    mapping.save()
    api = APIClient()
    api.force_authenticate(manager)
    listed = api.get("/api/v1/bgys/mappings/", {"verified": "true"}).json()
    assert listed["count"] == 1 and listed["results"][0]["verified"] is True


def test_soa_prints_as_a_pdf_in_turkish(client, manager, make_user, org_tree):
    from pypdf import PdfReader

    entry = make_entry(org_tree["network"], state="partly", evidence_links="/inventory/assets/")
    make_entry(org_tree["roads"], reason="Fen İşleri kaydı")
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("bgys:soa_pdf"), {"state": "partly"})
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert (
        "Uygulanabilirlik Bildirgesi" in text
        and "yazdırıldı" in text
        and "Kısmen uygulanıyor" in text
    )
    assert entry.measure.title in text and "/inventory/assets/" in text
    assert "Fen İşleri kaydı" not in text  # another unit's entry
    assert entry.measure.framework.attribution in text
