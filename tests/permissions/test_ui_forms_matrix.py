"""Every role, inside and outside its unit, submitting VALID data to every registered add, edit
and bulk-edit form. The data is the form's own initial data for an object the factory made, with
one harmless text field changed, so a refusal can only come from the permission rules.

Allowed (computed from the role definitions): a redirect and the change is in the database.
Refused: 403 or 404 (bulk edit may also send back to the list with nothing selected) and the
database is unchanged. Each request runs in a savepoint rolled back, so one object serves all.
On PostgreSQL each form runs once per role (inside its unit); SQLite runs the full product.
"""

import pytest
from django import forms
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse

from biys.core.testing import FACTORIES
from biys.core.views.generic import registered_model_views
from tests.permissions.matrix import (
    load_factories,
    may_change,
    role_cases,
    rolled_back,
    ui_pages,
)

PREFERRED_FIELDS = ("notes", "description", "name", "title", "short_name")
MARK = "Matris değişikliği"


def form_entries():
    ui_pages()  # loads the factories and the URLconf, which registers the views
    load_factories()
    covered = {page.model for page in ui_pages()}
    return [entry for entry in registered_model_views() if entry.model in covered]


ENTRIES = form_entries()


def view_form(view_class, model, user, obj):
    """The edit view and the form it builds for ``user`` (a superuser: every choice offered)."""
    request = RequestFactory().get("/")
    request.user = user
    view = view_class(queryset=model.objects.all())
    view.setup(request, pk=obj.pk)
    return view, view.get_form(obj)


def form_data(form) -> dict:
    data = {}
    for name, form_field in form.fields.items():
        if isinstance(form_field, forms.FileField):
            continue
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(form_field, forms.BooleanField) and not isinstance(
            form_field, forms.NullBooleanField
        ):
            if value:
                data[key] = "on"
            continue
        if value is None:
            data[key] = ""
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        else:
            data[key] = str(value)
    return data


def post_data(view, form, obj) -> dict:
    """The form's initial data, and that of the view's inline formset if it has one."""
    data = form_data(form)
    if hasattr(view, "formset"):
        formset = view.formset(obj)
        data |= form_data(formset.management_form)
        for inline in formset.forms:
            data |= form_data(inline)
    return data


def unique_alone(model) -> set[str]:
    """Columns unique on their own: ``unique=True``, alone in a conditional UniqueConstraint
    (an IP address once in the global table, once per VRF otherwise), or unique with the unit
    alone (a VLAN ID, a VLAN group's name once in a unit: the copy is in the same unit)."""
    names = {field.name for field in model._meta.concrete_fields if field.unique}
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if getattr(constraint, "condition", None) is not None and len(fields) == 1:
            names.add(fields[0])
        others = [name for name in fields if name != "unit"]
        if len(fields) == 2 and len(others) == 1:
            model_field = model._meta.get_field(others[0])
            if isinstance(model_field, models.CharField) or (
                isinstance(model_field, models.IntegerField) and not model_field.choices
            ):
                names.add(others[0])
    return names


def unique_copy(model, data: dict) -> dict:
    """The data of a second object: every unique text column given another value."""
    data = dict(data)
    unique = unique_alone(model)
    for model_field in model._meta.concrete_fields:
        value = data.get(model_field.name)
        if (
            model_field.name in unique
            and not model_field.primary_key
            and isinstance(value, str)
            and value
        ):
            if value[-1].isdigit():
                data[model_field.name] = value[:-1] + str((int(value[-1]) + 1) % 10)
            else:
                data[model_field.name] = "x" + value
    return data


def harmless_field(form) -> str | None:
    """A free text field to change: no choices, not hidden, a plain model column."""
    model = form._meta.model
    candidates = [
        name
        for name, form_field in form.fields.items()
        if type(form_field) is forms.CharField
        and not form_field.widget.is_hidden
        and name in {f.name for f in model._meta.concrete_fields}
    ]
    for name in PREFERRED_FIELDS:
        if name in candidates:
            return name
    if candidates:
        return candidates[0]
    # No text at all (a queue): a plain number, changed by the edit form only.
    numbers = [
        name
        for name, form_field in form.fields.items()
        if type(form_field) is forms.IntegerField
        and name in {f.name for f in model._meta.concrete_fields}
    ]
    return numbers[0] if numbers else None


