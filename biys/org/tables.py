from functools import cached_property
from html import escape

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from biys.core.models import choice_labels
from biys.core.tables import BiysTable
from biys.core.templatetags.biys import highlight
from biys.core.urlcache import pk_urls
from biys.org.models import Duty, Person, Position, Regulation, Title, Unit
from biys.org.search import stems


class UnitTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True, order_by=("sort_name",))
    kind = tables.Column(verbose_name=_("Kind"))
    parent = tables.Column(
        verbose_name=_("Parent unit"), linkify=True, order_by=("parent__sort_name",)
    )
    is_it_department = tables.BooleanColumn(verbose_name=_("IT department"))
    people_count = tables.Column(verbose_name=_("People"), attrs={"td": {"class": "text-end"}})
    duty_count = tables.Column(verbose_name=_("Duties"), attrs={"td": {"class": "text-end"}})

    class Meta(BiysTable.Meta):
        model = Unit
        fields = ("name", "kind", "parent", "is_it_department", "people_count", "duty_count")
        order_by = ("name",)


class PersonTable(BiysTable):
    name = tables.Column(
        verbose_name=_("Name"),
        accessor="full_name",
        linkify=True,
        order_by=("sort_name",),
        attrs={"td": {"class": "text-nowrap"}},
    )
    sicil_no = tables.Column(verbose_name=_("Sicil"))
    unit = tables.Column(verbose_name=_("Unit"), linkify=True, order_by=("unit__sort_name",))
    title = tables.Column(verbose_name=_("Title"), order_by=("title__name",))
    employment_type = tables.Column(verbose_name=_("Employment type"))
    status = tables.Column(verbose_name=_("Status"))
    email = tables.EmailColumn(verbose_name=_("E-mail"))
    work_phone = tables.Column(verbose_name=_("Work phone"))

    class Meta(BiysTable.Meta):
        model = Person
        fields = (
            "name",
            "sicil_no",
            "unit",
            "title",
            "employment_type",
            "status",
            "email",
            "work_phone",
        )
        order_by = ("name",)

    # The rows as shown (core.tables.render_rows): the cells django-tables2 renders for these
    # columns, straight from the record (``None``: the column's default, "—"), with what is
    # the same for every row (URLs, labels) worked out once per page.

    @cached_property
    def _page(self) -> tuple:
        """(person URL, unit URL, the selection box's label, employment types, statuses)."""
        meta = Person._meta
        return (
            pk_urls("org:person"),
            pk_urls("org:unit"),
            gettext("Select %(object)s"),
            choice_labels(meta.get_field("employment_type")),
            choice_labels(meta.get_field("status")),
        )

    def cell_pk(self, record):
        if record.pk in (None, ""):
            return None
        label = self._page[2] % {"object": record}
        return SafeString(
            f'<input type="checkbox" name="pk" value="{escape(str(record.pk))}"'
            f' class="form-check-input" aria-label="{escape(label)}">'
        )

    def cell_name(self, record):
        url = self._page[0](record.pk)
        return SafeString(f'<a href="{escape(url)}">{escape(record.full_name)}</a>')

    def cell_sicil_no(self, record):
        return record.sicil_no or None

    def cell_unit(self, record):
        if record.unit_id is None:
            return None
        url = self._page[1](record.unit_id)
        return SafeString(f'<a href="{escape(url)}">{escape(str(record.unit))}</a>')

    def cell_title(self, record):
        return None if record.title_id is None else str(record.title)

    def cell_employment_type(self, record):
        value = record.employment_type
        return self._page[3].get(value, value) or None

    def cell_status(self, record):
        value = record.status
        return self._page[4].get(value, value) or None

    def cell_email(self, record):
        email = record.email
        if not email:
            return None
        return SafeString(f'<a href="mailto:{escape(email)}">{escape(email)}</a>')

    def cell_work_phone(self, record):
        return record.work_phone or None


class DutyTable(BiysTable):
    reference = tables.Column(
        verbose_name=_("Reference"),
        linkify=True,
        order_by=("paragraph__article__number", "paragraph__order", "order"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    text = tables.Column(verbose_name=_("Duty"), orderable=False)
    unit = tables.Column(
        verbose_name=_("Responsible unit"), linkify=True, order_by=("unit__sort_name",)
    )
    categories = tables.Column(verbose_name=_("Categories"), orderable=False, empty_values=())

    class Meta(BiysTable.Meta):
        model = Duty
        fields = ("reference", "text", "unit", "categories")

    def render_text(self, value):
        request = getattr(self, "request", None)
        query = request.GET.get("q", "") if request else ""
        return highlight(value, " ".join(stems(query)))

    def value_text(self, value):
        return value

    def render_categories(self, record):
        categories = record.categories.all()
        if not categories:
            return "—"
        return format_html_join(
            " ", '<span class="badge bg-{}-lt">{}</span>', ((c.color, c.name) for c in categories)
        )

    def value_categories(self, record):
        return ", ".join(category.name for category in record.categories.all())


class TitleTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    people_count = tables.Column(verbose_name=_("People"), attrs={"td": {"class": "text-end"}})

    class Meta(BiysTable.Meta):
        model = Title
        fields = ("name", "people_count")


class PositionTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    unit = tables.Column(verbose_name=_("Unit"), linkify=True, order_by=("unit__sort_name",))
    title = tables.Column(verbose_name=_("Title"))
    holder = tables.Column(verbose_name=_("Holder"), linkify=True, order_by=("holder__sort_name",))
    is_manager = tables.BooleanColumn(verbose_name=_("Manager"))

    class Meta(BiysTable.Meta):
        model = Position
        fields = ("name", "unit", "title", "holder", "is_manager")


class RegulationTable(BiysTable):
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    council_decision_no = tables.Column(verbose_name=_("Council decision"))
    council_decision_date = tables.DateColumn(verbose_name=_("Decision date"))
    effective_date = tables.DateColumn(verbose_name=_("Effective date"))
    is_in_force = tables.BooleanColumn(verbose_name=_("In force"))

    class Meta(BiysTable.Meta):
        model = Regulation
        fields = (
            "title",
            "council_decision_no",
            "council_decision_date",
            "effective_date",
            "is_in_force",
        )


def unit_badge(unit) -> str:
    return format_html('<a href="{}">{}</a>', unit.get_absolute_url(), unit)
