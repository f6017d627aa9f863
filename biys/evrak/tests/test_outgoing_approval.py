"""The approval path of an outgoing document: paraf by each person in order, then the signer;
a change after a paraf resets the parafs (recorded); the sayı E-<DETSİS>-<SDP>-<record no> is
given at signature from the one allocator of official numbers, and a number whose signature
fails or is abandoned is cancelled (iptal), never reused or skipped."""

import contextlib
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from biys.evrak import outgoing_services as svc
from biys.evrak.models import ApprovalEvent, OutgoingDocument, OutgoingNumber
from biys.evrak.tests.factories import make_sdp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, org_tree):
    unit = org_tree["network"]
    return {
        "writer": make_user("evrak_writer", unit),
        "chief": make_user("chief", unit),
        "manager": make_user(None, org_tree["dept"]),
        "head": make_user("department_head", org_tree["dept"]),
    }


def ready_draft(people, org_tree, **values):
    return svc.save_outgoing_draft(
        user=people["writer"],
        unit=org_tree["network"],
        subject="Veri paylaşımı hk.",
        body="Gereğini arz ederim.",
        sdp_code=values.pop("sdp_code", None) or make_sdp_code(code="010.03"),
        signer=people["head"],
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "24312041"}],
        **values,
    )


def submitted(people, org_tree):
    document = ready_draft(people, org_tree)
    return svc.submit_for_approval(
        user=people["writer"], document=document, path=[people["chief"], people["manager"]]
    )


def kinds(document) -> list[str]:
    return list(ApprovalEvent.objects.filter(document=document).values_list("kind", flat=True))


def test_paraf_in_order_then_signature_gives_the_sayi(people, org_tree, municipality):
    document = submitted(people, org_tree)
    assert document.state == "approval"
    # The people on the path see it; it is not the manager's turn yet, nor the signer's.
    assert OutgoingDocument.objects.restrict(people["manager"]).filter(pk=document.pk).exists()
    with pytest.raises(PermissionDenied):
        svc.paraf(user=people["manager"], document=document)
    with pytest.raises(PermissionDenied):
        svc.sign(user=people["head"], document=document)
    svc.paraf(user=people["chief"], document=document)
    svc.paraf(user=people["manager"], document=document)
    assert svc.approval_actions(people["head"], document) == {"sign", "return"}
    document = svc.sign(user=people["head"], document=document)
    year = timezone.localdate().year
    assert document.state == "signed" and document.record_no == 1 and document.year == year
    assert document.number == f"E-{municipality.detsis_no}-010.03-1"
    number = OutgoingNumber.objects.get()
    assert (number.state, number.number) == ("used", document.number)
    assert kinds(document) == ["submitted", "paraf", "paraf", "number", "signed"]
    with pytest.raises(ValidationError):
        svc.save_outgoing_draft(user=people["writer"], document=document, subject="x")


def test_a_change_after_a_paraf_resets_the_parafs(people, org_tree):
    document = submitted(people, org_tree)
    svc.paraf(user=people["chief"], document=document)
    svc.save_outgoing_draft(user=people["writer"], document=document, notes="only a note")
    assert document.approval_steps.filter(parafed_at__isnull=False).count() == 1
    svc.save_outgoing_draft(user=people["writer"], document=document, body="Yeni metin.")
    document.refresh_from_db()
    assert document.state == "approval" and document.version == 2
    assert not document.approval_steps.filter(parafed_at__isnull=False).exists()
    reset = ApprovalEvent.objects.get(document=document, kind="reset")
    assert str(people["chief"]) in reset.note and reset.user == people["writer"]
    assert svc.current_step(document).user == people["chief"]


def test_return_to_the_writer(people, org_tree):
    document = submitted(people, org_tree)
    with pytest.raises(ValidationError):
        svc.return_to_writer(user=people["chief"], document=document, note="")
    svc.return_to_writer(user=people["chief"], document=document, note="Ek eksik.")
    document.refresh_from_db()
    assert document.state == "draft" and kinds(document)[-1] == "returned"


