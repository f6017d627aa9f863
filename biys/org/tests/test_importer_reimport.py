"""Re-import of an amended regulation: the differences article by article and duty by duty, and
applying them keeps every duty that tickets and catalogue items cite (a removed one is retired)."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from biys.org.models import Duty, Regulation, RegulationDraft
from biys.servicedesk.models import CatalogItem, TicketKind

ORIGINAL = (Path(__file__).parent / "regulations" / "servis.txt").read_text(encoding="utf-8")
AMENDED = (
    ORIGINAL.replace(
        "(2) Arızalı cihazların onarımını sağlamak.",
        "(2) Arızalı cihazların onarımını sağlamak ve kaydını tutmak.",
    )
    .replace("a) Belediye yazılımlarını geliştirmek,\n", "")
    .replace("b) (Değişik", "a) (Değişik")
    .replace("c) (Mülga", "b) (Mülga")
    .replace("ç) Veritabanlarını", "c) Veritabanlarını")
    .replace(
        "b- Çözemediği çağrıları ilgili servise iletir.",
        "b- Çözemediği çağrıları ilgili servise iletir,\nc- Memnuniyet anketi yapar.",
    )
    + "Geçiş\nMADDE 11 – (1) Eski kayıtlar yeni sisteme aktarılır.\n"
)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def import_text(client, org_tree, text, **extra) -> RegulationDraft:
    upload = SimpleUploadedFile("yonetmelik.txt", text.encode())
    response = client.post(
        reverse("org:regulation_import"), {"file": upload, "unit": org_tree["dept"].pk, **extra}
    )
    assert response.status_code == 302
    return RegulationDraft.objects.latest("pk")


def confirm(client, draft):
    response = client.post(reverse("org:regulation_draft_confirm", args=[draft.pk]))
    assert response.status_code == 302, response.context and response.context["errors"]
    return response


def test_amended_regulation_shows_and_applies_its_differences(admin_client, org_tree):
    confirm(admin_client, import_text(admin_client, org_tree, ORIGINAL))
    regulation = Regulation.objects.get()
    duties = {duty.reference: duty for duty in Duty.objects.all()}
    removed, relettered, amended = (
        duties["MADDE 5 (1) a"],
        duties["MADDE 5 (1) ç"],
        duties["MADDE 4 (2)"],
    )
    kind = TicketKind.values[0]
    cited = [
        CatalogItem.objects.create(name=name, kind=kind, unit=duty.unit, duty=duty)
        for name, duty in (("Yazılım", removed), ("Yedek", relettered), ("Onarım", amended))
    ]

    draft = import_text(admin_client, org_tree, AMENDED, amends=regulation.pk)
    review = admin_client.get(reverse("org:regulation_draft_review", args=[draft.pk]))
    plan = review.context["plan"]
    assert [(change.kind, change.number) for change in plan.articles] == [
        ("changed", 4),
        ("changed", 5),
        ("changed", 6),
        ("added", 11),
    ]
    kinds = {(change.kind, change.reference) for change in plan.changed_duties}
    assert kinds == {
        ("changed", "MADDE 4 (2)"),
        ("moved", "MADDE 5 (1) a"),  # was b)
        ("moved", "MADDE 5 (1) c"),  # was ç)
        ("retired", "MADDE 5 (1) a"),
        ("changed", "MADDE 6 (1) b"),  # 'iletir.' -> 'iletir,'
        ("added", "MADDE 6 (1) c"),
    }
    assert "Memnuniyet anketi yapar." in review.content.decode()

    confirm(admin_client, draft)

    assert Regulation.objects.count() == 1
    for item in cited:
        item.refresh_from_db()
    assert [item.duty_id for item in cited] == [removed.pk, relettered.pk, amended.pk]
    removed.refresh_from_db()
    relettered.refresh_from_db()
    amended.refresh_from_db()
    assert removed.status == Duty.Status.RETIRED
    assert (relettered.reference, relettered.status) == ("MADDE 5 (1) c", Duty.Status.ACTIVE)
    assert amended.text == "Arızalı cihazların onarımını sağlamak ve kaydını tutmak."
    active = Duty.objects.filter(status=Duty.Status.ACTIVE)
    assert active.filter(reference="MADDE 6 (1) c", unit__name="Destek Masası").exists()
    assert active.count() == 10  # 10 before, one retired, one added
    assert regulation.articles.get(number=11).heading == "Geçiş"


def test_retired_duties_leave_the_duty_list_and_the_unit_unless_asked_for(admin_client, org_tree):
    confirm(admin_client, import_text(admin_client, org_tree, ORIGINAL))
    duty = Duty.objects.get(reference="MADDE 5 (1) a")
    duty.status = Duty.Status.RETIRED
    duty.save()

    listed = admin_client.get(reverse("org:duty_list")).context["table"].data
    assert duty not in list(listed) and len(listed) == 9
    retired = admin_client.get(reverse("org:duty_list"), {"status": "retired"})
    assert list(retired.context["table"].data) == [duty]
    unit_page = admin_client.get(duty.unit.get_absolute_url(), {"tab": "duties"}).content.decode()
    assert "Veritabanlarını yedeklemek" in unit_page
    assert "Belediye yazılımlarını geliştirmek" not in unit_page
