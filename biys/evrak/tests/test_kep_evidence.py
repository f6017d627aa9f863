"""The kinds of a KEP provider's delivery evidence (delil): a document is sent by KEP to a real
SMTP server (aiosmtpd), the provider's evidences arrive in the KEP mailbox of a real IMAP
server (Dovecot) and are taken by the mailbox intake; each is read for what it says (an ETSI
REM evidence XML, a PEC receipt with its daticert.xml, a DSN bounce, an MDN read report, the
subject's keywords), kept as a ``KepEvidence``, and moves the sending's state; a failure is
told to who sent it; a malformed evidence is kept as not recognised, never lost."""

# ruff: noqa: F811  (pytest fixtures shared from mailserver.py and test_kep.py are imported)
from datetime import datetime
from email.message import EmailMessage
from xml.sax.saxutils import escape as xml_escape

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from biys.evrak import kep_evidence, mail_intake, services
from biys.evrak.choices import KepEvidenceKind, KepEvidenceSource, KepState, MailState
from biys.evrak.models import KepEvidence, ReceivedMail
from biys.evrak.tests.test_kep import (  # noqa: F401
    SMTP_PASSWORD,
    SMTP_USER,
    VALILIK,
    account,
    kep_server,
    line_named,
    people,
    send,
    signed,
)
from biys.notifications.models import Notification
from biys.servicedesk.tests.mailserver import free_port, imap_inbox, imap_server  # noqa: F401

pytestmark = pytest.mark.django_db

REM = "http://uri.etsi.org/02640/v2#"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BIYS_EVRAK_KEP_TIMEOUT = 10


@pytest.fixture
def sent(people, org_tree, kep_server, imap_inbox, send):
    """A document sent by KEP to the Valilik, and its KEP mailbox on Dovecot."""
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
    assert sending.state == KepState.SENT
    document.refresh_from_db()
    return mailbox, document, sending


def rem_xml(root: str, event: str, message_id: str, *, reason: str = "", when: str = "") -> bytes:
    """An ETSI TS 102 640-2 REM-MD evidence as a provider would attach it (written here)."""
    reasons = (
        "<EventReasons><EventReason><Code>http:uri.etsi.org/REM/EventReason#"
        f"{reason}</Code></EventReason></EventReasons>"
        if reason
        else ""
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{REM}" version="2.1.1">'
        f"<EventCode>http:uri.etsi.org/02640/Event#{event}</EventCode>{reasons}"
        "<EvidenceIdentifier>delil-0001</EvidenceIdentifier>"
        "<EvidenceIssuerDetails><AttributedElectronicAddress>delil@hs01.kep.tr"
        "</AttributedElectronicAddress></EvidenceIssuerDetails>"
        f"<EventTime>{when or '2026-12-04T09:15:30+03:00'}</EventTime>"
        f"<SenderDetails><AttributedElectronicAddress>{SMTP_USER}</AttributedElectronicAddress>"
        "</SenderDetails><RecipientsDetails><EntityDetails><AttributedElectronicAddress>"
        f"{VALILIK}</AttributedElectronicAddress></EntityDetails></RecipientsDetails>"
        '<SenderMessageDetails isNotification="false"><MessageSubject>E-yazı</MessageSubject>'
        f"<UAMessageIdentifier>{xml_escape(message_id)}</UAMessageIdentifier>"
        "<MessageIdentifierByREMMD>ptt-4711</MessageIdentifierByREMMD></SenderMessageDetails>"
        f"</{root}>"
    ).encode()


