"""Dispatch of a signed outgoing document by KEP: the message built (subject, body, the .eyp for
a public institution, the üst yazı PDF for a company), sent to a real SMTP server (aiosmtpd on
loopback, with the KEP account's login), the line marked sent by KEP through the dispatch rule,
a failure kept with its reason and sent again, the refusals, a Gizli document's subject kept out
of the message, the provider's delivery evidence read back from a real IMAP mailbox (Dovecot)
and matched to the sending, and the same through the page and the API."""

# ruff: noqa: F811  (pytest fixtures shared from mailserver.py are imported, then requested)
import email
import email.policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from biys.evrak import mail_intake, services
from biys.evrak import outgoing_services as svc
from biys.evrak.choices import DispatchChannel, KepState, MailState
from biys.evrak.models import ConfidentialView, EvrakMailbox, KepDispatch, ReceivedMail, SdpCode
from biys.servicedesk.tests.mailserver import free_port, imap_inbox, imap_server  # noqa: F401

pytestmark = pytest.mark.django_db

SMTP_USER = "belediye@hs01.kep.tr"
SMTP_PASSWORD = "Kep-Parolasi-1"
VALILIK = "valilik@hs01.kep.tr"
FIRMA = "firma@hs02.kep.tr"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BIYS_EVRAK_KEP_TIMEOUT = 10


class KepServer:
    """What the provider's SMTP submission server accepted, and who logged in."""

    def __init__(self, port):
        self.host, self.port = "127.0.0.1", port
        self.envelopes, self.logins = [], []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        ok = (auth_data.login.decode(), auth_data.password.decode()) == (SMTP_USER, SMTP_PASSWORD)
        return AuthResult(success=ok, handled=False)  # aiosmtpd answers 535 on a refusal

    def messages(self):
        return [
            (
                envelope,
                email.message_from_bytes(envelope.original_content, policy=email.policy.default),
            )
            for envelope in self.envelopes
        ]


@pytest.fixture
def kep_server():
    server = KepServer(free_port())
    controller = Controller(
        server,
        hostname=server.host,
        port=server.port,
        authenticator=server.authenticate,
        auth_require_tls=False,
        auth_exclude_mechanism=["LOGIN"],  # PLAIN only: a refused login fails at once
    )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def account(org_tree, kep_server, **values):
    fields = {
        "name": "Belediye KEP hesabı",
        "kind": "kep",
        "host": "127.0.0.1",
        "port": 1,
        "use_ssl": False,
        "username": SMTP_USER,
        "password": SMTP_PASSWORD,
        "receiving_unit": org_tree["dept"],
        "smtp_host": kep_server.host,
        "smtp_port": kep_server.port,
        "smtp_security": "none",
    }
    return EvrakMailbox.objects.create(**(fields | values))


@pytest.fixture
def people(make_user, org_tree):
    return {
        "writer": make_user("evrak_writer", org_tree["network"]),
        "head": make_user(
            "department_head", org_tree["dept"], first_name="Şükrü", last_name="Çağlar"
        ),
    }


