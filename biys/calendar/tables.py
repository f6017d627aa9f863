import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from biys.calendar.models import DeclaredDay
from biys.core.tables import BiysTable


class DeclaredDayTable(BiysTable):
    date = tables.DateColumn(verbose_name=_("Date"), format="d.m.Y l", linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    description = tables.Column(verbose_name=_("Description"))
    decision_reference = tables.Column(verbose_name=_("Decision reference"))
    created_by = tables.Column(verbose_name=_("Declared by"), orderable=False)

    class Meta(BiysTable.Meta):
        model = DeclaredDay
        fields = ("date", "kind", "description", "decision_reference", "created_by")
        order_by = ("-date",)