def daticert(tipo: str, message_id: str, *, error: str = "nessuno", extended: str = "") -> bytes:
    """A PEC receipt's daticert.xml (RFC 6109), with the DOCTYPE real ones carry."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE postacert SYSTEM "Docs.dtd">\n'
        f'<postacert tipo="{tipo}" errore="{error}"><intestazione><mittente>{SMTP_USER}'
        f"</mittente><oggetto>E-yazı</oggetto></intestazione><dati>"
        "<gestore-emittente>TNB KEP</gestore-emittente>"
        '<data zona="+0300"><giorno>04/12/2026</giorno><ora>10:20:30</ora></data>'
        f"<msgid>{xml_escape(message_id)}</msgid>"
        + (f"<errore-esteso>{extended}</errore-esteso>" if extended else "")
        + "</dati></postacert>"
    ).encode()


def provider_mail(subject: str, message_id: str, **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "PTT KEP <delil@hs01.kep.tr>"
    message["To"] = SMTP_USER
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Fri, 04 Dec 2026 09:16:00 +0300"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return message


def rem_accepted(sending, document):
    message = provider_mail("Kabul", "<delil-kabul@hs01.kep.tr>")  # named by the XML only
    message.set_content("İletiniz KEP sistemine kabul edilmiştir.")
    message.add_attachment(
        rem_xml("SubmissionAcceptanceRejection", "Acceptance", sending.message_id),
        maintype="application",
        subtype="xml",
        filename="delil.xml",
    )
    return message


def pec_rejected(sending, document):
    message = provider_mail(
        f"AVVISO DI NON ACCETTAZIONE: {document.number}",
        "<delil-ret@hs02.kep.tr>",
        X_Ricevuta="non-accettazione",
        X_Riferimento_Message_ID=sending.message_id,
    )
    message.set_content("İleti kabul edilmedi.")
    message.add_attachment(
        daticert(
            "non-accettazione",
            sending.message_id,
            error="altro",
            extended="Ek dosya türü kabul edilmiyor",
        ),
        maintype="application",
        subtype="xml",
        filename="daticert.xml",
    )
    return message


def rem_delivered(sending, document):
    message = provider_mail(
        f"TESLİM: {document.number}",
        "<delil-teslim@hs01.kep.tr>",
        X_KEP_Message_ID=sending.message_id,
    )
    message.set_content("İletiniz alıcının KEP adresine teslim edilmiştir.")
    message.add_attachment(
        rem_xml("DeliveryNonDeliveryToRecipient", "Delivery", sending.message_id),
        maintype="application",
        subtype="xml",
        filename="teslim-delili.xml",
    )
    return message


def dsn_failed(sending, document):
    """A bounce as a mail server sends it (RFC 3464), naming the message in its returned
    headers only."""
    raw = (
        "From: MAILER-DAEMON@hs01.kep.tr\r\n"
        f"To: {SMTP_USER}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@hs01.kep.tr>\r\n"
        "Date: Fri, 04 Dec 2026 09:17:00 +0300\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe message was not delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; hs01.kep.tr\r\n\r\n"
        f"Final-Recipient: rfc822; {VALILIK}\r\nAction: failed\r\nStatus: 5.2.2\r\n"
        "Diagnostic-Code: smtp; 552 5.2.2 mailbox full\r\n"
        "Last-Attempt-Date: Fri, 04 Dec 2026 09:16:58 +0300\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {SMTP_USER}\r\nTo: {VALILIK}\r\nMessage-ID: {sending.message_id}\r\n"
        f"Subject: {document.number}\r\n\r\n"
        "--B--\r\n"
    )
    return raw.encode()


def mdn_read(sending, document):
    """A read report (RFC 8098) from the recipient's mail program."""
    raw = (
        f"From: Valilik <{VALILIK}>\r\n"
        f"To: {SMTP_USER}\r\n"
        f"Subject: Read: {document.number}\r\n"
        "Message-ID: <mdn-1@hs01.kep.tr>\r\n"
        "Date: Fri, 04 Dec 2026 11:00:00 +0300\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=disposition-notification; boundary="M"\r\n\r\n'
        "--M\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour message was displayed.\r\n"
        "--M\r\nContent-Type: message/disposition-notification\r\n\r\n"
        "Reporting-UA: valilik.example; Mail 1.0\r\n"
        f"Final-Recipient: rfc822; {VALILIK}\r\n"
        f"Original-Message-ID: {sending.message_id}\r\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\r\n\r\n"
        "--M--\r\n"
    )
    return raw.encode()