DISTRIBUTION = [
    {"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "87654321"},
    {"kind": "BLG", "name": "Örnek Yazılım A.Ş.", "vkn": "1234567890", "recipient_kind": "company"},
    {"kind": "BLG", "name": "Fen İşleri Dairesi Başkanlığı"},  # a unit of the municipality
]


def signed(people, org_tree, **values):
    defaults = {
        "unit": org_tree["network"],
        "subject": "Kent bilgi sistemi verilerinin paylaşımı",
        "body": "İlgi yazınız incelenmiştir.\n\nBilgilerinizi rica ederim.",
        "sdp_code": SdpCode.objects.get_or_create(
            code="010.03", defaults={"title": "Bilgi edinme"}
        )[0],
        "signer": people["head"],
        "signer_title": "Bilgi İşlem Dairesi Başkanı",
        "distribution": DISTRIBUTION,
    }
    document = svc.save_outgoing_draft(user=people["writer"], **(defaults | values))
    svc.submit_for_approval(user=people["writer"], document=document, path=[])
    return svc.sign(user=people["head"], document=document)


def line_named(document, name):
    return document.distribution.get(name=name)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send as the page does: the task runs once the request's transaction commits."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            sending = services.send_by_kep(**kwargs)
        sending.refresh_from_db()
        return sending

    return run


def test_a_public_institution_gets_the_package_by_kep(people, org_tree, kep_server, send):
    account(org_tree, kep_server)
    document = signed(people, org_tree)
    line = line_named(document, "Eskişehir Valiliği")

    sending = send(user=people["writer"], line=line, address=" Valilik@HS01.kep.tr ")

    assert sending.state == KepState.SENT and sending.error == ""
    assert sending.sent_at and sending.requested_by == people["writer"]
    line.refresh_from_db()
    assert line.dispatch_channel == DispatchChannel.KEP and line.dispatched_at == sending.sent_at
    assert line.dispatched_by == people["writer"] and line.kep_address == VALILIK
    assert kep_server.logins == [(SMTP_USER, SMTP_PASSWORD)]
    ((envelope, message),) = kep_server.messages()
    assert envelope.mail_from == SMTP_USER and envelope.rcpt_tos == [VALILIK]
    document.refresh_from_db()
    assert (
        message["Subject"].strip()
        == f"{document.number} - Kent bilgi sistemi verilerinin paylaşımı"
    )
    assert message["Message-ID"] == sending.message_id
    files = {part.get_filename(): part for part in message.iter_attachments()}
    assert list(files) == [f"{document.belge_id}.eyp"] == [sending.files]
    assert files[f"{document.belge_id}.eyp"].get_content_type() == "application/eyazisma"
    assert files[f"{document.belge_id}.eyp"].get_content() == svc.eyp_package(document=document)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert document.number in body and "Kent bilgi sistemi" in body
    # Sent once: the line is recorded, so it is not sent again.
    with pytest.raises(ValidationError):
        services.send_by_kep(user=people["writer"], line=line, address=VALILIK)


def test_a_company_gets_the_pdf_and_the_package(people, org_tree, kep_server, send):
    account(org_tree, kep_server, address="yazi.isleri@hs01.kep.tr")
    document = signed(people, org_tree)
    sending = send(user=people["writer"], line=line_named(document, "Örnek Yazılım A.Ş."),
                   address=FIRMA)  # fmt: skip
    assert sending.state == KepState.SENT
    ((envelope, message),) = kep_server.messages()
    assert envelope.mail_from == "yazi.isleri@hs01.kep.tr"
    document.refresh_from_db()
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names == [f"{document.number}.pdf", f"{document.belge_id}.eyp"]
    pdf = next(message.iter_attachments()).get_content()
    assert pdf.startswith(b"%PDF")


def test_a_failure_keeps_its_reason_and_is_sent_again(people, org_tree, kep_server, send):
    mailbox = account(org_tree, kep_server, smtp_password="yanlis")
    document = signed(people, org_tree)
    line = line_named(document, "Eskişehir Valiliği")

    failed = send(user=people["writer"], line=line, address=VALILIK)
    assert failed.state == KepState.FAILED and "Authentication" in failed.error
    assert failed.message_id and failed.sent_at is None
    line.refresh_from_db()
    assert line.dispatched_at is None and line.dispatch_channel == ""
    assert kep_server.envelopes == []

    EvrakMailbox.objects.filter(pk=mailbox.pk).update(smtp_password="")  # the IMAP password
    again = send(user=people["writer"], line=line, address="")  # the address the line keeps
    assert again.state == KepState.SENT and again.address == VALILIK
    assert again.message_id != failed.message_id
    assert KepDispatch.objects.filter(line=line).count() == 2
    line.refresh_from_db()
    assert line.dispatch_channel == DispatchChannel.KEP


def test_no_server_is_a_failure_too(people, org_tree, kep_server, send):
    account(org_tree, kep_server, smtp_port=free_port())  # nothing listens there
    document = signed(people, org_tree)
    sending = send(user=people["writer"], line=line_named(document, "Eskişehir Valiliği"),
                   address=VALILIK)  # fmt: skip
    assert sending.state == KepState.FAILED and "Connection" in sending.error


def test_what_is_refused(people, org_tree, kep_server, make_user, send, settings):
    document = signed(people, org_tree)
    valilik = line_named(document, "Eskişehir Valiliği")
    writer = people["writer"]
    with pytest.raises(ValidationError) as error:  # no KEP account sends yet
        services.send_by_kep(user=writer, line=valilik, address=VALILIK)
    assert list(error.value.message_dict) == ["line"]
    account(org_tree, kep_server)
    for address in ("", "valilik", "valilik@valilik.gov.tr"):
        with pytest.raises(ValidationError) as error:
            services.send_by_kep(user=writer, line=valilik, address=address)
        assert "address" in error.value.message_dict
    settings.BIYS_EVRAK_KEP_ADDRESS_SUFFIX = ""  # any address, for an installation that wants it
    assert send(user=writer, line=valilik, address="valilik@valilik.gov.tr").state == "sent"
    with pytest.raises(ValidationError):  # a unit of the municipality is not sent by KEP
        services.send_by_kep(
            user=writer, line=line_named(document, "Fen İşleri Dairesi Başkanlığı"), address=FIRMA
        )
    reader = make_user("evrak_reader", org_tree["network"])
    with pytest.raises(PermissionDenied):
        services.send_by_kep(
            user=reader, line=line_named(document, "Örnek Yazılım A.Ş."), address=FIRMA
        )
    draft = svc.save_outgoing_draft(
        user=writer, unit=org_tree["network"], subject="Taslak", body="-",
        distribution=DISTRIBUTION[:1],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.send_by_kep(user=writer, line=draft.distribution.get(), address=VALILIK)
    settings.BIYS_EVRAK_KEP_MAX_MB = 0
    failed = send(user=writer, line=line_named(document, "Örnek Yazılım A.Ş."), address=FIRMA)
    assert failed.state == KepState.FAILED and "MB" in failed.error


def test_a_gizli_document_s_subject_stays_out_of_the_message(people, org_tree, kep_server, send):
    account(org_tree, kep_server)
    document = signed(people, org_tree, confidentiality="GZL", subject="Disiplin soruşturması")
    sending = send(user=people["writer"], line=line_named(document, "Eskişehir Valiliği"),
                   address=VALILIK)  # fmt: skip
    assert sending.state == KepState.SENT
    ((_envelope, message),) = kep_server.messages()
    document.refresh_from_db()
    assert message["Subject"].strip() == f"{document.number} - Gizli"
    assert "Disiplin" not in message.get_body(preferencelist=("plain",)).get_content()
    # The package was read to be sent: the view log of the Gizli document says so.
    view = ConfidentialView.objects.get(outgoing=document, what="package")
    assert view.user == people["writer"] and view.detail == f"KEP {VALILIK}"


def test_the_delivery_evidence_is_matched_to_the_sending(
    people, org_tree, kep_server, imap_inbox, send
):
    mailbox = account(
        org_tree,
        kep_server,
        host=imap_inbox.host,
        port=imap_inbox.port,
        username=imap_inbox.user,
        password=imap_inbox.password,
        address=SMTP_USER,
        smtp_username=SMTP_USER,
        smtp_password=SMTP_PASSWORD,
    )
    document = signed(people, org_tree)
    sending = send(user=people["writer"], line=line_named(document, "Eskişehir Valiliği"),
                   address=VALILIK)  # fmt: skip

    evidence = EmailMessage()
    evidence["From"] = "PTT KEP <delil@hs01.kep.tr>"
    evidence["To"] = SMTP_USER
    evidence["Subject"] = f"TESLİM: {document.number}"
    evidence["Auto-Submitted"] = "auto-generated"  # automatic, and still kept as evidence
    evidence["In-Reply-To"] = sending.message_id
    evidence["Message-ID"] = "<delil-1@hs01.kep.tr>"
    evidence.set_content("İletiniz alıcının KEP adresine teslim edilmiştir.")
    other = EmailMessage()
    other["From"] = "Valilik <valilik@hs01.kep.tr>"
    other["To"] = SMTP_USER
    other["Subject"] = "Yeni yazı"
    other["Message-ID"] = "<yazi-1@hs01.kep.tr>"
    other.set_content("Ektedir.")
    receipt = EmailMessage()  # a provider's receipt naming it in its own header
    receipt["From"] = "TNB KEP <bildirim@hs02.kep.tr>"
    receipt["To"] = SMTP_USER
    receipt["Subject"] = "Kabul delili"
    receipt["X-Riferimento-Message-ID"] = sending.message_id
    receipt["Message-ID"] = "<delil-2@hs02.kep.tr>"
    receipt.set_content("İleti kabul edildi.")
    reply = EmailMessage()  # the recipient's answer: a new document, not evidence
    reply["From"] = "Valilik <valilik@hs01.kep.tr>"
    reply["To"] = SMTP_USER
    reply["Subject"] = f"Ynt: {document.number}"
    reply["In-Reply-To"] = sending.message_id
    reply["Message-ID"] = "<cevap-1@hs01.kep.tr>"
    reply.set_content("Yazınız alınmıştır.")
    for message in (evidence, other, receipt, reply):
        imap_inbox.deliver(message.as_bytes())

    mail_intake.poll_mailbox(mailbox)

    kept = ReceivedMail.objects.get(message_id="<delil-1@hs01.kep.tr>")
    assert kept.state == MailState.EVIDENCE and kept.kep_dispatch == sending
    assert ReceivedMail.objects.get(message_id="<delil-2@hs02.kep.tr>").kep_dispatch == sending
    for waiting in ("<yazi-1@hs01.kep.tr>", "<cevap-1@hs01.kep.tr>"):
        mail = ReceivedMail.objects.get(message_id=waiting)
        assert mail.state == MailState.WAITING and mail.kep_dispatch is None

    api = APIClient()
    api.force_authenticate(people["writer"])
    body = api.get(f"/api/v1/evrak/outgoing/{document.pk}/kep-dispatches/").json()
    assert [item["message_id"] for item in body] == [sending.message_id]
    subjects = {item["subject"] for item in body[0]["evidence"]}
    assert subjects == {f"TESLİM: {document.number}", "Kabul delili"}

    client = Client()
    client.force_login(people["writer"])
    page = client.get(document.get_absolute_url()).content.decode()
    assert f"TESLİM: {document.number}" in page and escape(sending.message_id) in page


def test_the_page_and_the_api(
    people, org_tree, kep_server, make_user, django_capture_on_commit_callbacks
):
    account(org_tree, kep_server)
    document = signed(people, org_tree)
    valilik = line_named(document, "Eskişehir Valiliği")
    firma = line_named(document, "Örnek Yazılım A.Ş.")

    client = Client()
    client.force_login(people["writer"])
    page = client.get(document.get_absolute_url()).content.decode()
    url = reverse("evrak:outgoing_kep", kwargs={"pk": document.pk})
    assert url in page and 'name="address"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"line": valilik.pk, "address": VALILIK}, follow=True)
    assert response.status_code == 200
    valilik.refresh_from_db()
    assert valilik.dispatch_channel == DispatchChannel.KEP
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"line": firma.pk, "address": "firma@gmail.com"}, follow=True)
    assert not KepDispatch.objects.filter(line=firma).exists()

    api = APIClient()
    api.force_authenticate(people["writer"])
    endpoint = f"/api/v1/evrak/outgoing/{document.pk}/kep/"
    refused = api.post(endpoint, {"line": firma.pk, "address": "firma"}, format="json")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "address" in str(refused.json())
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(endpoint, {"line": firma.pk, "address": FIRMA}, format="json")
    assert answer.status_code == 202, answer.content
    # The answer is given before the commit's task runs: queued here, sent just after.
    assert answer.json()["state"] in ("queued", "sent")
    assert KepDispatch.objects.get(line=firma).state == KepState.SENT
    line = api.get(f"/api/v1/evrak/outgoing/{document.pk}/").json()["distribution"]
    assert {item["name"]: item["kep_address"] for item in line}["Örnek Yazılım A.Ş."] == FIRMA

    reader = make_user("evrak_reader", org_tree["network"])
    api.force_authenticate(reader)
    assert api.post(endpoint, {"line": firma.pk}, format="json").status_code == 403
    assert api.get(f"/api/v1/evrak/outgoing/{document.pk}/kep-dispatches/").status_code == 200
    client.force_login(reader)
    assert client.post(url, {"line": firma.pk, "address": FIRMA}).status_code == 403


