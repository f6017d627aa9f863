"""Tables of the policy lists (their columns are the CSV and Excel exports too)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.bgys.audit_tables import badge
from biys.bgys.policy_models import Policy, PolicyVersion
from biys.core.tables import BiysTable

VERSION_COLOURS = {
    "draft": "secondary",
    "approved": "azure",
    "published": "green",
    "superseded": "muted",
}


class PolicyTable(BiysTable):
    code = tables.Column(verbose_name=_("Code"), linkify=True)
    title = tables.Column(verbose_name=pgettext_lazy("bgys", "Title"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))

    class Meta(BiysTable.Meta):
        model = Policy
        fields = ("code", "title", "kind", "unit")


class PolicyVersionTable(BiysTable):
    version = tables.Column(
        verbose_name=_("Version"),
        accessor="number",
        linkify=lambda record: record.get_absolute_url(),
    )
    policy = tables.Column(verbose_name=_("Policy"), order_by=("policy__code",))
    state = tables.Column(verbose_name=_("State"))
    published_on = tables.Column(verbose_name=_("Published on"))

    class Meta(BiysTable.Meta):
        model = PolicyVersion
        fields = ("policy", "version", "state", "published_on")

    def render_state(self, value, record):
        return badge(VERSION_COLOURS.get(record.state, "secondary"), record.get_state_display())

    def value_state(self, value, record):
        return record.get_state_display()


class AcknowledgementStatusTable(tables.Table):
    """Who of a published version's audience has acknowledged it, and when (the CSV)."""

    unit = tables.Column(verbose_name=_("Unit"), accessor="person__unit__name")
    person = tables.Column(verbose_name=_("Person"), accessor="person")
    sicil_no = tables.Column(
        verbose_name=pgettext_lazy("person", "Registry number"), accessor="person__sicil_no"
    )
    status = tables.Column(verbose_name=_("State"), accessor="pk", empty_values=())
    due_on = tables.Column(verbose_name=_("Due on"))
    acknowledged_at = tables.Column(verbose_name=_("Acknowledged"))

    class Meta:
        fields = ("unit", "person", "sicil_no", "status", "due_on", "acknowledged_at")

    def value_status(self, value, record):
        if record.acknowledged_at:
            return _("Acknowledged")
        return _("Late") if record.is_overdue else _("Pending")

    def value_person(self, value, record):
        return str(record.person)