def subject_read(sending, document):
    message = provider_mail(
        f"OKUNDU: {document.number} - {document.subject}",
        "<delil-okundu@hs01.kep.tr>",
        X_KEP_Message_ID=sending.message_id,
    )
    message.set_content("İletiniz alıcı tarafından okunmuştur.")
    return message


def unrecognised(sending, document):
    message = provider_mail(
        "Bildirim", "<delil-bilinmeyen@hs01.kep.tr>", X_KEP_Message_ID=sending.message_id
    )
    message.set_content("Hesabınızla ilgili bir bildirim.")
    return message


@pytest.mark.parametrize(
    ("build", "kind", "state", "source"),
    [
        (rem_accepted, KepEvidenceKind.ACCEPTED, KepState.ACCEPTED, KepEvidenceSource.REM),
        (pec_rejected, KepEvidenceKind.REJECTED, KepState.REJECTED, KepEvidenceSource.PEC),
        (rem_delivered, KepEvidenceKind.DELIVERED, KepState.DELIVERED, KepEvidenceSource.REM),
        (dsn_failed, KepEvidenceKind.NOT_DELIVERED, KepState.NOT_DELIVERED,
         KepEvidenceSource.REPORT),
        (mdn_read, KepEvidenceKind.READ, KepState.READ, KepEvidenceSource.REPORT),
        (subject_read, KepEvidenceKind.READ, KepState.READ, KepEvidenceSource.SUBJECT),
        (unrecognised, KepEvidenceKind.UNKNOWN, KepState.SENT, KepEvidenceSource.NONE),
    ],
    ids=["rem-accepted", "pec-rejected", "rem-delivered", "dsn-not-delivered", "mdn-read",
         "subject-read", "unknown"],
)  # fmt: skip
def test_each_kind_of_evidence(sent, imap_inbox, build, kind, state, source):
    mailbox, document, sending = sent
    message = build(sending, document)
    imap_inbox.deliver(message if isinstance(message, bytes) else message.as_bytes())

    mail_intake.poll_mailbox(mailbox)

    mail = ReceivedMail.objects.get(kep_dispatch=sending)
    assert mail.state == MailState.EVIDENCE
    evidence = KepEvidence.objects.get(dispatch=sending)
    assert (evidence.kind, evidence.source, evidence.mail) == (kind, source, mail)
    assert evidence.event_at is not None
    sending.refresh_from_db()
    assert sending.state == state
    if kind == KepEvidenceKind.REJECTED:
        assert evidence.reason == "Ek dosya türü kabul edilmiyor"
        assert evidence.event_at == datetime.fromisoformat("2026-12-04T10:20:30+03:00")
    if kind == KepEvidenceKind.NOT_DELIVERED:
        assert "mailbox full" in evidence.reason
    if source == KepEvidenceSource.REM:
        assert evidence.event_at == datetime.fromisoformat("2026-12-04T09:15:30+03:00")