def test_the_admin_never_shows_the_smtp_password(org_tree, kep_server, make_user):
    mailbox = account(org_tree, kep_server, smtp_password="Gizli-SMTP-1")
    client = Client()
    client.force_login(make_user(superuser=True))
    url = reverse("admin:evrak_evrakmailbox_change", args=[mailbox.pk])
    page = client.get(url).content.decode()
    assert "Gizli-SMTP-1" not in page and SMTP_PASSWORD not in page
    assert 'name="smtp_host"' in page and 'name="smtp_password"' in page
    data = {
        "name": mailbox.name, "kind": "kep", "receiving_unit": org_tree["dept"].pk,
        "is_active": "on", "host": mailbox.host, "port": mailbox.port, "username": SMTP_USER,
        "password": "", "folder": "INBOX", "address": "yeni@hs01.kep.tr",
        "smtp_host": "smtp.kep.example", "smtp_port": 465, "smtp_security": "ssl",
        "smtp_username": "", "smtp_password": "",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    mailbox.refresh_from_db()
    assert (mailbox.password, mailbox.smtp_password) == (SMTP_PASSWORD, "Gizli-SMTP-1")
    assert mailbox.address == "yeni@hs01.kep.tr" and mailbox.smtp_host == "smtp.kep.example"
    # An e-mail (not KEP) mailbox does not send.
    response = client.post(url, data | {"kind": "email"})
    assert response.status_code == 200
    assert "smtp_host" in response.context["adminform"].form.errors


def test_the_draft_carries_the_kep_address(people, org_tree, kep_server, send):
    lines = svc.parse_distribution(
        "Örnek Yazılım A.Ş. | 1234567890 | Firma@HS02.kep.tr\nEskişehir Valiliği | 87654321",
        "GRG",
    )
    assert lines[0] == {
        "kind": "GRG", "name": "Örnek Yazılım A.Ş.", "vkn": "1234567890",
        "kep_address": "Firma@HS02.kep.tr",
    }  # fmt: skip
    with pytest.raises(ValidationError) as error:
        svc.save_outgoing_draft(
            user=people["writer"], unit=org_tree["network"], subject="Taslak", body="-",
            distribution=[{"kind": "GRG", "name": "Firma", "vkn": "1234567890",
                           "kep_address": "firma@gmail.com"}],
        )  # fmt: skip
    assert "distribution" in error.value.message_dict
    account(org_tree, kep_server)
    document = signed(people, org_tree, distribution=lines)
    firma = line_named(document, "Örnek Yazılım A.Ş.")
    assert firma.kep_address == FIRMA
    text = svc.distribution_text(document.distribution.all(), "GRG")
    assert "Örnek Yazılım A.Ş. | 1234567890 | firma@hs02.kep.tr" in text
    sending = send(user=people["writer"], line=firma)  # the line's own address
    assert sending.state == KepState.SENT and sending.address == FIRMA
