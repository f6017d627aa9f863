"""The registry table. A Gizli or Çok Gizli row whose reader the user is not (neither named
on it nor granted it) is listed masked: "Gizli" for the subject, nothing of the sender."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from biys.core.tables import BiysTable
from biys.evrak.models import (
    IncomingDocument,
    OutgoingDocument,
    SdpCode,
    SigningRule,
    TrustedCertificate,
)

URGENCY_BADGES = {"ACL": "orange", "GNL": "red"}
CONFIDENTIAL_BADGES = {"HZO": "azure", "OZL": "purple", "GZL": "red", "CGZ": "red"}


def _masked_subject():
    return _("Gizli")


class IncomingDocumentTable(BiysTable):
    number = tables.Column(verbose_name=_("Registry number"), linkify=True)
    registered_at = tables.DateTimeColumn(verbose_name=_("Registry date"), format="d.m.Y H:i")
    subject = tables.Column(verbose_name=_("Subject"))
    sender_name = tables.Column(verbose_name=_("Sender"))
    sender_number = tables.Column(verbose_name=_("Sender's number (sayı)"))
    receiving_unit = tables.Column(
        verbose_name=_("Receiving unit"), order_by=("receiving_unit__name",)
    )
    urgency = tables.Column(verbose_name=_("Urgency"))
    confidentiality = tables.Column(verbose_name=_("Confidentiality"))

    class Meta(BiysTable.Meta):
        model = IncomingDocument
        fields = ("number", "registered_at", "urgency", "confidentiality", "subject",
                  "sender_name", "sender_number", "sender_date", "receiving_unit", "due_date",
                  "channel")  # fmt: skip

    def render_subject(self, value, record):
        return _masked_subject() if getattr(record, "masked", False) else value

    def value_subject(self, value, record):
        return str(_masked_subject()) if getattr(record, "masked", False) else value

    def render_sender_name(self, value, record):
        return "—" if getattr(record, "masked", False) or not value else value

    def value_sender_name(self, value, record):
        return "" if getattr(record, "masked", False) else value

    render_sender_number = render_sender_name
    value_sender_number = value_sender_name

    def render_sender_date(self, value, record):
        if getattr(record, "masked", False) or not value:
            return "—"
        return value.strftime("%d.%m.%Y")

    def value_sender_date(self, value, record):
        return "" if getattr(record, "masked", False) else value

    def render_urgency(self, value, record):
        colour = URGENCY_BADGES.get(record.urgency)
        if not colour:
            return record.get_urgency_display()
        return format_html(
            '<span class="badge bg-{}-lt text-uppercase">{}</span>',
            colour,
            record.get_urgency_display(),
        )

    def value_urgency(self, value, record):
        return record.get_urgency_display()

    def render_confidentiality(self, value, record):
        colour = CONFIDENTIAL_BADGES.get(record.confidentiality)
        if not colour:
            return "—"
        return format_html(
            '<span class="badge bg-{}-lt">{}</span>', colour, record.get_confidentiality_display()
        )

    def value_confidentiality(self, value, record):
        return record.get_confidentiality_display()


class SdpCodeTable(BiysTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)

    class Meta(BiysTable.Meta):
        model = SdpCode
        fields = (
            "code",
            "title",
            "unit_retention_years",
            "archive_retention_years",
            "final_disposition",
            "is_sample",
            "active",
        )


class TrustedCertificateTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    not_after = tables.DateTimeColumn(verbose_name=_("Valid until"), format="d.m.Y")

    class Meta(BiysTable.Meta):
        model = TrustedCertificate
        fields = ("name", "subject", "is_root", "not_after", "fingerprint", "active")


class SigningRuleTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)

    class Meta(BiysTable.Meta):
        model = SigningRule
        fields = ("name", "confidentiality", "recipients", "level", "active")


class OutgoingDocumentTable(BiysTable):
    subject = tables.Column(verbose_name=_("Subject"), linkify=True)
    number = tables.Column(verbose_name=_("Number (sayı)"))
    unit = tables.Column(verbose_name=_("Drafting unit"), order_by=("unit__name",))
    state = tables.Column(verbose_name=_("State"))
    urgency = tables.Column(verbose_name=_("Urgency"))
    confidentiality = tables.Column(verbose_name=_("Confidentiality"))
    signed_at = tables.DateTimeColumn(verbose_name=_("Signed"), format="d.m.Y H:i")

    class Meta(BiysTable.Meta):
        model = OutgoingDocument
        fields = ("subject", "number", "state", "urgency", "confidentiality", "unit", "signer",
                  "signed_at", "created")  # fmt: skip

    # A masked row (a Gizli document the reader neither drafted, signs, initials nor holds a
    # grant for): "Gizli" for the subject, linked to its register row; nobody as the signer.
    render_subject = IncomingDocumentTable.render_subject
    value_subject = IncomingDocumentTable.value_subject

    def render_signer(self, value, record):
        return "—" if getattr(record, "masked", False) or not value else value

    def value_signer(self, value, record):
        return "" if getattr(record, "masked", False) or not value else str(value)

    render_urgency = IncomingDocumentTable.render_urgency
    value_urgency = IncomingDocumentTable.value_urgency
    render_confidentiality = IncomingDocumentTable.render_confidentiality
    value_confidentiality = IncomingDocumentTable.value_confidentiality
