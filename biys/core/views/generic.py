"""NetBox-style generic views: a model gets list, detail, edit, delete, bulk edit and history
pages with little code, every one of them narrowed to what the signed-in user may see.

A module declares its views and registers them::

    class PersonListView(ObjectListView):
        queryset = Person.objects.select_related("unit", "title")
        table_class = PersonTable
        filterset_class = PersonFilterSet

    register_model_views(Person, list=PersonListView, detail=PersonDetailView,
                         edit=PersonEditView, delete=ObjectDeleteView)

and mounts the URLs in its ``urls.py``: ``path("people/", include(get_model_urls("org", "person")))``.
The URL names are ``<model>_list``, ``<model>`` (detail), ``<model>_add``, ``<model>_edit``,
``<model>_delete``, ``<model>_bulk_edit`` and ``<model>_changelog`` in the app's namespace.
"""

import inspect
from dataclasses import dataclass, field
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_tables2 import RequestConfig

from biys.core.access import can, can_add, get_scope
from biys.core.changelog import owner_unit_id
from biys.core.export import EXPORT_FORMATS, export_response
from biys.core.history import describe_change, describe_changes
from biys.core.models import ChangeLoggedModel, ObjectChange
from biys.core.pagination import capped_count, paginate
from biys.core.placement import may_place, placement_of
from biys.core.redaction import redact
from biys.core.search import SearchableModel, filter_by_terms
from biys.core.tables import ObjectChangeTable
from biys.core.text import capfirst

LIST_TARGET = "object-list"
TAB_TARGET = "object-tab"


# --------------------------------------------------------------------------- helpers


def model_url_name(model, suffix: str = "") -> str:
    return f"{model._meta.app_label}:{model._meta.model_name}{suffix}"