def a_bulk_change(bulk_fields: dict, obj, text_field: str, other_unit):
    """(field, posted value, value expected in the database) for one harmless bulk change: the
    text field, else a flag turned over, else another choice, else a move into a sub-unit of
    the object's unit (inside the scope of whoever holds a role over that unit)."""
    if text_field in bulk_fields:
        value = f"{MARK} toplu"[: bulk_fields[text_field].max_length or 200]
        return text_field, value, value
    for name, form_field in bulk_fields.items():
        if isinstance(form_field, forms.NullBooleanField | forms.BooleanField):
            current = getattr(obj, name)
            return name, "false" if current else "true", not current
    for name, form_field in bulk_fields.items():
        if isinstance(form_field, forms.ChoiceField) and not hasattr(form_field, "queryset"):
            current = str(getattr(obj, name))
            for value, _label in form_field.choices:
                if value not in ("", None) and str(value) != current:
                    return name, str(value), value
    for name, form_field in bulk_fields.items():
        queryset = getattr(form_field, "queryset", None)
        points_to_units = queryset is not None and queryset.model is type(other_unit)
        moves = name != "parent" and getattr(obj, f"{name}_id", None) != other_unit.pk
        if points_to_units and moves:
            return name, str(other_unit.pk), other_unit.pk
    return None


def new_text(form, name: str, suffix: str) -> str:
    limit = form.fields[name].max_length or 200
    return f"{MARK} {suffix}"[:limit]


def test_the_forms_matrix_covers_the_organisation_forms():
    labels = {entry.model._meta.label_lower for entry in ENTRIES if "edit" in entry.views}
    assert {"org.unit", "org.person", "org.duty"} <= labels


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.model._meta.label_lower)
def test_valid_form_posts_for_every_role(entry, org_tree, make_user):
    model = entry.model
    obj = FACTORIES[model](org_tree["network"])
    admin = make_user(superuser=True)
    edit_class = entry.views.get("edit")
    if edit_class is None:
        pytest.skip(f"{model._meta.label_lower}: no edit form")
    view, form = view_form(edit_class, model, admin, obj)
    field = harmless_field(form)
    if field is None:
        pytest.skip(f"{model._meta.label_lower}: no free text field to change")
    initial = post_data(view, form, obj)
    numeric = type(form.fields[field]) is forms.IntegerField
    copy = unique_copy(model, initial)
    bulk_change = None
    if "bulk_edit" in entry.views:
        bulk_form = entry.views["bulk_edit"].form_class
        bulk_change = a_bulk_change(bulk_form.base_fields, obj, field, org_tree["helpdesk"])
    saved_value = lambda pk: model.objects.filter(pk=pk).values_list(field, flat=True).first()  # noqa: E731

    failures = []
    for role, inside in role_cases():
        client = Client()
        client.force_login(make_user(role, org_tree["network"] if inside else org_tree["roads"]))
        where = f"{role} {'inside' if inside else 'outside'}"

        # Edit.
        value = new_text(form, field, "düzenleme") if not numeric else int(initial[field]) + 1
        url = reverse(entry.url_name("edit"), kwargs={"pk": obj.pk})

        def edit(url=url, value=value, client=client):
            response = client.post(url, {**initial, field: value})
            return response, saved_value(obj.pk) == value

        response, changed = rolled_back(edit)
        if may_change(model, role, inside):
            if response.status_code != 302 or not changed:
                failures.append(f"{where}: edit -> {response.status_code}, saved = {changed}")
        elif response.status_code not in (403, 404) or changed:
            failures.append(f"{where}: edit -> {response.status_code}, saved = {changed}")

        # Add (the same data: a copy of the object in the same unit).
        if "add" in entry.views and not numeric:
            value = new_text(form, field, "yeni")
            url = reverse(entry.url_name("add"))

            def add(url=url, value=value, client=client):
                response = client.post(url, {**copy, field: value})
                return response, model.objects.filter(**{field: value}).exists()

            response, created = rolled_back(add)
            if may_change(model, role, inside, "add"):
                if response.status_code != 302 or not created:
                    failures.append(f"{where}: add -> {response.status_code}, saved = {created}")
            elif response.status_code not in (403, 404) or created:
                failures.append(f"{where}: add -> {response.status_code}, saved = {created}")

        # Bulk edit of that one object.
        if bulk_change:
            name, posted, expected = bulk_change
            url = reverse(entry.url_name("bulk_edit"))

            def bulk(url=url, client=client, name=name, posted=posted, expected=expected):
                response = client.post(url, {"pk": [obj.pk], "_apply": "1", name: posted})
                stored = model.objects.filter(pk=obj.pk).values_list(name, flat=True).first()
                return response, stored == expected

            response, changed = rolled_back(bulk)
            if may_change(model, role, inside):
                if response.status_code != 302 or not changed:
                    failures.append(
                        f"{where}: bulk edit {name} -> {response.status_code}, saved = {changed}"
                    )
            elif response.status_code not in (302, 403, 404) or changed:
                failures.append(
                    f"{where}: bulk edit {name} -> {response.status_code}, saved = {changed}"
                )
    assert not failures, "\n".join(failures)
