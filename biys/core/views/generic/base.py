"""What every generic view shares: scoping, URLs by convention, HTMX-aware rendering, forms."""

import inspect
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from biys.core.forms import make_lazy

LIST_TARGET = "object-list"
TAB_TARGET = "object-tab"


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


def tidy_filter_form(form, options_url: str = ""):
    """Filter forms read better as checkboxes for short lists and with 'Any' for yes/no.
    With ``options_url`` (the list's own URL), a select over a model's rows renders only its
    selected options and loads the others from there (``biys.core.forms.LazyChoicesMixin``)."""
    for name, form_field in form.fields.items():
        widget = form_field.widget
        is_select = isinstance(widget, forms.Select) and not isinstance(
            widget, forms.CheckboxSelectMultiple | forms.RadioSelect
        )
        if is_select and hasattr(form_field, "queryset"):
            if widget.allow_multiple_selected:
                widget.attrs.setdefault("size", 6)
            if options_url:
                make_lazy(form_field, name, options_url)
        elif isinstance(widget, forms.SelectMultiple) and not isinstance(
            widget, forms.CheckboxSelectMultiple
        ):
            choices = list(getattr(form_field, "choices", []))
            if len(choices) <= FEW_CHOICES:
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


def object_or_404_for(user, model, pk, action: str = "view"):
    """For views outside the generic ones: the object within the user's scope, or 404."""
    try:
        return model.objects.restrict(user, action).get(pk=pk)
    except model.DoesNotExist as error:
        raise Http404 from error