def test_the_evidences_move_the_state_and_show_on_the_page_and_in_the_api(sent, imap_inbox, people):
    mailbox, document, sending = sent
    for build in (rem_accepted, rem_delivered):
        imap_inbox.deliver(build(sending, document).as_bytes())
    mail_intake.poll_mailbox(mailbox)
    sending.refresh_from_db()
    assert sending.state == KepState.DELIVERED
    # A late acceptance never takes the state back; a read report takes it forward.
    imap_inbox.deliver(mdn_read(sending, document))
    mail_intake.poll_mailbox(mailbox)
    sending.refresh_from_db()
    assert sending.state == KepState.READ
    assert [e.kind for e in sending.evidences.order_by("event_at")] == [
        "accepted", "delivered", "read"
    ]  # fmt: skip

    api = APIClient()
    api.force_authenticate(people["writer"])
    (body,) = api.get(f"/api/v1/evrak/outgoing/{document.pk}/kep-dispatches/").json()
    assert body["state"] == "read"
    assert [item["kind"] for item in body["evidence"]] == ["accepted", "delivered", "read"]
    delivered = body["evidence"][1]
    assert delivered["source"] == "rem" and delivered["event_at"].startswith("2026-12-04T")
    assert delivered["subject"] == f"TESLİM: {document.number}"
    assert "DeliveryNonDeliveryToRecipient" in delivered["code"]

    client = Client()
    client.force_login(people["writer"])
    with translation.override("tr"):
        page = client.get(document.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="tr")
    html = page.content.decode()
    assert 'data-kep-evidence="delivered"' in html and 'data-kep-evidence="read"' in html
    assert "Teslim edildi" in html and "Okundu" in html and "Kabul edildi" in html
    assert "04.12.2026" in html


def test_a_failure_is_told_to_who_sent_it(sent, imap_inbox, people):
    mailbox, document, sending = sent
    imap_inbox.deliver(dsn_failed(sending, document))
    mail_intake.poll_mailbox(mailbox)

    (notice,) = Notification.objects.filter(recipient=people["writer"])
    assert document.number in notice.title and VALILIK in notice.title
    assert "Kent bilgi" not in notice.title  # the konu stays in BİYS
    assert "mailbox full" in notice.body
    # Polling again takes nothing twice: one evidence, one notice.
    mail_intake.poll_mailbox(mailbox)
    assert KepEvidence.objects.filter(dispatch=sending).count() == 1
    assert Notification.objects.filter(recipient=people["writer"]).count() == 1


def test_a_document_not_delivered_is_sent_again(
    sent, imap_inbox, people, kep_server, django_capture_on_commit_callbacks
):
    """A sending that came back not delivered leaves its line open: the page offers to send
    it again by KEP (to a corrected address) or to record another way; the earlier sending
    and its evidence stay. A delivered one is never sent twice."""
    mailbox, document, sending = sent
    line = line_named(document, "Eskişehir Valiliği")
    client = Client()
    client.force_login(people["writer"])
    page = client.get(document.get_absolute_url()).content.decode()
    assert "data-undelivered" not in page
    imap_inbox.deliver(dsn_failed(sending, document))
    mail_intake.poll_mailbox(mailbox)
    sending.refresh_from_db()
    assert sending.state == KepState.NOT_DELIVERED

    with translation.override("tr"):
        page = client.get(document.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="tr")
    html = page.content.decode()
    assert html.count("data-undelivered") == 1 and "teslim edilemedi" in html
    assert "KEP ile tekrar gönder" in html and f'value="{line.pk}"' in html

    corrected = "valilik.yazi@hs01.kep.tr"
    with django_capture_on_commit_callbacks(execute=True):  # the task, once committed
        response = client.post(
            f"/evrak/outgoing/{document.pk}/kep/", {"line": line.pk, "address": corrected}
        )
    assert response.status_code == 302
    again = line.kep_dispatches.order_by("-pk").first()
    assert again.pk != sending.pk and again.state == KepState.SENT
    assert again.address == corrected
    line.refresh_from_db()
    assert line.dispatch_channel == "kep" and line.dispatched_at == again.sent_at
    assert line.kep_address == corrected
    sending.refresh_from_db()
    assert sending.state == KepState.NOT_DELIVERED and sending.evidences.count() == 1
    assert [envelope.rcpt_tos for envelope, _message in kep_server.messages()] == [
        [VALILIK], [corrected]
    ]  # fmt: skip

    # sent again and not refused: a third sending, or recording another way, is refused
    api = APIClient()
    api.force_authenticate(people["writer"])
    url = f"/api/v1/evrak/outgoing/{document.pk}/"
    refused = api.post(url + "kep/", {"line": line.pk, "address": corrected}, format="json")
    assert refused.status_code == 400
    refused = api.post(url + "dispatch/", {"line": line.pk, "channel": "hand"}, format="json")
    assert refused.status_code == 400
    assert line.kep_dispatches.count() == 2

    # the second comes back refused by the provider: the letter goes by hand instead
    imap_inbox.deliver(pec_rejected(again, document).as_bytes())
    mail_intake.poll_mailbox(mailbox)
    again.refresh_from_db()
    assert again.state == KepState.REJECTED
    recorded = api.post(url + "dispatch/", {"line": line.pk, "channel": "hand"}, format="json")
    assert recorded.status_code == 200, recorded.content
    line.refresh_from_db()
    assert line.dispatch_channel == "hand" and line.dispatched_by == people["writer"]
    page = client.get(document.get_absolute_url()).content.decode()
    assert "data-undelivered" not in page
    refused = api.post(url + "kep/", {"line": line.pk, "address": corrected}, format="json")
    assert refused.status_code == 400