def model_url(model, suffix: str = "", **kwargs) -> str:
    """The URL of one of the model's generic views, or "" when it is not registered."""
    try:
        return reverse(model_url_name(model, suffix), kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def safe_return_url(request, fallback: str = "") -> str:
    url = request.POST.get("return_url") or request.GET.get("return_url")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


def is_partial_request(request, target: str) -> bool:
    """An HTMX request that only wants the region ``target`` re-rendered."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target


def render_htmx_aware(request, full_template, partial_template, target, context, status=200):
    template = partial_template if is_partial_request(request, target) else full_template
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


FEW_CHOICES = 8


def tidy_filter_form(form):
    """Filter forms read better as checkboxes for short lists and with 'Any' for yes/no."""
    for form_field in form.fields.values():
        widget = form_field.widget
        if isinstance(widget, forms.SelectMultiple) and not isinstance(
            widget, forms.CheckboxSelectMultiple
        ):
            choices = list(getattr(form_field, "choices", []))
            if len(choices) <= FEW_CHOICES and not hasattr(form_field, "queryset"):
                form_field.widget = forms.CheckboxSelectMultiple(choices=choices)
            else:
                widget.attrs.setdefault("size", 6)
        elif isinstance(form_field, forms.NullBooleanField):
            form_field.widget = forms.Select(
                choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
            )
    return form


def _accepts_user(form_class) -> bool:
    return "user" in inspect.signature(form_class.__init__).parameters


def restrict_form_choices(form, user) -> None:
    """Limit every model choice in a form to what the user may view."""
    for form_field in form.fields.values():
        queryset = getattr(form_field, "queryset", None)
        if queryset is not None and hasattr(queryset, "restrict"):
            form_field.queryset = queryset.restrict(user, "view")


# --------------------------------------------------------------------------- base


class ScopedViewMixin(LoginRequiredMixin):
    """Every generic view: login required, queryset restricted to the user's scope."""

    queryset: models.QuerySet | None = None
    action = "view"

    @property
    def model(self):
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a queryset.")
        return self.queryset.model

    def get_queryset(self):
        queryset = self.queryset.all()
        if not hasattr(queryset, "restrict"):
            raise ImproperlyConfigured(f"{self.model.__name__} has no RestrictedQuerySet.")
        return queryset.restrict(self.request.user, self.action)

    def get_object(self):
        """The object if the user may act on it; otherwise 404, never a hint that it exists."""
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def base_context(self) -> dict[str, Any]:
        model = self.model
        return {
            "model": model,
            "verbose_name": model._meta.verbose_name,
            "verbose_name_plural": model._meta.verbose_name_plural,
            "list_url": model_url(model, "_list"),
        }


# --------------------------------------------------------------------------- list


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
    # that grow without bound (tickets, people).
    keyset_pagination = False

    def uses_quick_search(self) -> bool:
        filters = getattr(self.filterset_class, "base_filters", {}) or {}
        return self.quick_search and ("q" in filters or issubclass(self.model, SearchableModel))

    def filter_queryset(self, queryset):
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(
                self.request.GET or None, queryset=queryset, request=self.request
            )
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
        try:
            window = paginate(ordered, self.get_per_page(), self.request.GET.get("cursor") or None)
        except ValidationError as error:
            messages.warning(self.request, error.messages[0])
            window = paginate(ordered, self.get_per_page())
        page = ordered.none()
        page._result_cache, page._prefetch_done = window.rows, True
        table.data.data = page
        table.data.__dict__.pop("_length", None)
        return {"count": capped_count(ordered), "window": window, "rows": len(window.rows)}

    def get_filter_form(self, filterset):
        """The filter panel: the filterset's ``panel_fields`` when it names them (an API filter
        set may accept more than a page should offer), else every filter."""
        if filterset is None:
            return None
        form = filterset.form
        shown = getattr(filterset, "panel_fields", None)
        if shown is not None:
            for name in [name for name in form.fields if name not in shown]:
                del form.fields[name]
        return tidy_filter_form(form)

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

    def get_table(self, queryset, *, selectable=False):
        if self.table_class is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a table_class.")
        return self.table_class(queryset, selectable=selectable, request=self.request)

    def export_filename(self) -> str:
        # keeps Turkish letters ("kayıtlar"); the response also names an ASCII fallback
        name = slugify(str(self.model._meta.verbose_name_plural), allow_unicode=True)
        return f"{name or self.model._meta.model_name}-{timezone.localdate():%Y%m%d}"

    def get(self, request, *args, **kwargs):
        queryset, filterset = self.filter_queryset(self.get_queryset())
        export_format = request.GET.get("export")
        if export_format in self.export_formats:
            table = self.get_table(queryset)
            RequestConfig(request, paginate=False).configure(table)
            return export_response(export_format, table, table.data.data, self.export_filename())

        bulk_edit_url = self.bulk_edit_url()
        table = self.get_table(queryset, selectable=bool(bulk_edit_url))
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
            "filter_form": self.get_filter_form(filterset),
            "quick_search": self.uses_quick_search(),
            "q": request.GET.get("q", ""),
            "add_url": model_url(self.model, "_add") if can_add(request.user, self.model) else "",
            "bulk_edit_url": bulk_edit_url,
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


# --------------------------------------------------------------------------- detail


@dataclass
class Tab:
    """A tab of a detail page: rendered here from ``template_name`` or loaded from ``url``."""

    name: str
    label: str
    template_name: str = ""
    url: str = ""
    context: Any = None  # callable returning extra context, only run for the active tab
    badge: Any = None


def change_history(user, obj, limit: int = 200, related=()) -> list[dict]:
    """The object's change records the user may see, newest first, with what changed.

    ``related`` adds the records of other models that point at the object, as
    ``(model, attname)`` pairs: a user's history shows the roles granted to them
    (``(RoleAssignment, "user_id")``)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    condition = Q(content_type=content_type, object_id=str(obj.pk))
    for related_model, attname in related:
        related_type = ContentType.objects.get_for_model(related_model, for_concrete_model=False)
        condition |= Q(content_type=related_type) & (
            Q(**{f"postchange_data__{attname}": obj.pk})
            | Q(**{f"prechange_data__{attname}": obj.pk})
        )
    records = list(
        ObjectChange.objects.restrict(user, "view")
        .filter(condition)
        .select_related("content_type")
        .order_by("-id")[:limit]
    )
    described = describe_changes(redact(records))
    for entry in described:
        entry["related"] = entry["record"].content_type_id != content_type.pk
    return described


def visible_history(user, obj, related=()) -> list[dict] | None:
    """The History tab's rows, or None for users who may not read the change log at all."""
    if not get_scope(user).has_perm("core.view_objectchange"):
        return None
    return change_history(user, obj, related=related)


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

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        tabs = self.get_tabs(obj)
        requested = request.GET.get("tab", tabs[0].name)
        active_tab = next((tab for tab in tabs if tab.name == requested), tabs[0])
        model = type(obj)
        user = request.user
        context = {
            **self.base_context(),
            "object": obj,
            "title": str(obj),
            "tabs": tabs,
            "active_tab": active_tab,
            "tab_target": TAB_TARGET,
            "detail_fields": self.get_detail_fields(obj),
            "edit_url": model_url(model, "_edit", pk=obj.pk) if can(user, "change", obj) else "",
            "delete_url": model_url(model, "_delete", pk=obj.pk)
            if can(user, "delete", obj)
            else "",
            **self.get_extra_context(obj),
        }
        if active_tab.context:
            context.update(active_tab.context())
        return render_htmx_aware(
            request, self.template_name, self.partial_template_name, TAB_TARGET, context
        )


class ObjectHistoryView(ScopedViewMixin, View):
    """The full change history of one object (the History tab as a page of its own)."""

    template_name = "core/object_history.html"

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        if not get_scope(request.user).has_perm("core.view_objectchange"):
            raise PermissionDenied
        context = {
            **self.base_context(),
            "object": obj,
            "title": str(obj),
            "history": change_history(request.user, obj),
        }
        return render(request, self.template_name, context)


# --------------------------------------------------------------------------- edit


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
            "title": (
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


# --------------------------------------------------------------------------- delete


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


# --------------------------------------------------------------------------- bulk edit


def bulk_edit_form_factory(model, field_names, base=forms.Form):
    """A form of optional fields for ``BulkEditView``: empty means 'leave as it is'."""
    form_fields = {}
    for name in field_names:
        model_field = model._meta.get_field(name)
        if isinstance(model_field, models.BooleanField):
            form_field = forms.NullBooleanField(
                label=capfirst(model_field.verbose_name),
                required=False,
                widget=forms.Select(
                    choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]
                ),
            )
        elif model_field.choices:
            form_field = forms.TypedChoiceField(
                label=capfirst(model_field.verbose_name),
                choices=[("", "—"), *model_field.choices],
                coerce=model_field.to_python,
                empty_value=None,
                required=False,
            )
        else:
            form_field = model_field.formfield(required=False)
        form_fields[name] = form_field
    return type(f"{model.__name__}BulkEditForm", (base,), form_fields)


class BulkEditView(ScopedViewMixin, View):
    """Apply the filled-in fields of a form to every selected object, in one transaction."""

    form_class = None
    template_name = "core/bulk_edit.html"
    action = "change"

    def get_form(self, data=None):
        form = self.form_class(data=data)
        restrict_form_choices(form, self.request.user)
        return form

    def changes(self, form) -> dict:
        return {
            name: value
            for name, value in form.cleaned_data.items()
            if value not in (None, "")
            and not (isinstance(value, list | tuple) and not value)
            and not (hasattr(value, "exists") and not value.exists())
        }

    def apply(self, obj, changes: dict) -> None:
        old_place = placement_of(obj)
        many_to_many = {}
        for name, value in changes.items():
            model_field = obj._meta.get_field(name)
            if model_field.many_to_many:
                many_to_many[name] = value
            else:
                setattr(obj, name, value)
        obj.full_clean()
        self.save_object(obj)
        for name, value in many_to_many.items():
            getattr(obj, name).set(value)
        # The placement rule, on the record as saved (as the edit view and the API).
        user = self.request.user
        if not can(user, "change", obj) or (
            placement_of(obj) != old_place and not may_place(user, obj, "change")
        ):
            raise PermissionDenied

    def save_object(self, obj) -> None:
        """Override to save through the model's service (``biys.<app>.services``)."""
        obj.save()

    def render_form(self, form, objects, status=200):
        context = {
            **self.base_context(),
            "title": _("Edit %(count)s %(models)s")
            % {"count": len(objects), "models": self.model._meta.verbose_name_plural},
            "form": form,
            "objects": objects,
            "return_url": safe_return_url(self.request, model_url(self.model, "_list")),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return redirect(model_url(self.model, "_list") or "core:home")

    def post(self, request, *args, **kwargs):
        if self.form_class is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a form_class.")
        pks = [pk for pk in request.POST.getlist("pk") if pk.isdigit()]
        objects = list(self.get_queryset().filter(pk__in=pks))
        if not objects:
            messages.warning(request, _("Select at least one object to edit."))
            return redirect(safe_return_url(request, model_url(self.model, "_list")))
        if "_apply" not in request.POST:
            return self.render_form(self.get_form(), objects)
        form = self.get_form(data=request.POST)
        if not form.is_valid():
            return self.render_form(form, objects)
        changes = self.changes(form)
        try:
            with transaction.atomic():
                for obj in objects:
                    self.apply(obj, changes)
        except ValidationError as error:
            by_field = (
                error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            )
            for name, field_messages in by_field.items():
                for message in field_messages:
                    form.add_error(name if name in form.fields else None, f"{obj}: {message}")
            return self.render_form(form, objects)
        except PermissionDenied:
            form.add_error(
                None, _("You do not have permission to move %(object)s there.") % {"object": obj}
            )
            return self.render_form(form, objects, status=403)
        messages.success(
            request,
            _("Updated %(count)s %(models)s.")
            % {"count": len(objects), "models": self.model._meta.verbose_name_plural},
        )
        return redirect(safe_return_url(request, model_url(self.model, "_list")))


# --------------------------------------------------------------------------- change log


class _ContentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        model = obj.model_class()
        return capfirst(model._meta.verbose_name) if model else obj.model


class ContentTypeFilter(django_filters.ModelChoiceFilter):
    field_class = _ContentTypeChoiceField


def _logged_content_types(request=None):
    ids = [ContentType.objects.get_for_model(model).pk for model in _change_logged_models()]
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


class ObjectChangeFilterSet(django_filters.FilterSet):
    user_name = django_filters.CharFilter(label=_("User"), lookup_expr="icontains")
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=ObjectChange.Action.choices, empty_label=_("Any")
    )
    content_type = ContentTypeFilter(
        label=_("Type"), queryset=_logged_content_types, empty_label=_("Any")
    )
    time_after = django_filters.DateFilter(
        label=_("From"),
        field_name="time",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    time_before = django_filters.DateFilter(
        label=_("Until"),
        field_name="time",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    request_id = django_filters.CharFilter(label=_("Request"), lookup_expr="startswith")

    class Meta:
        model = ObjectChange
        fields = ["user_name", "action", "content_type", "time_after", "time_before", "request_id"]


def _change_logged_models():
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, ChangeLoggedModel) and not model._meta.abstract
    ]


class ObjectChangeLogView(ObjectListView):
    """Every change the user may see (holders of core.view_objectchange, within their units)."""

    queryset = ObjectChange.objects.select_related("content_type")
    table_class = ObjectChangeTable
    filterset_class = ObjectChangeFilterSet
    quick_search = False

    def get_extra_context(self):
        return {"title": _("Change log")}


class ObjectChangeDetailView(ScopedViewMixin, View):
    queryset = ObjectChange.objects.select_related("content_type")
    template_name = "core/objectchange_detail.html"

    def get(self, request, *args, **kwargs):
        record = redact([self.get_object()])[0]
        from biys.core.tables import object_url

        context = {
            "title": str(record),
            "record": record,
            "change": describe_change(record) if record.content_type.model_class() else None,
            "object_url": object_url(record),
            "list_url": reverse("core:changelog"),
        }
        return render(request, self.template_name, context)


# --------------------------------------------------------------------------- registry


VIEW_ROLES = ("list", "detail", "add", "edit", "delete", "bulk_edit", "changelog")


@dataclass
class ModelViews:
    model: type
    views: dict[str, type] = field(default_factory=dict)

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name

    def url_name(self, role: str) -> str:
        suffix = {"detail": ""}.get(role, f"_{role}")
        return f"{self.app_label}:{self.model_name}{suffix}"

    @property
    def list_url_name(self) -> str | None:
        return self.url_name("list") if "list" in self.views else None

    @property
    def detail_url_name(self) -> str | None:
        return self.url_name("detail") if "detail" in self.views else None


_registry: dict[tuple[str, str], ModelViews] = {}


def register_model_views(
    model,
    *,
    list=None,
    detail=None,
    add=None,
    edit=None,
    delete=None,
    bulk_edit=None,
    changelog=True,
) -> ModelViews:
    """Register the generic views of a model. ``add`` defaults to ``edit`` (pass ``add=False``
    for none); ``changelog`` defaults to the generic object history when there is a detail."""
    if add is None:
        add = edit
    if changelog is True:
        changelog = ObjectHistoryView if detail else None
    given = {
        "list": list,
        "detail": detail,
        "add": add,
        "edit": edit,
        "delete": delete,
        "bulk_edit": bulk_edit,
        "changelog": changelog,
    }
    entry = ModelViews(model, {role: view for role, view in given.items() if view})
    _registry[(model._meta.app_label, model._meta.model_name)] = entry
    return entry


def registered_model_views() -> list[ModelViews]:
    """Every registered model with its views and URL names (the permission matrix walks it)."""
    return list(_registry.values())


def get_model_views(model) -> ModelViews | None:
    return _registry.get((model._meta.app_label, model._meta.model_name))


_ROUTES = {
    "list": "",
    "add": "add/",
    "bulk_edit": "bulk-edit/",
    "detail": "<int:pk>/",
    "edit": "<int:pk>/edit/",
    "delete": "<int:pk>/delete/",
    "changelog": "<int:pk>/changelog/",
}


def get_model_urls(app_label: str, model_name: str) -> list:
    """URL patterns of a registered model, to mount under its prefix with ``include()``."""
    entry = _registry.get((app_label, model_name))
    if entry is None:
        raise ImproperlyConfigured(f"No views registered for {app_label}.{model_name}.")
    patterns = []
    for role, route in _ROUTES.items():
        view_class = entry.views.get(role)
        if view_class is None:
            continue
        initkwargs = {}
        if getattr(view_class, "queryset", None) is None:
            initkwargs["queryset"] = entry.model.objects.all()
        name = entry.url_name(role).split(":", 1)[1]
        patterns.append(path(route, view_class.as_view(**initkwargs), name=name))
    return patterns


def object_or_404_for(user, model, pk, action: str = "view"):
    """For views outside the generic ones: the object within the user's scope, or 404."""
    try:
        return model.objects.restrict(user, action).get(pk=pk)
    except model.DoesNotExist as error:
        raise Http404 from error
