"""The ``(unit) -> instance`` callables of the cross-module tests (the permission matrix)."""

from itertools import count

from django.utils import timezone

from biys.core.testing import register_factory
from biys.evrak.choices import SenderKind
from biys.evrak.models import (
    DistributionLine,
    EvrakMailbox,
    IncomingDocument,
    OutgoingDocument,
    RevocationList,
    Routing,
    ScanText,
    SdpCode,
    SigningRule,
    TrustedCertificate,
)

_numbers = count(1)


@register_factory(SdpCode)
def make_sdp_code(unit=None, **fields):
    n = next(_numbers)
    values = {"code": f"{100 + n % 800:03d}.{n % 100:02d}", "title": f"Dosya {n}"}
    values.update(fields)
    return SdpCode.objects.create(**values)


@register_factory(TrustedCertificate)
def make_trusted_certificate(unit=None, **fields):
    """A throw-away certificate authority's root, loaded into the trust store."""
    from biys.evrak import signing
    from biys.evrak.tests.signer import ThrowawayAuthority

    authority = fields.pop("authority", None) or ThrowawayAuthority(f"Test Kök {next(_numbers)}")
    return signing.add_trusted_certificate(user=None, data=authority.pem(), **fields)


@register_factory(RevocationList)
def make_revocation_list(unit=None, **fields):
    """A throw-away authority in the trust store with its current CRL (no address to fetch a
    newer one from)."""
    from biys.evrak import revocation, signing
    from biys.evrak.tests.signer import ThrowawayAuthority

    authority = ThrowawayAuthority(f"Test SİL Kök {next(_numbers)}")
    signing.add_trusted_certificate(user=None, data=authority.pem())
    item = revocation.add_revocation_list(user=None, data=authority.crl())
    if fields:
        RevocationList.objects.filter(pk=item.pk).update(**fields)
        item.refresh_from_db()
    return item


@register_factory(EvrakMailbox)
def make_evrak_mailbox(unit, **fields):
    """A KEP mailbox of ``unit`` on a closed local port (a connection test fails at once)."""
    values = {
        "name": f"KEP hesabı {next(_numbers)}",
        "kind": "kep",
        "host": "127.0.0.1",
        "port": 1,
        "use_ssl": False,
        "username": "belediye@hs01.kep.tr",
        "password": "Kep-Parolasi-1",
        "receiving_unit": unit,
    }
    values.update(fields)
    return EvrakMailbox.objects.create(**values)


@register_factory(SigningRule)
def make_signing_rule(unit=None, **fields):
    values = {"name": f"İmza yetkisi {next(_numbers)}", "level": "chief", "active": False}
    values.update(fields)
    return SigningRule.objects.create(**values)


@register_factory(IncomingDocument)
def make_document(unit, **fields):
    """A registered document (no service: the matrix only reads, lists and creates copies)."""
    moment = fields.pop("registered_at", None) or timezone.now()
    readers = fields.pop("named_readers", ())
    values = {
        "number": f"GE-{moment.year}-T{next(_numbers):06d}",
        "registered_at": moment,
        "year": moment.year,
        "receiving_unit": unit,
        "sender_kind": SenderKind.INSTITUTION,
        "sender_name": "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı",
        "sender_detsis_no": "24312041",
        "sender_number": "E-24312041-702.03-118",
        "subject": "Kent bilgi sistemi veri paylaşımı",
    }
    values.update(fields)
    document = IncomingDocument.objects.create(**values)
    if readers:
        document.named_readers.add(*readers)
    return document


@register_factory(Routing)
def make_routing(unit, **fields):
    """A document of ``unit`` routed to it for action (no service: the matrix only reads)."""
    values = {"document": make_document(unit), "unit": unit}
    values.update(fields)
    return Routing.objects.create(**values)


@register_factory(ScanText)
def make_scan_text(unit, **fields):
    """A document of ``unit`` with a scanned page whose text was read (no task runs)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from biys.attachments.services import store_attachment

    document = fields.pop("document", None) or make_document(unit)
    png = io.BytesIO()
    Image.new("L", (8, 8), 255).save(png, format="PNG")
    attachment = store_attachment(
        obj=document, uploaded_file=ContentFile(png.getvalue(), name="tarama.png")
    )
    values = {
        "document": document,
        "attachment": attachment,
        "status": "done",
        "text": "Bilgi İşlem Dairesi Başkanlığı yazıcı arızası",
        "method": "tesseract",
        "pages": 1,
    }
    values.update(fields)
    return ScanText.objects.create(**values)


@register_factory(OutgoingDocument)
def make_outgoing(unit, **fields):
    """A draft of ``unit`` with one recipient for action (no service: the matrix only reads,
    lists, changes a text and creates copies)."""
    values = {
        "unit": unit,
        "subject": "Kent bilgi sistemi veri paylaşımı hk.",
        "body": "İlgi yazınız incelenmiştir.",
    }
    values.update(fields)
    document = OutgoingDocument.objects.create(**values)
    DistributionLine.objects.create(
        document=document, name="Eskişehir Valiliği", detsis_no="38417202"
    )
    return document