def smime_signed(message: EmailMessage, certificate, key, *, opaque: bool = False) -> bytes:
    """``message`` S/MIME signed by its provider (RFC 8551, made with ``cryptography``): its
    body signed, detached beside it (``multipart/signed``) or inside the signature
    (``application/pkcs7-mime``, ``opaque``), under the message's own headers."""
    import base64
    from email.header import Header

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    body = ("content-type", "content-transfer-encoding", "mime-version")
    outer = [(name, value) for name, value in message.items() if name.lower() not in body]
    for name, _value in outer:
        del message[name]
    builder = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        .add_signer(certificate, key, hashes.SHA256())
    )
    if opaque:
        der = builder.sign(serialization.Encoding.DER, [])
        signed = (
            b"MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data;"
            b' name="smime.p7m"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            + base64.encodebytes(der).replace(b"\n", b"\r\n")
        )
    else:
        signed = builder.sign(serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature])
    head = "".join(f"{name}: {Header(value, 'utf-8').encode()}\r\n" for name, value in outer)
    return head.encode("ascii") + signed


@pytest.fixture
def provider_authority(people):
    """The KEP provider's certificate authority, loaded into the trust store, and the
    provider's evidence-signing certificate."""
    from biys.evrak import signing
    from biys.evrak.tests.signer import ThrowawayAuthority

    authority = ThrowawayAuthority("Test KEP Hizmet Sağlayıcı Kök")
    signing.add_trusted_certificate(user=None, data=authority.pem(), name="KEP Kök")
    certificate, key = authority.issue(name="PTT KEP Delil Hizmeti")
    return authority, certificate, key


def test_the_evidence_signature_is_checked(sent, provider_authority):
    """The S/MIME signature of an evidence message, as ``kep_signature.check`` reads it:
    detached or opaque, verified against the trust store; a change of a byte, an authority
    outside the trust store or a revoked certificate refuses it; a plain message is unsigned."""
    from biys.evrak import kep_signature, revocation
    from biys.evrak.choices import KepSignatureState as State
    from biys.evrak.tests.signer import ThrowawayAuthority

    translation.activate("en")
    _mailbox, document, sending = sent
    authority, certificate, key = provider_authority
    detached = smime_signed(rem_delivered(sending, document), certificate, key)
    found = kep_signature.check(detached)
    assert (found.state, found.signer, found.content) == (
        State.VERIFIED,
        "PTT KEP Delil Hizmeti",
        None,
    )
    assert "Revocation not checked" in found.problem  # the authority has no CRL here
    opaque = smime_signed(rem_delivered(sending, document), certificate, key, opaque=True)
    found = kep_signature.check(opaque)
    assert found.state == State.VERIFIED and b"teslim-delili.xml" in found.content, found.problem

    tampered = detached.replace(b"Delivery</EventCode>", b"Deliverx</EventCode>")
    if tampered == detached:  # the XML is base64 in the part: change the text part instead
        tampered = detached.replace(b"Content-Type: text/plain", b"Content-Type: text/plain ", 1)
    assert tampered != detached
    found = kep_signature.check(tampered)
    assert found.state == State.REFUSED and "digest" in found.problem
    stranger, stranger_key = ThrowawayAuthority("Başka Kök").issue(name="Sahte Delil")
    found = kep_signature.check(
        smime_signed(rem_delivered(sending, document), stranger, stranger_key)
    )
    assert found.state == State.REFUSED and found.problem
    assert kep_signature.check(rem_delivered(sending, document).as_bytes()).state == State.UNSIGNED

    revocation.add_revocation_list(user=None, data=authority.crl(revoked=[certificate]))
    found = kep_signature.check(detached)
    assert found.state == State.REFUSED and "revoked" in found.problem.lower()


