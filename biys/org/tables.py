from functools import cached_property

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from biys.core.html import escape
from biys.core.html import format_html as fast_format_html
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
    # the same for every row worked out once per page: the URLs, the selection box's label,
    # and each unit's link, title and choice label met on the page (a page of 50 people
    # names a few units and titles many times). Every text is escaped (html.escape, or
    # core.html's format_html).

    @cached_property
    def _page(self) -> tuple:
        """(person URL, unit URL, the selection box's label, employment types, statuses,
        links by unit id, titles by id)."""
        meta = Person._meta
        return (
            pk_urls("org:person"),
            pk_urls("org:unit"),
            gettext("Select %(object)s"),
            _labels_html(choice_labels(meta.get_field("employment_type"))),
            _labels_html(choice_labels(meta.get_field("status"))),
            {},
            {},
        )

    def cell_pk(self, record):
        pk = record.pk
        if pk is None:
            return None
        label = self._page[2] % {"object": record.full_name}  # Person.__str__
        return SafeString(f'{_CHECKBOX[0]}{int(pk)}{_CHECKBOX[1]}{escape(label)}">')

    def cell_name(self, record):
        url = self._page[0](record.pk)
        return SafeString(f'<a href="{escape(url)}">{escape(record.full_name)}</a>')

    def cell_sicil_no(self, record):
        return record.sicil_no or None

    def cell_unit(self, record):
        unit_id = record.unit_id
        if unit_id is None:
            return None
        links = self._page[5]
        link = links.get(unit_id)
        if link is None:
            url = self._page[1](unit_id)
            link = links[unit_id] = fast_format_html('<a href="{}">{}</a>', url, record.unit)
        return link

    def cell_title(self, record):
        title_id = record.title_id
        if title_id is None:
            return None
        names = self._page[6]
        name = names.get(title_id)
        if name is None:
            name = names[title_id] = fast_format_html("{}", record.title)
        return name

    def cell_employment_type(self, record):
        value = record.employment_type
        label = self._page[3].get(value)
        return (value or None) if label is None else (label or None)

    def cell_status(self, record):
        value = record.status
        label = self._page[4].get(value)
        return (value or None) if label is None else (label or None)

    def cell_email(self, record):
        if not record.email:
            return None
        email = escape(record.email)
        return SafeString(f'<a href="mailto:{email}">{email}</a>')

    def cell_work_phone(self, record):
        return record.work_phone or None


# The selection box (core.tables.SelectionColumn) around its value, up to its label.
_CHECKBOX = ('<input type="checkbox" name="pk" value="', '" class="form-check-input" aria-label="')


def _labels_html(labels: dict) -> dict:
    """A field's choice labels as HTML (escaped once)."""
    return {value: fast_format_html("{}", label) for value, label in labels.items()}


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
