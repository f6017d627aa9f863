"""Tables of the base-station lists (their columns are the exports too)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from biys.applications.basestation.models import BaseStationSite, Operator, SiteComplaint
from biys.core.tables import BiysTable


class OperatorTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)

    class Meta(BiysTable.Meta):
        model = Operator
        fields = ("name", "tax_number", "authorisation", "unit", "active")


class BaseStationSiteTable(BiysTable):
    number = tables.Column(
        verbose_name=_("Application number"),
        accessor="application__number",
        order_by=("application__number",),
        linkify=lambda record: record.get_absolute_url(),
    )
    operator = tables.Column(verbose_name=_("Operator"), accessor="operator__name",
                             order_by=("operator__name",))  # fmt: skip
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
    unit = tables.Column(
        verbose_name=_("Responsible unit"),
        accessor="application__responsible_unit__name",
        order_by=("application__responsible_unit__name",),
    )

    class Meta(BiysTable.Meta):
        model = BaseStationSite
        fields = ("number", "operator", "site_code", "kind", "state", "received_on", "due_date",
                  "neighbourhood", "block", "parcel", "contract_number", "unit")  # fmt: skip


class SiteComplaintTable(BiysTable):
    number = tables.Column(
        verbose_name=_("Application number"),
        accessor="application__number",
        order_by=("application__number",),
        linkify=lambda record: record.get_absolute_url(),
    )
    site = tables.Column(
        verbose_name=_("Site"),
        accessor="site__site_code",
        order_by=("site__site_code",),
        linkify=lambda record: record.site.get_absolute_url(),
    )
    operator = tables.Column(verbose_name=_("Operator"), accessor="site__operator__name",
                             order_by=("site__operator__name",))  # fmt: skip
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

    class Meta(BiysTable.Meta):
        model = SiteComplaint
        fields = ("number", "site", "operator", "state", "received_on", "due_date", "answered_on")

    def render_site(self, record):
        return record.site.site_code or record.site.application.number