def test_a_signed_evidence_is_read_and_shown_with_its_signer(
    sent, imap_inbox, people, provider_authority
):
    """Through the KEP mailbox: an evidence inside an opaque signature (a .p7m) is opened and
    read (its REM XML), its signer shown on the page and given by the API; an evidence whose
    signature does not verify is still kept and read, marked so."""
    mailbox, document, sending = sent
    _authority, certificate, key = provider_authority
    accepted = rem_accepted(sending, document)
    accepted["X-KEP-Message-ID"] = sending.message_id  # an opaque message names it outside
    imap_inbox.deliver(smime_signed(accepted, certificate, key, opaque=True))
    forged = smime_signed(rem_delivered(sending, document), certificate, key)
    imap_inbox.deliver(forged.replace(b"Content-Type: text/plain", b"Content-Type: text/plain ", 1))
    mail_intake.poll_mailbox(mailbox)

    signed, refused = sending.evidences.order_by("event_at")
    assert (signed.kind, signed.source, signed.signature_state) == ("accepted", "rem", "verified")
    assert signed.signature_signer == "PTT KEP Delil Hizmeti"
    assert (refused.kind, refused.signature_state) == ("delivered", "refused")
    sending.refresh_from_db()
    assert sending.state == KepState.DELIVERED

    client = Client()
    client.force_login(people["writer"])
    with translation.override("tr"):
        html = client.get(document.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert 'data-kep-signature="verified"' in html and 'data-kep-signature="refused"' in html
    assert "PTT KEP Delil Hizmeti" in html and "İmzalayan" in html
    api = APIClient()
    api.force_authenticate(people["writer"])
    (body,) = api.get(f"/api/v1/evrak/outgoing/{document.pk}/kep-dispatches/").json()
    assert [(e["signature_state"], e["signature_signer"]) for e in body["evidence"]] == [
        ("verified", "PTT KEP Delil Hizmeti"), ("refused", "")
    ]  # fmt: skip


def test_a_malformed_evidence_is_kept_as_not_recognised(sent, imap_inbox, tmp_path):
    mailbox, _document, sending = sent
    secret = tmp_path / "secret.txt"
    secret.write_text("GIZLI-ICERIK")
    hostile = provider_mail("Delil", "<delil-xxe@hs01.kep.tr>", X_KEP_Message_ID=sending.message_id)
    hostile.set_content("Ekte delil.")
    hostile.add_attachment(
        (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
            f'<DeliveryNonDeliveryToRecipient xmlns="{REM}"><EventCode>&x;</EventCode>'
            "</DeliveryNonDeliveryToRecipient>"
        ).encode(),
        maintype="application",
        subtype="xml",
        filename="delil.xml",
    )
    broken = provider_mail("Bildirim", "<delil-bozuk@hs01.kep.tr>",
                           X_KEP_Message_ID=sending.message_id)  # fmt: skip
    broken.set_content("Ekte delil.")
    broken.add_attachment(
        b'<?xml version="1.0"?><SubmissionAcceptanceRejection xmlns="' + REM.encode() + b'"><Ev',
        maintype="application",
        subtype="xml",
        filename="delil.xml",
    )
    garbage = (
        f"From: delil@hs01.kep.tr\r\nTo: {SMTP_USER}\r\nSubject: =?utf-8?q?=FF=FE?=\r\n"
        f"X-KEP-Message-ID: {sending.message_id}\r\nMessage-ID: <delil-cop@hs01.kep.tr>\r\n"
        'Date: not a date\r\nContent-Type: multipart/report; boundary="Z"\r\n\r\n'
        "--Z\r\nContent-Type: message/delivery-status\r\n\r\n\x00\x01 garbage\r\n--Z\r\n"
    ).encode()
    for message in (hostile.as_bytes(), broken.as_bytes(), garbage):
        imap_inbox.deliver(message)

    mail_intake.poll_mailbox(mailbox)

    evidences = KepEvidence.objects.filter(dispatch=sending)
    assert evidences.count() == 3
    assert set(evidences.values_list("kind", flat=True)) == {KepEvidenceKind.UNKNOWN}
    assert not evidences.filter(reason__contains="GIZLI").exists()
    assert not evidences.filter(code__contains="GIZLI").exists()
    assert ReceivedMail.objects.filter(kep_dispatch=sending).count() == 3
    sending.refresh_from_db()
    assert sending.state == KepState.SENT


# ------------------------------------------------------------------ the reading alone


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("TESLİM: E-1", "delivered"),
        ("İletiniz teslim edilemedi", "not_delivered"),
        ("KABUL DELİLİ", "accepted"),
        ("Kabul edilmedi", "rejected"),
        ("Okundu", "read"),
        ("Okunmadı", "unknown"),
        ("Delivery Status Notification (Delay)", "unknown"),
        ("Delivery Status Notification (Failure)", "not_delivered"),
        ("avvenuta-consegna", "delivered"),
        ("errore-consegna", "not_delivered"),
        ("ContentConsignment", "delivered"),
        ("DeliveryNonDeliveryToRecipient", "unknown"),
        ("Yeni yazı", "unknown"),
        ("", "unknown"),
    ],
)
def test_keywords(text, kind):
    assert kep_evidence.classify(text) == kind


