"""Bulk edit and bulk delete: change chosen fields of, or delete, many objects at once, each
through the same rules as one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from biys.core.access import can, get_scope
from biys.core.placement import may_place, placement_of
from biys.core.text import capfirst
from biys.core.views.generic.base import (
    ScopedViewMixin,
    model_url,
    restrict_form_choices,
    safe_return_url,
)


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


class BulkDeleteView(ScopedViewMixin, View):
    """Delete every selected object after a confirmation, in one transaction, each through
    ``delete_object`` (override it to delete through the model's service). Only objects the
    user may delete are selected; one that something still refers to (or that a rule keeps)
    stops the whole delete with the list of what holds it (409), and nothing is deleted."""

    template_name = "core/bulk_delete.html"
    action = "delete"

    def delete_object(self, obj) -> None:
        obj.delete()

    def render_confirm(self, objects, *, blocked=None, protected=None, status=200):
        context = {
            **self.base_context(),
            "title": _("Delete %(count)s %(models)s")
            % {"count": len(objects), "models": self.model._meta.verbose_name_plural},
            "objects": objects,
            "blocked": blocked,
            "protected": protected,
            "return_url": safe_return_url(self.request, model_url(self.model, "_list")),
        }
        return render(self.request, self.template_name, context, status=status)

    def post(self, request, *args, **kwargs):
        opts = self.model._meta
        if not get_scope(request.user).has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
            raise PermissionDenied
        pks = [pk for pk in request.POST.getlist("pk") if pk.isdigit()]
        objects = list(self.get_queryset().filter(pk__in=pks))
        if not objects:
            messages.warning(request, _("Select at least one object you may delete."))
            return redirect(safe_return_url(request, model_url(self.model, "_list")))
        if "_confirm" not in request.POST:
            return self.render_confirm(objects)
        obj = None
        try:
            with transaction.atomic():
                for obj in objects:
                    self.delete_object(obj)
        except (ProtectedError, RestrictedError) as error:
            blocking = list(error.args[1])[:20] if len(error.args) > 1 else []
            return self.render_confirm(objects, blocked=obj, protected=blocking, status=409)
        messages.success(
            request,
            _("Deleted %(count)s %(models)s.")
            % {"count": len(objects), "models": opts.verbose_name_plural},
        )
        return redirect(safe_return_url(request, model_url(self.model, "_list")))
