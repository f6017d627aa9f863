"""Object views: list, detail, add/edit and delete, narrowed to what the user may see."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_tables2 import RequestConfig

from biys.core.access import can, can_add, get_scope
from biys.core.changelog import owner_unit_id
from biys.core.export import EXPORT_FORMATS, export_response
from biys.core.forms import OPTIONS_PARAM, options_html
from biys.core.models import ChangeLoggedModel
from biys.core.pagination import paginate, window_count
from biys.core.placement import may_place, placement_of
from biys.core.search import SearchableModel, filter_by_terms
from biys.core.text import capfirst
from biys.core.views.generic.base import (
    LIST_TARGET,
    TAB_TARGET,
    ScopedViewMixin,
    _accepts_user,
    model_url,
    render_htmx_aware,
    restrict_form_choices,
    safe_return_url,
    tidy_filter_form,
)
from biys.core.views.generic.filter_panel import FilterPanel
from biys.core.views.generic.history import change_history


class ObjectListView(ScopedViewMixin, View):
    table_class = None
    filterset_class = None
    template_name = "core/object_list.html"
    partial_template_name = "core/partials/object_list.html"
    per_page_options = (25, 50, 100, 250)
    default_per_page = 50
    export_formats = EXPORT_FORMATS
    quick_search = True
    # Page by cursor ("next page" after the last row shown) with a capped count: for lists
    # that grow without bound (tickets, people). A view may read the page's rows its own way
    # with ``page_rows(sliced_queryset) -> list`` (e.g. ``biys.core.querysets.read_rows``).
    keyset_pagination = False

    def uses_quick_search(self) -> bool:
        filters = getattr(self.filterset_class, "base_filters", {}) or {}
        return self.quick_search and ("q" in filters or issubclass(self.model, SearchableModel))

    def make_filterset(self, data, queryset):
        return self.filterset_class(data, queryset=queryset, request=self.request)

    def panel_fields(self, filterset) -> tuple[str, ...]:
        """The filters the filter panel shows: the filter set's ``panel_fields`` when it names
        them (an API filter set may accept more than a page should offer), else every filter."""
        shown = getattr(filterset, "panel_fields", None)
        return tuple(filterset.filters) if shown is None else tuple(shown)

    def filter_queryset(self, queryset):
        filterset = None
        if self.filterset_class is not None:
            filterset = self.make_filterset(self.request.GET or None, queryset)
            queryset = filterset.qs
        query = self.request.GET.get("q", "").strip()
        handled_by_filterset = filterset is not None and "q" in filterset.filters
        if query and not handled_by_filterset and issubclass(self.model, SearchableModel):
            queryset = filter_by_terms(queryset, query)
        return queryset, filterset

    def paginate_keyset(self, table) -> dict:
        """Puts one page of rows into ``table`` by cursor (``?cursor=``) rather than page number,
        and counts up to a limit: the cost of a page does not grow with its depth."""
        ordered = table.data.data
        fetch = getattr(self, "page_rows", list)
        cursor = self.request.GET.get("cursor") or None
        try:
            window = paginate(ordered, self.get_per_page(), cursor, fetch=fetch)
        except ValidationError as error:
            messages.warning(self.request, error.messages[0])
            window, cursor = paginate(ordered, self.get_per_page(), fetch=fetch), None
        page = ordered.none()
        page._result_cache, page._prefetch_done = window.rows, True
        table.data.data = page
        table.data.__dict__.pop("_length", None)
        count = window_count(ordered, window, first=cursor is None)
        return {"count": count, "window": window, "rows": len(window.rows)}

    def get_filter_form(self, filterset):
        """The filter panel's form: the fields of ``panel_fields`` with the request's values.
        The filter set's own form (``filterset.form``) holds only the filters the request
        names (``biys.core.filtersets.NamedFiltersFormMixin``)."""
        if filterset is None:
            return None
        shown = self.panel_fields(filterset)
        if hasattr(filterset, "panel_form"):
            form = filterset.panel_form(shown)
        else:
            form = filterset.form
            for name in [name for name in form.fields if name not in shown]:
                del form.fields[name]
        return tidy_filter_form(form, options_url=self.request.path)

    def options_response(self, name: str):
        """``?_options=<filter>``: every option of one of the filter panel's lazy selects, the
        ones in the request marked selected (the select asks for them once the page is shown)."""
        queryset = self.get_queryset().none()  # the list's own access rule, no rows
        filterset = None
        if self.filterset_class is not None:
            filterset = self.make_filterset(self.request.GET, queryset)
        form = self.get_filter_form(filterset)
        form_field = form.fields.get(name) if form is not None else None
        if form_field is None or not getattr(form_field.widget, "lazy", False):
            raise Http404
        widget = form_field.widget
        values = widget.format_value(form[name].value())
        html = options_html(form_field.choices, values, multiple=widget.allow_multiple_selected)
        response = HttpResponse(html)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_per_page(self) -> int:
        try:
            value = int(self.request.GET.get("per_page", self.default_per_page))
        except ValueError:
            return self.default_per_page
        return min(max(value, 1), max(self.per_page_options))

    def bulk_edit_url(self) -> str:
        url = model_url(self.model, "_bulk_edit")
        if url and get_scope(self.request.user).has_perm(
            f"{self.model._meta.app_label}.change_{self.model._meta.model_name}"
        ):
            return url
        return ""

    def bulk_delete_url(self) -> str:
        url = model_url(self.model, "_bulk_delete")
        if url and get_scope(self.request.user).has_perm(
            f"{self.model._meta.app_label}.delete_{self.model._meta.model_name}"
        ):
            return url
        return ""

    def get_table(self, queryset, *, selectable=False):
        if self.table_class is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a table_class.")
        return self.table_class(queryset, selectable=selectable, request=self.request)

    def export_queryset(self, queryset):
        """The rows an export writes, every one of them (a view whose page reads its rows its
        own way, ``page_rows``, may join here what the table's columns show)."""
        return queryset

    def export_filename(self) -> str:
        # keeps Turkish letters ("kayıtlar"); the response also names an ASCII fallback
        name = slugify(str(self.model._meta.verbose_name_plural), allow_unicode=True)
        return f"{name or self.model._meta.model_name}-{timezone.localdate():%Y%m%d}"

    def get(self, request, *args, **kwargs):
        if OPTIONS_PARAM in request.GET:
            return self.options_response(request.GET[OPTIONS_PARAM])
        queryset, filterset = self.filter_queryset(self.get_queryset())
        export_format = request.GET.get("export")
        if export_format in self.export_formats:
            table = self.get_table(self.export_queryset(queryset))
            RequestConfig(request, paginate=False).configure(table)
            return export_response(export_format, table, table.data.data, self.export_filename())

        bulk_edit_url = self.bulk_edit_url()
        bulk_delete_url = self.bulk_delete_url()
        table = self.get_table(queryset, selectable=bool(bulk_edit_url or bulk_delete_url))
        if self.keyset_pagination:
            RequestConfig(request, paginate=False).configure(table)
            keyset = self.paginate_keyset(table)
        else:
            RequestConfig(request, paginate={"per_page": self.get_per_page()}).configure(table)
            keyset = None
        context = {
            **self.base_context(),
            "title": capfirst(self.model._meta.verbose_name_plural),
            "table": table,
            "filterset": filterset,
            "filter_panel": FilterPanel(self, filterset) if filterset is not None else None,
            "quick_search": self.uses_quick_search(),
            "q": request.GET.get("q", ""),
            "add_url": model_url(self.model, "_add") if can_add(request.user, self.model) else "",
            "bulk_edit_url": bulk_edit_url,
            "bulk_delete_url": bulk_delete_url,
            "export_formats": self.export_formats,
            "per_page_options": self.per_page_options,
            "per_page": self.get_per_page(),
            "list_target": LIST_TARGET,
            "keyset": keyset,
            **self.get_extra_context(),
        }
        return render_htmx_aware(
            request, self.template_name, self.partial_template_name, LIST_TARGET, context
        )

    def get_extra_context(self) -> dict[str, Any]:
        return {}


@dataclass
class Tab:
    """A tab of a detail page: rendered here from ``template_name`` or loaded from ``url``."""

    name: str
    label: str
    template_name: str = ""
    url: str = ""
    context: Any = None  # callable returning extra context, only run for the active tab
    badge: Any = None


HIDDEN_DETAIL_FIELDS = {"id", "search_text", "sort_name", "path", "depth"}


class ObjectDetailView(ScopedViewMixin, View):
    template_name = "core/object_detail.html"
    partial_template_name = "core/partials/object_tab.html"
    details_template_name = "core/partials/object_details.html"
    detail_fields: tuple[str, ...] | None = None
    show_attachments = True
    show_comments = True

    def get_detail_fields(self, obj) -> list:
        meta = type(obj)._meta
        if self.detail_fields is not None:
            return [meta.get_field(name) for name in self.detail_fields]
        return [
            f
            for f in meta.concrete_fields
            if f.name not in HIDDEN_DETAIL_FIELDS and not f.name.endswith("_ptr")
        ]

    def get_extra_tabs(self, obj) -> list[Tab]:
        """Tabs a subclass adds after Details (unit duties, people, ...)."""
        return []

    def get_tabs(self, obj) -> list[Tab]:
        user = self.request.user
        tabs = [Tab("details", _("Details"), template_name=self.details_template_name)]
        tabs += self.get_extra_tabs(obj)
        if get_scope(user).has_perm("core.view_objectchange") and isinstance(
            obj, ChangeLoggedModel
        ):
            tabs.append(
                Tab(
                    "history",
                    _("History"),
                    template_name="core/partials/object_history.html",
                    context=lambda: {"history": change_history(user, obj)},
                )
            )
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        for name, label, wanted in (
            ("attachments", _("Attachments"), self.show_attachments),
            ("comments", _("Comments"), self.show_comments),
        ):
            url = self.related_url(f"{name}:for_object", content_type.pk, obj.pk) if wanted else ""
            if url:
                tabs.append(Tab(name, label, url=url))
        return tabs

    @staticmethod
    def related_url(url_name: str, content_type_id: int, object_id) -> str:
        try:
            return reverse(
                url_name, kwargs={"content_type_id": content_type_id, "object_id": object_id}
            )
        except NoReverseMatch:
            return ""

    def get_extra_context(self, obj) -> dict[str, Any]:
        return {}

    def get_object_urls(self, obj) -> dict[str, str]:
        """The page's edit and delete buttons, for a user who may use them (a page that offers
        neither says so here and saves the permission checks)."""
        model, user = type(obj), self.request.user
        return {
            "edit_url": model_url(model, "_edit", pk=obj.pk) if can(user, "change", obj) else "",
            "delete_url": model_url(model, "_delete", pk=obj.pk)
            if can(user, "delete", obj)
            else "",
        }

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        tabs = self.get_tabs(obj)
        requested = request.GET.get("tab", tabs[0].name)
        active_tab = next((tab for tab in tabs if tab.name == requested), tabs[0])
        context = {
            **self.base_context(),
            "object": obj,
            "title": str(obj),
            "tabs": tabs,
            "active_tab": active_tab,
            "tab_target": TAB_TARGET,
            "detail_fields": self.get_detail_fields(obj),
            **self.get_object_urls(obj),
            **self.get_extra_context(obj),
        }
        if active_tab.context:
            context.update(active_tab.context())
        return render_htmx_aware(
            request, self.template_name, self.partial_template_name, TAB_TARGET, context
        )


class ObjectEditView(ScopedViewMixin, View):
    """Create (no pk in the URL) and edit. Saves in one transaction, then goes to the detail."""

    form_class = None
    template_name = "core/object_edit.html"
    action = "change"

    def get_object(self):
        if "pk" in self.kwargs:
            return super().get_object()
        if not can_add(self.request.user, self.model):
            raise PermissionDenied
        return self.model()

    def add_unit_id(self, instance) -> int | None:
        """The unit a new object will belong to, for the add-permission check."""
        return owner_unit_id(instance)

    def may_save(self, instance, *, is_new: bool) -> bool:
        user = self.request.user
        if is_new:
            return can_add(user, self.model, self.add_unit_id(instance))
        return can(user, "change", instance)

    def get_initial(self, is_new: bool) -> dict:
        if not is_new or self.form_class is None:
            return {}
        names = getattr(self.form_class, "base_fields", {})
        return {key: value for key, value in self.request.GET.items() if key in names}

    def get_form(self, obj, data=None, files=None):
        if self.form_class is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a form_class.")
        kwargs = {
            "data": data,
            "files": files,
            "instance": obj,
            "initial": self.get_initial(obj.pk is None),
        }
        if _accepts_user(self.form_class):
            kwargs["user"] = self.request.user
        form = self.form_class(**kwargs)
        restrict_form_choices(form, self.request.user)
        return form

    def render_form(self, obj, form, status=200):
        is_new = obj.pk is None
        context = {
            **self.base_context(),
            "object": obj,
            "form": form,
            "is_new": is_new,
            # Turkish puts the model first ("%(model)s ekle"): capitalised the Turkish way
            "title": capfirst(
                _("Add %(model)s") % {"model": self.model._meta.verbose_name}
                if is_new
                else _("Edit %(object)s") % {"object": obj}
            ),
            "return_url": safe_return_url(
                self.request, obj.get_absolute_url() if obj.pk else model_url(self.model, "_list")
            ),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_form(obj, self.get_form(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        is_new = obj.pk is None
        old_place = None if is_new else placement_of(obj)
        form = self.get_form(obj, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_form(obj, form)
        refused = _("You do not have permission to save this object in that unit.")
        if not self.may_save(form.instance, is_new=is_new):
            form.add_error(None, refused)
            return self.render_form(obj, form, status=403)
        try:
            with transaction.atomic():
                obj = self.save_form(form)
                # The placement rule, on the record as saved (the API applies the same one).
                if not self.may_keep(obj, is_new=is_new, old_place=old_place):
                    raise PermissionDenied
        except PermissionDenied:
            form.add_error(None, refused)
            return self.render_form(self.get_object() if not is_new else obj, form, status=403)
        message = _("Created %(object)s.") if is_new else _("Saved %(object)s.")
        messages.success(request, message % {"object": obj})
        return redirect(safe_return_url(request, "") or obj.get_absolute_url() or "core:home")

    def may_keep(self, obj, *, is_new: bool, old_place) -> bool:
        user = self.request.user
        if is_new:
            return may_place(user, obj, "add")
        if not can(user, "change", obj):
            return False
        return placement_of(obj) == old_place or may_place(user, obj, "change")

    def save_form(self, form):
        """Override to save through the model's service (``biys.<app>.services``)."""
        return form.save()


class _FormRefused(Exception):
    pass


class ServiceEditView(ObjectEditView):
    """An edit page that saves through a service (``save_with_service``); a ``ValidationError``
    the service raises is shown at the form's fields with a 400, and nothing is saved."""

    def save_form(self, form):
        try:
            return self.save_with_service(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            self._refused_form = form
            raise _FormRefused from error

    def save_with_service(self, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except _FormRefused:
            form = self._refused_form
            obj = form.instance if form.instance.pk else self.model()
            return self.render_form(obj, form, status=400)


class ObjectDeleteView(ScopedViewMixin, View):
    template_name = "core/object_delete.html"
    action = "delete"

    def delete_object(self, obj) -> None:
        """Override to delete through the model's service (``biys.<app>.services``)."""
        obj.delete()

    def render_confirm(self, obj, *, protected=None, status=200):
        context = {
            **self.base_context(),
            "object": obj,
            "title": _("Delete %(object)s") % {"object": obj},
            "protected": protected,
            "return_url": safe_return_url(self.request, obj.get_absolute_url()),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_confirm(self.get_object())

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        label = str(obj)
        try:
            with transaction.atomic():
                self.delete_object(obj)
        except (ProtectedError, RestrictedError) as error:
            blocking = list(error.args[1])[:20] if len(error.args) > 1 else []
            return self.render_confirm(obj, protected=blocking, status=409)
        messages.success(request, _("Deleted %(object)s.") % {"object": label})
        return redirect(model_url(self.model, "_list") or "core:home")