def test_the_konu_of_the_original_is_not_read_as_evidence():
    message = provider_mail("Bildirim: E-1 - Malzeme teslim tutanağı", "<x@y>")
    reading = kep_evidence.read(message, original_subject="E-1 - Malzeme teslim tutanağı")
    assert reading.kind == "unknown"


def test_rem_reasons_and_retrieval():
    reading = kep_evidence.read_xml(
        rem_xml(
            "DeliveryNonDeliveryToRecipient", "DeliveryExpiration", "<a@b>", reason="MailboxFull"
        )
    )
    assert reading.kind == "not_delivered" and reading.message_ids == ["<a@b>", "<ptt-4711>"]
    assert reading.reason  # translated text of MailboxFull
    retrieved = kep_evidence.read_xml(
        rem_xml("RetrievalNonRetrievalByRecipient", "Acceptance", "x")
    )
    assert retrieved.kind == "read" and retrieved.message_ids[0] == "<x>"
    assert kep_evidence.read_xml(b"<Other/>") is None
    assert kep_evidence.read_xml(b"\xff\xfe not xml") is None


def test_kep_state_from():
    assert services.kep_state_from(["accepted", "not_delivered"], current="sent") == "not_delivered"
    assert services.kep_state_from(["not_delivered", "delivered"], current="sent") == "delivered"
    assert services.kep_state_from(["unknown"], current="sent") == "sent"
    assert services.kep_state_from(["read"], current="failed") == "failed"
