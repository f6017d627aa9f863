"""The public entry point: a citizen files an application without an account and follows it
with a tracking code; the pages are bounded against oversized uploads, floods and guessing
codes, and nothing else of BİYS is reachable through them."""

from datetime import date

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, resolve

from biys.applications import services, tracking
from biys.applications.choices import Channel, State
from biys.applications.models import Application
from biys.attachments.models import Attachment
from biys.notifications.models import OutboxMessage
from config import public_settings

pytestmark = pytest.mark.django_db

PUBLIC = override_settings(
    ROOT_URLCONF=public_settings.ROOT_URLCONF,
    MIDDLEWARE=public_settings.MIDDLEWARE,
    TEMPLATES=public_settings.TEMPLATES,
    DATA_UPLOAD_MAX_NUMBER_FILES=public_settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    BIYS_PUBLIC_URL="https://basvuru.example.bel.tr",
)
VALID_TC = "10000000146"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def public_site():
    cache.clear()
    with PUBLIC:
        yield
    cache.clear()


@pytest.fixture
def public_type(bilgi_edinme):
    bilgi_edinme.public = True
    bilgi_edinme.save()
    return bilgi_edinme


def answers(**changes):
    data = {
        "applicant_kind": "person",
        "applicant_name": "Ayşe Yılmaz",
        "tc_kimlik_no": VALID_TC,
        "email": "ayse@example.com",
        "phone": "0532 000 00 00",
        "address": "Atatürk Cad. No 1, Merkez",
        "subject": "Meclis kararları",
        "description": "2025 yılı meclis kararlarının listesini istiyorum.",
        "field_istenen_bilgi": "Meclis kararları listesi",
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def apply_url(application_type):
    return f"/?type={application_type.code}"


def test_the_public_site_lists_only_public_types_and_has_no_other_page(
    client, public_type, dilekce
):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert public_type.name in page and dilekce.name not in page
    assert response["Cache-Control"] == "no-store"
    assert client.get(f"/?type={dilekce.code}").status_code == 404
    for internal in ("/admin/", "/api/v1/applications/", "/accounts/login/", "/applications/"):
        with pytest.raises(Resolver404):
            resolve(internal)
    assert "sessionid" not in response.cookies


def test_a_citizen_files_an_application_and_follows_it_by_its_code(client, public_type, responder):
    response = client.post(
        apply_url(public_type),
        answers(files=SimpleUploadedFile("dilekce.pdf", PDF, content_type="application/pdf")),
    )
    assert response.status_code == 201, response.content.decode()
    application = Application.objects.get()
    assert application.channel == Channel.WEB
    assert application.created_by is None
    assert application.responsible_unit == public_type.unit
    assert application.form_data == {"istenen_bilgi": "Meclis kararları listesi"}
    shown = response.context["code"]
    code = tracking.normalised(shown)
    assert code and application.tracking_digest == tracking.digest(code)
    assert code not in str(Application.objects.values().get())  # only its digest is kept
    assert Attachment.objects.filter(object_id=str(application.pk)).count() == 1
    notice = OutboxMessage.objects.get(to="ayse@example.com")
    assert shown in notice.body and application.number in notice.body
    assert "https://basvuru.example.bel.tr/takip/" in notice.body

    # typed in lower case with spaces, O for 0 and I for 1: still found
    typed = shown.lower().replace("-", " ").replace("0", "o").replace("1", "i")
    response = client.post("/takip/", {"code": typed})
    assert response.status_code == 200
    assert response.context["application"] == application
    page = response.content.decode()
    assert application.number in page and VALID_TC not in page and "Atatürk" not in page

    services.record_outcome(
        user=responder,
        application=application,
        outcome=State.ANSWERED,
        note="Liste ekte gönderildi.",
        today=date.today(),
    )
    page = client.post("/takip/", {"code": shown}).content.decode()
    assert "Liste ekte gönderildi." in page
    assert OutboxMessage.objects.filter(to="ayse@example.com").count() == 2


def test_an_unknown_or_malformed_code_gets_the_same_answer(client, public_type):
    answers_given = set()
    for typed in ("ABCD-EFGH-JKMN", "not a code", "' OR 1=1 --"):
        response = client.post("/takip/", {"code": typed})
        assert response.status_code == 400
        assert response.context["application"] is None
        answers_given.add(tuple(response.context["form"].errors["code"]))
    assert len(answers_given) == 1


@override_settings(BIYS_PUBLIC_LOOKUPS_PER_HOUR=5)
def test_walking_tracking_codes_is_stopped_per_client_address(client, public_type):
    codes = [tracking.new_code() for _ in range(6)]
    statuses = [client.post("/takip/", {"code": code}).status_code for code in codes]
    assert statuses == [400] * 5 + [429]
    limited = client.post("/takip/", {"code": codes[0]})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    other = client.post("/takip/", {"code": codes[0]}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 400  # another address has its own count


@override_settings(BIYS_PUBLIC_FILINGS_PER_HOUR=2)
def test_a_flood_of_filings_is_refused_before_any_work(client, public_type):
    for _ in range(2):
        assert client.post(apply_url(public_type), answers()).status_code == 201
    response = client.post(apply_url(public_type), answers())
    assert response.status_code == 429
    assert Application.objects.count() == 2


@override_settings(BIYS_PUBLIC_UPLOAD_MAX_BYTES=1024)
def test_an_oversized_upload_is_refused_unread_and_nothing_is_saved(client, public_type):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 400_000, content_type="application/pdf")
    response = client.post(apply_url(public_type), answers(files=big))
    assert response.status_code == 413
    assert not Application.objects.exists() and not Attachment.objects.exists()


@override_settings(BIYS_PUBLIC_UPLOAD_MAX_BYTES=1024)
def test_files_over_the_cap_within_the_slack_are_refused_at_the_field(client, public_type):
    files = SimpleUploadedFile("a.pdf", PDF + b"0" * 2000, content_type="application/pdf")
    response = client.post(apply_url(public_type), answers(files=files))
    assert response.status_code == 400
    assert "files" in response.context["form"].errors
    assert not Application.objects.exists()


def test_a_refused_file_type_leaves_nothing_half_saved(client, public_type):
    program = SimpleUploadedFile("belge.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(apply_url(public_type), answers(files=program))
    assert response.status_code == 400
    assert "belge.pdf" in str(response.context["form"].errors["files"])
    assert not Application.objects.exists() and not Attachment.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_too_many_files_are_refused(client, public_type):
    files = [SimpleUploadedFile(f"{n}.txt", b"metin\n") for n in range(4)]
    response = client.post(apply_url(public_type), answers(files=files))
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_bad_answers_are_shown_at_their_fields(client, public_type):
    response = client.post(
        apply_url(public_type),
        answers(tc_kimlik_no="12345678901", address="", field_istenen_bilgi="", consent=None),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"address", "field_istenen_bilgi", "consent"} <= set(errors)
    response = client.post(apply_url(public_type), answers(tc_kimlik_no="12345678901"))
    assert "tc_kimlik_no" in response.context["form"].errors
    assert not Application.objects.exists()


def test_a_company_gives_its_tax_number(client, public_type):
    response = client.post(
        apply_url(public_type), answers(applicant_kind="company", tc_kimlik_no="", tax_number="")
    )
    assert "tax_number" in response.context["form"].errors
    response = client.post(
        apply_url(public_type),
        answers(applicant_kind="company", tc_kimlik_no="", tax_number="1234567890"),
    )
    assert response.status_code == 201


def test_the_bot_field_is_refused(client, public_type):
    response = client.post(apply_url(public_type), answers(website="http://spam.example"))
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_the_form_needs_its_csrf_token(public_type):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(apply_url(public_type), answers()).status_code == 403
    page = strict.get(apply_url(public_type))
    token = page.cookies["csrftoken"].value
    response = strict.post(apply_url(public_type), {**answers(), "csrfmiddlewaretoken": token})
    assert response.status_code == 201


def test_the_sms_notice_fits_one_message(public_type):
    application, code = services.file_public_application(
        type=public_type,
        subject="Meclis kararları",
        description="Liste",
        applicant_name="Ayşe Yılmaz",
        address="Merkez",
        tc_kimlik_no=VALID_TC,
        form_data={"istenen_bilgi": "liste"},
    )
    text = services.sms_notice(application, code)
    assert tracking.shown(code) in text and len(text) <= 160
    assert not mail.outbox and not OutboxMessage.objects.exists()  # no e-mail given


def test_codes_are_unambiguous_and_random():
    codes = {tracking.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(tracking.normalised(tracking.shown(code)) == code for code in codes)
    assert not set("ILOU") & set("".join(codes))
    assert tracking.normalised("abcd-efgh-jkm") is None
