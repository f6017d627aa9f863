"""The registry table. A Gizli or Çok Gizli row whose reader the user is not (neither named
on it nor granted it) is listed masked: "Gizli" for the subject, nothing of the sender."""

from functools import cached_property

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from biys.core.dates import format_value
from biys.core.models import choice_labels
from biys.core.tables import BiysTable
from biys.core.urlcache import pk_urls
from biys.evrak.models import (
    EvrakMailbox,
    IncomingDocument,
    OutgoingDocument,
    RevocationList,
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

    # The rows' cells (``biys.core.tables.render_rows``): the text the columns above render,
    # built straight from the record (``None``: the column's default; plain text is escaped by
    # the row renderer), so a cell costs a few attribute reads instead of django-tables2's
    # accessor, choice and render lookups; the badges and dates worked out once per page.
    @cached_property
    def urls(self):
        return pk_urls("evrak:incomingdocument")

    @cached_property
    def channel_labels(self) -> dict:
        return choice_labels(IncomingDocument._meta.get_field("channel"))

    @cached_property
    def zone(self):
        return timezone.get_current_timezone()

    @cached_property
    def page_texts(self) -> dict:
        """(column, value) -> its cell, for this page (one language, one time zone)."""
        return {}

    def cell_number(self, record):
        number = record.number
        if number in EMPTY:
            return None
        return format_html('<a href="{}">{}</a>', self.urls(record.pk), number)

    def cell_registered_at(self, record):
        return _minute(self, record.registered_at)

    def _badge(self, name: str, record):
        value = getattr(record, name)
        if value in EMPTY:
            return None
        key = (name, value)
        cell = self.page_texts.get(key)
        if cell is None:
            render = self.render_urgency if name == "urgency" else self.render_confidentiality
            cell = self.page_texts[key] = render(value, record)
        return cell

    def cell_urgency(self, record):
        return self._badge("urgency", record)

    def cell_confidentiality(self, record):
        return self._badge("confidentiality", record)

    def cell_subject(self, record):
        subject = record.subject
        if subject in EMPTY:
            return None
        return gettext("Gizli") if getattr(record, "masked", False) else subject

    def cell_sender_name(self, record):
        value = record.sender_name
        if value in EMPTY:
            return None
        return "—" if getattr(record, "masked", False) else value

    def cell_sender_number(self, record):
        value = record.sender_number
        if value in EMPTY:
            return None
        return "—" if getattr(record, "masked", False) else value

    def cell_sender_date(self, record):
        value = record.sender_date
        if value is None:
            return None
        return "—" if getattr(record, "masked", False) else value.strftime("%d.%m.%Y")

    def cell_receiving_unit(self, record):
        unit = record.receiving_unit
        return None if unit is None else str(unit)

    def cell_due_date(self, record):
        value = record.due_date
        if value is None:
            return None
        key = ("due_date", value)
        text = self.page_texts.get(key)
        if text is None:
            text = self.page_texts[key] = format_value(value, "SHORT_DATE_FORMAT")
        return text or None

    def cell_channel(self, record):
        shown = self.channel_labels.get(record.channel, record.channel)
        return None if shown in EMPTY else shown


EMPTY = (None, "")


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


def crl_badge(crl) -> str:
    """Current (its next update not passed) or stale: a stale CRL refuses the signatures it
    should cover."""
    if crl.next_update >= timezone.now():
        return format_html('<span class="badge bg-green-lt">{}</span>', gettext("current"))
    return format_html('<span class="badge bg-red-lt">{}</span>', gettext("stale"))


class TrustedCertificateTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    not_after = tables.DateTimeColumn(verbose_name=_("Valid until"), format="d.m.Y")
    revocation_list = tables.Column(
        verbose_name=_("CRL"), orderable=False, empty_values=(), exclude_from_export=True
    )

    class Meta(BiysTable.Meta):
        model = TrustedCertificate
        fields = (
            "name", "subject", "is_root", "not_after", "fingerprint", "active", "revocation_list",
        )  # fmt: skip

    def render_revocation_list(self, record):
        crl = getattr(record, "revocation_list", None)
        if crl is None:
            return format_html('<span class="text-secondary">{}</span>', gettext("none"))
        return format_html(
            '<a href="{}">{}</a> {}',
            crl.get_absolute_url(),
            format_value(timezone.localtime(crl.next_update), "d.m.Y H:i"),
            crl_badge(crl),
        )


class RevocationListTable(BiysTable):
    authority = tables.Column(
        verbose_name=_("Certificate authority"),
        linkify=lambda record: record.get_absolute_url(),  # the CRL's page
        order_by=("authority__name",),
    )
    this_update = tables.DateTimeColumn(verbose_name=_("Issued"), format="d.m.Y H:i")
    next_update = tables.DateTimeColumn(verbose_name=_("Next update"), format="d.m.Y H:i")
    state = tables.Column(
        verbose_name=_("State"), orderable=False, empty_values=(), exclude_from_export=True
    )

    class Meta(BiysTable.Meta):
        model = RevocationList
        fields = (
            "authority", "issuer", "this_update", "next_update", "state", "revoked_count", "url",
            "last_error",
        )  # fmt: skip

    def render_state(self, record):
        return crl_badge(record)


class EvrakMailboxTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    receiving_unit = tables.Column(
        verbose_name=_("Receiving unit"), order_by=("receiving_unit__name",)
    )
    last_polled_at = tables.DateTimeColumn(verbose_name=_("Last polled"), format="d.m.Y H:i")

    class Meta(BiysTable.Meta):
        model = EvrakMailbox
        fields = (
            "name", "kind", "receiving_unit", "username", "address", "smtp_host", "is_active",
            "last_polled_at", "last_error",
        )  # fmt: skip


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

    # The rows' cells, as the incoming register's (``render_rows``).
    zone = IncomingDocumentTable.zone
    page_texts = IncomingDocumentTable.page_texts
    _badge = IncomingDocumentTable._badge
    cell_urgency = IncomingDocumentTable.cell_urgency
    cell_confidentiality = IncomingDocumentTable.cell_confidentiality

    @cached_property
    def urls(self):
        return pk_urls("evrak:outgoingdocument")

    @cached_property
    def state_labels(self) -> dict:
        return choice_labels(OutgoingDocument._meta.get_field("state"))

    def cell_subject(self, record):
        subject = record.subject
        if subject in EMPTY:
            return None
        shown = gettext("Gizli") if getattr(record, "masked", False) else subject
        return format_html('<a href="{}">{}</a>', self.urls(record.pk), shown)

    def cell_number(self, record):
        return None if record.number in EMPTY else record.number

    def cell_state(self, record):
        shown = self.state_labels.get(record.state, record.state)
        return None if shown in EMPTY else shown

    def cell_unit(self, record):
        unit = record.unit
        return None if unit is None else str(unit)

    def cell_signer(self, record):
        if record.signer_id is None:
            return None
        return "—" if getattr(record, "masked", False) else str(record.signer)

    def cell_signed_at(self, record):
        return _minute(self, record.signed_at)

    def cell_created(self, record):
        value = record.created
        if value is None:
            return None
        key = ("created", value)
        text = self.page_texts.get(key)
        if text is None:
            text = self.page_texts[key] = format_value(
                timezone.localtime(value, self.zone) if timezone.is_aware(value) else value,
                "SHORT_DATETIME_FORMAT",
            )
        return text or None


def _minute(table, value):
    """``d.m.Y H:i`` in the page's time zone (numbers only: the same in every language)."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = value.astimezone(table.zone)
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d} {value.hour:02d}:{value.minute:02d}"