def test_a_draft_that_is_not_ready_is_not_sent(people, org_tree):
    document = svc.save_outgoing_draft(
        user=people["writer"], unit=org_tree["network"], subject="Eksik"
    )
    with pytest.raises(ValidationError) as error:
        svc.submit_for_approval(user=people["writer"], document=document, path=[])
    assert {"signer", "sdp_code", "distribution", "body"} <= set(error.value.message_dict)
    draft = ready_draft(people, org_tree, sdp_code=make_sdp_code(code="010.04"))
    with pytest.raises(ValidationError):
        svc.submit_for_approval(user=people["writer"], document=draft, path=[people["head"]])


def test_a_failed_signature_cancels_its_number_and_the_next_one_follows(
    people, org_tree, municipality
):
    document = submitted(people, org_tree)
    svc.paraf(user=people["chief"], document=document)
    svc.paraf(user=people["manager"], document=document)

    def refused(document, number):
        raise ValidationError("İmza doğrulanamadı.")

    with pytest.raises(ValidationError):
        svc.sign(user=people["head"], document=document, signature=refused)
    document.refresh_from_db()
    assert document.state == "approval" and document.number == ""
    cancelled = OutgoingNumber.objects.get()
    assert cancelled.state == "cancelled" and "İmza doğrulanamadı" in cancelled.reason
    document = svc.sign(user=people["head"], document=document)
    assert document.record_no == 2
    assert list(OutgoingNumber.objects.values_list("record_no", "state")) == [
        (1, "cancelled"),
        (2, "used"),
    ]
    assert kinds(document)[-4:] == ["number", "cancelled", "number", "signed"]


def test_an_abandoned_reservation_is_cancelled(people, org_tree):
    document = submitted(people, org_tree)
    svc.paraf(user=people["chief"], document=document)
    svc.paraf(user=people["manager"], document=document)
    reservation, _version = svc._reserve_number(people["head"], document)
    OutgoingNumber.objects.filter(pk=reservation.pk).update(
        reserved_at=timezone.now() - timedelta(hours=2)
    )
    assert svc.cancel_abandoned_numbers(older_than_minutes=30) == 1
    reservation.refresh_from_db()
    assert reservation.state == "cancelled" and reservation.reason


def test_the_sayi_needs_the_municipality_detsis_number(people, org_tree, municipality):
    municipality.detsis_no = ""
    municipality.save()
    document = submitted(people, org_tree)
    svc.paraf(user=people["chief"], document=document)
    svc.paraf(user=people["manager"], document=document)
    with pytest.raises(ValidationError):
        svc.sign(user=people["head"], document=document)
    assert not OutgoingNumber.objects.exists()


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent signatures need PostgreSQL row locks (DATABASE_URL=postgres://...)",
)


@needs_postgresql
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_signers_get_distinct_consecutive_numbers(people, org_tree, municipality):
    """Twelve documents signed by six threads at once, every third signature refused: the
    record numbers are 1..12 with no duplicate and no gap, each used or cancelled."""
    code = make_sdp_code(code="010.03")
    documents = []
    for _ in range(12):
        document = ready_draft(people, org_tree, sdp_code=code)
        documents.append(svc.submit_for_approval(user=people["writer"], document=document, path=[]))
    errors, lock = [], threading.Lock()
    start = threading.Barrier(6)

    def refused(document, number):
        raise ValidationError("reddedildi")

    def signer(index: int):
        try:
            start.wait()
            for n, document in enumerate(documents[index::6]):
                with contextlib.suppress(ValidationError):  # refused: its number cancelled
                    svc.sign(
                        user=people["head"],
                        document=document,
                        signature=refused if (index + n) % 3 == 0 else None,
                    )
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=signer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a signer hung"
    assert not errors, errors
    numbers = list(OutgoingNumber.objects.order_by("record_no"))
    assert [n.record_no for n in numbers] == list(range(1, 13))
    assert {n.state for n in numbers} == {"used", "cancelled"}
    used = [n for n in numbers if n.state == "used"]
    signed = OutgoingDocument.objects.filter(state="signed")
    assert sorted(signed.values_list("record_no", flat=True)) == [n.record_no for n in used]
    assert len(set(signed.values_list("number", flat=True))) == signed.count()


