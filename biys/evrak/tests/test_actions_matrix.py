"""Every evrak action, through its page and the API, for every role inside and outside the
document's unit. Who may act is computed from the role definitions, so a new role joins by
itself. Each request runs in a savepoint rolled back, so one document serves the whole matrix;
on PostgreSQL each role runs inside its unit only. Gizli documents: nobody but the named."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from biys.evrak.choices import Confidentiality, SenderKind
from biys.evrak.models import IncomingDocument, IncomingPackage
from biys.evrak.tests.factories import make_document, make_scan_text
from biys.evrak.tests.packages import conformant_sample
from tests.permissions.matrix import ROLE_SPECS, role_cases, rolled_back

pytestmark = pytest.mark.django_db

PACKAGE = conformant_sample()


def make_received_mail(unit):
    from django.core.files.base import ContentFile

    from biys.evrak.models import EvrakMailbox, ReceivedMail

    mailbox = EvrakMailbox.objects.create(
        name="KEP", host="127.0.0.1", username="kep", password="x", receiving_unit=unit
    )
    raw = b"From: a@b.test\r\nSubject: Matris\r\nMessage-ID: <m@b.test>\r\n\r\nMetin\r\n"
    mail = ReceivedMail(
        mailbox=mailbox, message_id="<m@b.test>", subject="Matris", size=len(raw), sha256="0" * 64
    )
    mail.file.save("m.eml", ContentFile(raw), save=False)
    mail.save()
    return mail


def may(role: str, inside: bool, perm: str) -> bool:
    return inside and ROLE_SPECS[role].matches(perm)


def paper_form(unit) -> dict:
    return {
        "receiving_unit": unit.pk,
        "sender_kind": SenderKind.INSTITUTION,
        "sender_name": "Valilik",
        "sender_detsis_no": "24312041",
        "subject": "Matris yazısı",
    }


def test_every_action_for_every_role(org_tree, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = org_tree["network"]
    document = make_document(
        unit,
        sender_kind=SenderKind.PERSON,
        sender_detsis_no="",
        sender_name="Ayşe Yılmaz",
        sender_tc_kimlik_no="10000000146",
    )
    clerk = make_user("evrak_clerk", unit)
    from biys.evrak import services

    imported = services.import_eyp_package(
        user=clerk,
        receiving_unit=unit,
        uploaded_file=SimpleUploadedFile(
            "p.eyp", conformant_sample(belge_id="A586D8E7-ADE1-4B08-B2B8-57250B22F8DC")
        ),
    )
    part = IncomingPackage.objects.get(document=imported).parts.first()
    scan = make_scan_text(unit, document=document, status="failed", error="tesseract yok")
    received = make_received_mail(unit)
    failures = []

    def check(where, what, response, allowed, ok=(200,)):
        if allowed and response.status_code not in ok:
            failures.append(f"{where}: {what} -> {response.status_code} (allowed)")
        if not allowed and response.status_code not in (403, 404):
            failures.append(f"{where}: {what} -> {response.status_code} (refused)")

    for role, inside in role_cases():
        user = make_user(role, unit if inside else org_tree["roads"])
        where = f"{role} {'inside' if inside else 'outside'}"
        view = may(role, inside, "evrak.view_incomingdocument")
        add = may(role, inside, "evrak.add_incomingdocument")
        reveal = view and may(role, inside, "evrak.reveal_sender_data")
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)

        listed = page.get(reverse("evrak:incomingdocument_list"))
        if (document.number in listed.content.decode()) != view:
            failures.append(f"{where}: list shows the document = {not view}")
        check(where, "detail", page.get(document.get_absolute_url()), view)
        check(where, "part", page.get(reverse("evrak:part", args=[part.pk])), view)
        check(where, "API detail", api.get(f"/api/v1/evrak/incoming/{document.pk}/"), view)
        check(where, "scans panel", page.get(reverse("evrak:scans", args=[document.pk])), view)
        check(where, "API scan", api.get(f"/api/v1/evrak/scans/{scan.pk}/"), view)
        change = view and may(role, inside, "evrak.change_incomingdocument")
        check(
            where,
            "recognise again",
            rolled_back(
                lambda page=page: page.post(
                    reverse("evrak:recognise", args=[document.pk]),
                    {"attachment": scan.attachment_id},
                )
            ),
            change,
            ok=(302,),
        )
        inbox = page.get(reverse("evrak:receivedmail_list"))
        check(where, "mail inbox", inbox, ROLE_SPECS[role].matches("evrak.add_incomingdocument"))
        if (received.get_absolute_url() in inbox.content.decode()) != add:
            failures.append(f"{where}: the inbox lists the message = {not add}")
        check(where, "mail", page.get(received.get_absolute_url()), add)
        check(
            where,
            "mail .eml",
            page.get(reverse("evrak:receivedmail_file", args=[received.pk])),
            add,
        )
        check(
            where,
            "mail dismiss",
            rolled_back(
                lambda page=page: page.post(
                    reverse("evrak:receivedmail_dismiss", args=[received.pk])
                )
            ),
            add,
            ok=(302,),
        )
        check(
            where,
            "mail package",
            rolled_back(
                lambda page=page: page.post(
                    reverse("evrak:receivedmail_package", args=[received.pk]),
                    {"receiving_unit": unit.pk},
                )
            ),
            add,
            ok=(302,),
        )
        rows = api.get("/api/v1/evrak/mail/").json().get("results", [])
        if bool(rows) != add:
            failures.append(f"{where}: API mail lists {len(rows)}")
        check(where, "API mail", api.get(f"/api/v1/evrak/mail/{received.pk}/"), add)
        check(
            where,
            "API recognise",
            rolled_back(lambda api=api: api.post(f"/api/v1/evrak/scans/{scan.pk}/recognise/")),
            change,
            ok=(202,),
        )
        check(
            where,
            "reveal",
            rolled_back(lambda page=page: page.post(reverse("evrak:reveal", args=[document.pk]))),
            reveal,
        )
        check(
            where,
            "API personal-data",
            rolled_back(
                lambda api=api: api.post(f"/api/v1/evrak/incoming/{document.pk}/personal-data/")
            ),
            reveal,
        )

        def register_paper(page=page):
            before = IncomingDocument.objects.count()
            response = page.post(reverse("evrak:incomingdocument_add"), paper_form(unit))
            return response, IncomingDocument.objects.count() - before

        response, created = rolled_back(register_paper)
        if (response.status_code == 302 and created == 1) != add or (
            not add and (created or response.status_code not in (403, 404))
        ):
            failures.append(f"{where}: register paper -> {response.status_code}, {created}")

        def register_package(page=page):
            before = IncomingDocument.objects.count()
            response = page.post(
                reverse("evrak:incomingdocument_add"),
                {"receiving_unit": unit.pk, "sender_kind": "institution",
                 "package": SimpleUploadedFile("p.eyp", PACKAGE)},
            )  # fmt: skip
            return response, IncomingDocument.objects.count() - before

        response, created = rolled_back(register_package)
        if (response.status_code == 302 and created == 1) != add or (
            not add and (created or response.status_code not in (403, 404))
        ):
            failures.append(f"{where}: register package -> {response.status_code}, {created}")

        def api_import(api=api):
            before = IncomingDocument.objects.count()
            response = api.post(
                "/api/v1/evrak/incoming/import-eyp/",
                {"receiving_unit": unit.pk, "file": SimpleUploadedFile("p.eyp", PACKAGE)},
                format="multipart",
            )
            return response, IncomingDocument.objects.count() - before

        response, created = rolled_back(api_import)
        if (response.status_code == 201 and created == 1) != add or (
            not add and (created or response.status_code not in (403, 404))
        ):
            failures.append(f"{where}: API import-eyp -> {response.status_code}, {created}")

        check_any = ROLE_SPECS[role].matches("evrak.add_incomingdocument")
        response = api.post(
            "/api/v1/evrak/incoming/check-eyp/",
            {"file": SimpleUploadedFile("p.eyp", PACKAGE)},
            format="multipart",
        )
        check(where, "API check-eyp", response, check_any)
    assert not failures, "\n".join(failures)


def test_a_secret_document_is_for_its_named_readers_only(org_tree, make_user):
    unit = org_tree["network"]
    named = make_user(None, org_tree["roads"])
    secret = make_document(
        unit,
        confidentiality=Confidentiality.SECRET,
        named_readers=[named],
        subject="Disiplin soruşturması raporu",
    )
    failures = []
    for role, inside in role_cases():
        user = make_user(role, unit if inside else org_tree["roads"])
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        where = f"{role} {'inside' if inside else 'outside'}"
        # a unit-wide role sees the register row only, masked ("Gizli"); others nothing
        detail = page.get(secret.get_absolute_url())
        if detail.status_code not in (200, 404) or secret.subject in detail.content.decode():
            failures.append(f"{where}: detail shown")
        if detail.status_code == 200 and 'id="masked-document"' not in detail.content.decode():
            failures.append(f"{where}: detail not masked")
        body = api.get(f"/api/v1/evrak/incoming/{secret.pk}/")
        if body.status_code == 200 and not body.json()["masked"]:
            failures.append(f"{where}: API detail shown")
        if secret.subject in page.get(reverse("evrak:incomingdocument_list")).content.decode():
            failures.append(f"{where}: listed")
    page = Client()
    page.force_login(named)
    assert page.get(secret.get_absolute_url()).status_code == 200
    assert not failures, "\n".join(failures)
