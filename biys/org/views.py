"""Pages of the organisation: chart, units, people, duties, regulation, titles, positions."""

from itertools import groupby

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from biys.accounts.scope import get_scope
from biys.core.personal_data import record_view
from biys.core.querysets import read_rows
from biys.core.views.generic import (
    BulkEditView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    Tab,
    bulk_edit_form_factory,
    register_model_views,
)
from biys.org import filtersets, forms, tables
from biys.org.models import (
    Article,
    Duty,
    Paragraph,
    Person,
    Position,
    Regulation,
    Title,
    Unit,
)
from biys.org.search import rank_duties, stems

# --------------------------------------------------------------------------- chart


def _unit_tree(units: list[Unit]) -> list[dict]:
    nodes = {unit.pk: {"unit": unit, "children": []} for unit in units}
    roots = []
    for unit in units:
        parent = nodes.get(unit.parent_id)
        (parent["children"] if parent else roots).append(nodes[unit.pk])
    return roots


def _manager_of(unit: Unit):
    if unit.manager_position_id and unit.manager_position.holder_id:
        return unit.manager_position.holder
    for position in unit.manager_positions:
        if position.holder_id:
            return position.holder
    return None


class OrgChartView(LoginRequiredMixin, View):
    """The units tree: collapsible with <details>, keyboard usable, no JavaScript library."""

    def get(self, request):
        units = list(
            Unit.objects.restrict(request.user, "view")
            .filter(is_active=True)
            .select_related("manager_position__holder", "manager_position__title")
            .prefetch_related(
                Prefetch(
                    "positions",
                    queryset=Position.objects.filter(is_manager=True).select_related("holder"),
                    to_attr="manager_positions",
                )
            )
            .annotate(duty_count=Count("duties", distinct=True))
            .order_by("path")
        )
        siblings_order = {unit.pk: (unit.order, unit.sort_name) for unit in units}
        units.sort(
            key=lambda u: [
                siblings_order.get(int(pk), (0, "")) for pk in u.path.strip("/").split("/") if pk
            ]
        )
        for unit in units:
            unit.manager = _manager_of(unit)
        it_only = request.GET.get("it") == "1"
        if it_only:
            units = [unit for unit in units if unit.is_it_department]
        context = {
            "title": _("Organisation chart"),
            "tree": _unit_tree(units),
            "it_only": it_only,
            "unit_count": len(units),
        }
        return render(request, "org/chart.html", context)


# --------------------------------------------------------------------------- units


class UnitListView(ObjectListView):
    queryset = Unit.objects.select_related("parent").annotate(
        people_count=Count("people", distinct=True), duty_count=Count("duties", distinct=True)
    )
    table_class = tables.UnitTable
    filterset_class = filtersets.UnitFilterSet


class UnitDetailView(ObjectDetailView):
    queryset = Unit.objects.select_related("parent", "manager_position__holder")
    detail_fields = (
        "name",
        "short_name",
        "kind",
        "parent",
        "is_it_department",
        "manager_position",
        "email",
        "phone",
        "is_active",
    )

    def get_extra_tabs(self, obj):
        user = self.request.user
        duties = (
            Duty.objects.restrict(user, "view")
            .filter(unit=obj, status=Duty.Status.ACTIVE)
            .select_related("paragraph__article__regulation")
            .prefetch_related("categories")
        )
        people = Person.objects.restrict(user, "view").filter(unit=obj).select_related("title")
        children = (
            Unit.objects.restrict(user, "view")
            .filter(parent=obj)
            .annotate(
                duty_count=Count("duties", distinct=True),
                people_count=Count("people", distinct=True),
            )
        )

        def duty_context():
            ordered = list(duties)
            groups = [
                {"article": article, "duties": list(items)}
                for article, items in groupby(ordered, key=lambda duty: duty.paragraph.article)
            ]
            return {"duty_groups": groups}

        return [
            Tab(
                "duties",
                _("Duties"),
                template_name="org/partials/unit_duties.html",
                context=duty_context,
                badge=duties.count(),
            ),
            Tab(
                "people",
                _("People"),
                template_name="org/partials/unit_people.html",
                context=lambda: {"people": list(people.order_by("sort_name"))},
                badge=people.count(),
            ),
            Tab(
                "units",
                _("Sub-units"),
                template_name="org/partials/unit_children.html",
                context=lambda: {"children": list(children.order_by("order", "sort_name"))},
                badge=children.count(),
            ),
        ]

    def get_extra_context(self, obj):
        return {"ancestors": obj.ancestors()}


