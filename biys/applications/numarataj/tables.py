"""Tables of the numbering and street naming lists (their columns are the exports too)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from biys.applications.numarataj.models import (
    Building,
    NumberingRequest,
    NumberingTariff,
    Street,
    StreetNamingProposal,
)
from biys.core.tables import BiysTable


class StreetTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True, order_by=("sort_name",))
    unit = tables.Column(verbose_name=_("Keeping unit"), order_by=("unit__name",))

    class Meta(BiysTable.Meta):
        model = Street
        fields = ("name", "kind", "neighbourhood", "code", "unit", "active")


class BuildingTable(BiysTable):
    address = tables.Column(
        verbose_name=_("Address"),
        accessor="street__name",
        order_by=("street__sort_name", "door_number"),
        linkify=lambda record: record.get_absolute_url(),
    )
    door_number = tables.Column(verbose_name=_("Door number"))

    class Meta(BiysTable.Meta):
        model = Building
        fields = ("address", "door_number", "inner_numbers", "block", "parcel", "building_name")

    def render_address(self, record):
        return record.address


class NumberingTariffTable(BiysTable):
    kind = tables.Column(verbose_name=_("Charged for"), linkify=True)
    valid_from = tables.DateColumn(verbose_name=_("Valid from"), format="d.m.Y")

    class Meta(BiysTable.Meta):
        model = NumberingTariff
        fields = ("kind", "valid_from", "amount", "council_decision")


class NumberingRequestTable(BiysTable):
    number = tables.Column(
        verbose_name=_("Application number"),
        accessor="application__number",
        order_by=("application__number",),
        linkify=lambda record: record.get_absolute_url(),
    )
    applicant = tables.Column(
        verbose_name=_("Applicant"),
        accessor="application__applicant_name",
        order_by=("application__applicant_name",),
    )
    received_on = tables.DateColumn(
        verbose_name=_("Received on"),
        accessor="application__received_on",
        order_by=("application__received_on",),
        format="d.m.Y",
    )
    due_date = tables.DateColumn(
        verbose_name=_("Legal deadline"),
        accessor="application__due_date",
        order_by=("application__due_date",),
        format="d.m.Y",
    )
    street = tables.Column(verbose_name=_("Street"), accessor="street__name",
                           order_by=("street__sort_name",))  # fmt: skip
    unit = tables.Column(
        verbose_name=_("Responsible unit"),
        accessor="application__responsible_unit__name",
        order_by=("application__responsible_unit__name",),
    )

    class Meta(BiysTable.Meta):
        model = NumberingRequest
        fields = ("number", "applicant", "received_on", "due_date", "state", "street", "block",
                  "parcel", "door_number", "certificate_number", "unit")  # fmt: skip


class StreetNamingProposalTable(BiysTable):
    proposed_name = tables.Column(verbose_name=_("Proposed name"), linkify=True)
    sent_on = tables.DateColumn(verbose_name=_("Sent to the council on"), format="d.m.Y")
    decision_date = tables.DateColumn(verbose_name=_("Decision date"), format="d.m.Y")

    class Meta(BiysTable.Meta):
        model = StreetNamingProposal
        fields = ("proposed_name", "neighbourhood", "state", "sent_on", "decision_number",
                  "decision_date", "decided_name")  # fmt: skip