def test_the_approval_through_the_pages_and_the_api(client, people, org_tree, municipality):
    from django.urls import reverse
    from rest_framework.test import APIClient

    document = ready_draft(people, org_tree)
    client.force_login(people["writer"])
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'id="submit-form"' in page
    url = lambda action: reverse("evrak:outgoing_action", args=[document.pk, action])  # noqa: E731
    response = client.post(url("submit"), {"first": people["chief"].pk})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == "approval"
    assert client.post(url("paraf")).status_code == 403  # not the writer's turn
    client.force_login(people["chief"])
    assert 'id="paraf-form"' in client.get(document.get_absolute_url()).content.decode()
    client.post(url("paraf"))
    api = APIClient()
    api.force_authenticate(people["head"])
    base = f"/api/v1/evrak/outgoing/{document.pk}/"
    approval = api.get(base + "approval/").json()
    assert approval["steps"][0]["parafed_at"] and approval["events"][0]["kind"] == "submitted"
    signed = api.post(base + "sign/")
    assert signed.status_code == 200, signed.json()
    assert signed.json()["number"] == f"E-{municipality.detsis_no}-010.03-1"
    assert api.post(base + "sign/").status_code == 403
    page = client.get(document.get_absolute_url()).content.decode()
    assert f"E-{municipality.detsis_no}-010.03-1" in page and 'data-number-state="used"' in page


def test_the_hourly_task_cancels_abandoned_numbers(people, org_tree, settings):
    from biys.evrak import tasks

    assert "evrak-cancel-abandoned-numbers" in settings.CELERY_BEAT_SCHEDULE
    document = submitted(people, org_tree)
    svc.paraf(user=people["chief"], document=document)
    svc.paraf(user=people["manager"], document=document)
    reservation, _version = svc._reserve_number(people["head"], document)
    OutgoingNumber.objects.filter(pk=reservation.pk).update(
        reserved_at=timezone.now() - timedelta(hours=2)
    )
    assert tasks.cancel_abandoned_numbers() == 1
    assert OutgoingNumber.objects.get().state == "cancelled"


def test_only_the_member_whose_turn_it_is_parafs_and_only_the_signer_signs(
    people, org_tree, make_user, municipality
):
    """The matrix of the paraf and sign routes (the API's, and the page's paraf): every role
    inside and outside the document's unit, the writer and the path's other people are refused
    (403, or 404 where the document is not visible) and nothing is recorded; the member whose
    turn it is initials, and once every paraf is in only the signer signs."""
    from django.test import Client
    from django.urls import reverse
    from rest_framework.test import APIClient

    from tests.permissions.matrix import role_cases

    document = submitted(people, org_tree)
    base = f"/api/v1/evrak/outgoing/{document.pk}/"
    page_paraf = reverse("evrak:outgoing_action", args=[document.pk, "paraf"])
    matrix = [
        make_user(role, org_tree["network"] if inside else org_tree["roads"])
        for role, inside in role_cases()
    ]

    def refused(users, *, paraf: bool):
        failures = []
        for user in users:
            api, page = APIClient(), Client()
            api.force_authenticate(user)
            page.force_login(user)
            answers = [api.post(base + "sign/").status_code]
            if paraf:
                answers += [
                    api.post(base + "paraf/").status_code,
                    page.post(page_paraf).status_code,
                ]
            if any(status not in (403, 404) for status in answers):
                failures.append(f"{user}: {answers}")
        return failures

    # The chief's turn: nobody else initials, nobody signs.
    others = [people["writer"], people["manager"], people["head"], *matrix]
    assert not refused(others, paraf=True)
    assert kinds(document) == ["submitted"] and not OutgoingNumber.objects.exists()
    assert not document.approval_steps.filter(parafed_at__isnull=False).exists()
    chief = APIClient()
    chief.force_authenticate(people["chief"])
    assert chief.post(base + "paraf/").status_code == 200
    # The manager's turn, through the page.
    assert not refused([people["writer"], people["chief"], people["head"], *matrix], paraf=True)
    manager = Client()
    manager.force_login(people["manager"])
    assert manager.post(page_paraf).status_code == 302
    assert kinds(document) == ["submitted", "paraf", "paraf"]
    # Every paraf in: only the signer signs.
    assert not refused([people["writer"], people["chief"], people["manager"], *matrix], paraf=True)
    assert (
        kinds(document) == ["submitted", "paraf", "paraf"] and not OutgoingNumber.objects.exists()
    )
    head = APIClient()
    head.force_authenticate(people["head"])
    assert head.post(base + "sign/").status_code == 200
    document.refresh_from_db()
    assert document.state == "signed"