class UnitEditView(ObjectEditView):
    queryset = Unit.objects.all()
    form_class = forms.UnitForm

    def add_unit_id(self, instance):
        return instance.parent_id


class UnitBulkEditView(BulkEditView):
    queryset = Unit.objects.all()
    form_class = bulk_edit_form_factory(Unit, ["kind", "parent", "is_it_department", "is_active"])


# --------------------------------------------------------------------------- people


class PersonListView(ObjectListView):
    queryset = Person.objects.select_related("unit", "title")
    table_class = tables.PersonTable
    filterset_class = filtersets.PersonFilterSet
    keyset_pagination = True

    def page_rows(self, queryset) -> list:
        """A page of people read as plain rows, the unit's and title's names by subqueries."""
        return read_rows(
            queryset, exclude=("search_text",), related={"unit": ("name",), "title": ("name",)}
        )


class PersonDetailView(ObjectDetailView):
    queryset = Person.objects.select_related("unit", "title")
    template_name = "org/person_detail.html"
    details_template_name = "org/partials/person_details.html"

    def get_extra_context(self, obj):
        return {
            "may_reveal": may_reveal_personal_data(self.request.user, obj),
            "positions": list(obj.positions.select_related("unit")),
        }


def may_reveal_personal_data(user, person: Person) -> bool:
    return get_scope(user).has_perm("org.view_personal_data", person.unit_id)


class PersonRevealView(LoginRequiredMixin, View):
    """Shows a person's personal data to a holder of org.view_personal_data over the person's
    unit, and logs the access (KVKK). POST only: a link prefetch must never count as a view."""

    def post(self, request, pk):
        person = get_object_or_404(Person.objects.restrict(request.user, "view"), pk=pk)
        if not may_reveal_personal_data(request.user, person):
            return render(
                request,
                "org/partials/personal_data.html",
                {"person": person, "denied": True},
                status=403,
            )
        record_view(user=request.user, obj=person)
        context = {"person": person, "revealed": True}
        if request.htmx:
            return render(request, "org/partials/personal_data.html", context)
        return render(request, "org/person_revealed.html", {**context, "title": str(person)})


class PersonEditView(ObjectEditView):
    queryset = Person.objects.select_related("unit")
    form_class = forms.PersonForm


class PersonBulkEditView(BulkEditView):
    queryset = Person.objects.all()
    form_class = bulk_edit_form_factory(
        Person, ["unit", "title", "employment_type", "status", "location"]
    )


# --------------------------------------------------------------------------- duties


class DutyListView(ObjectListView):
    """Doubles as the duty search: 'who is responsible for fingerprint door access?'"""

    queryset = Duty.objects.select_related("unit", "paragraph__article").prefetch_related(
        "categories"
    )
    table_class = tables.DutyTable
    filterset_class = filtersets.DutyFilterSet
    template_name = "org/duty_list.html"
    quick_search = False  # the page has its own, larger search box

    def filter_queryset(self, queryset):
        data = self.request.GET.copy()
        query = data.pop("q", [""])[0].strip()
        if "status" not in data:
            queryset = queryset.filter(status=Duty.Status.ACTIVE)  # retired ones on request
        filterset = self.make_filterset(data or None, queryset)
        queryset = filterset.qs
        if query:
            queryset = rank_duties(queryset, query)
        return queryset, filterset

    def get_extra_context(self):
        return {"highlight_terms": " ".join(stems(self.request.GET.get("q", "")))}


class DutyDetailView(ObjectDetailView):
    queryset = Duty.objects.select_related("unit", "paragraph__article__regulation")
    detail_fields = ("reference", "text", "unit", "paragraph", "label", "status")


class DutyEditView(ObjectEditView):
    queryset = Duty.objects.all()
    form_class = forms.DutyForm


class DutyBulkEditView(BulkEditView):
    queryset = Duty.objects.all()
    form_class = bulk_edit_form_factory(Duty, ["unit", "categories"])


# --------------------------------------------------------------------------- regulation


class RegulationListView(ObjectListView):
    queryset = Regulation.objects.all()
    table_class = tables.RegulationTable
    filterset_class = filtersets.RegulationFilterSet


class RegulationDetailView(ObjectDetailView):
    """The regulation as the council adopted it: articles, paragraphs, items and their units."""

    queryset = Regulation.objects.all()
    detail_fields = (
        "title",
        "council_decision_no",
        "council_decision_date",
        "effective_date",
        "repeals",
        "repealed_regulation",
        "is_in_force",
    )

    def get_extra_tabs(self, obj):
        user = self.request.user

        def text_context():
            duties = Duty.objects.restrict(user, "view").select_related("unit").order_by("order")
            articles = obj.articles.order_by("number").prefetch_related(
                Prefetch(
                    "paragraphs",
                    queryset=Paragraph.objects.order_by("order").prefetch_related(
                        Prefetch("duties", queryset=duties)
                    ),
                )
            )
            return {"articles": list(articles)}

        return [
            Tab(
                "text",
                _("Articles"),
                template_name="org/partials/regulation_text.html",
                context=text_context,
                badge=obj.articles.count(),
            )
        ]


class RegulationEditView(ObjectEditView):
    queryset = Regulation.objects.all()
    form_class = forms.RegulationForm


# --------------------------------------------------------------------------- titles, positions


class TitleListView(ObjectListView):
    queryset = Title.objects.annotate(people_count=Count("person", distinct=True))
    table_class = tables.TitleTable
    filterset_class = filtersets.TitleFilterSet


class TitleEditView(ObjectEditView):
    queryset = Title.objects.all()
    form_class = forms.TitleForm


class PositionListView(ObjectListView):
    queryset = Position.objects.select_related("unit", "title", "holder")
    table_class = tables.PositionTable
    filterset_class = filtersets.PositionFilterSet


class PositionEditView(ObjectEditView):
    queryset = Position.objects.all()
    form_class = forms.PositionForm


class ArticleDetailView(ObjectDetailView):
    queryset = Article.objects.select_related("regulation")
    detail_fields = ("regulation", "number", "heading", "part", "text")


register_model_views(
    Unit,
    list=UnitListView,
    detail=UnitDetailView,
    edit=UnitEditView,
    delete=ObjectDeleteView,
    bulk_edit=UnitBulkEditView,
)
register_model_views(
    Person,
    list=PersonListView,
    detail=PersonDetailView,
    edit=PersonEditView,
    delete=ObjectDeleteView,
    bulk_edit=PersonBulkEditView,
)
register_model_views(
    Duty,
    list=DutyListView,
    detail=DutyDetailView,
    edit=DutyEditView,
    delete=ObjectDeleteView,
    bulk_edit=DutyBulkEditView,
)
register_model_views(
    Regulation,
    list=RegulationListView,
    detail=RegulationDetailView,
    edit=RegulationEditView,
    delete=ObjectDeleteView,
)
register_model_views(Article, detail=ArticleDetailView)
register_model_views(
    Title, list=TitleListView, detail=ObjectDetailView, edit=TitleEditView, delete=ObjectDeleteView
)
register_model_views(
    Position,
    list=PositionListView,
    detail=ObjectDetailView,
    edit=PositionEditView,
    delete=ObjectDeleteView,
)
