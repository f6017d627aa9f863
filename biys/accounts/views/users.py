"""User administration: scoped to the units where the administrator holds accounts permissions.
Another unit's user is a 404, never a hint that it exists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from biys.accounts import services
from biys.accounts.erasure import erase_user
from biys.accounts.forms import PersonLinkForm, RoleAssignmentForm, UserCreateForm, UserEditForm
from biys.accounts.models import RoleAssignment, User
from biys.accounts.scope import ALL, get_scope
from biys.accounts.selectors import (
    assignable_units,
    assignments_for,
    effective_access,
    roles_for,
    users_for,
)
from biys.core.text import fold
from biys.core.views.generic import visible_history

PAGE_SIZE = 50


def _require_perm(user, perm: str) -> None:
    if not get_scope(user).has_perm(perm):
        raise PermissionDenied


def _user_or_404(request, pk, action: str = "view") -> User:
    """404 outside the viewer's units; 403 when visible but not theirs to change."""
    user = get_object_or_404(users_for(request.user, "view"), pk=pk)
    if action != "view" and not users_for(request.user, action).filter(pk=pk).exists():
        raise PermissionDenied
    return user


def _people_for(viewer, linked_to=None):
    """People of the viewer's units not linked to a user yet, and the person ``linked_to``
    (a user) already has, so that the selector shows the current link."""
    from biys.org.models import Person

    units = get_scope(viewer).units_for("accounts.change_user")
    free = Q(user__isnull=True)
    if linked_to is not None and linked_to.person_id:
        free |= Q(pk=linked_to.person_id)
    people = Person.objects.select_related("unit", "title").filter(free)
    return people if units is ALL else people.filter(unit__in=units or ())


def _filter_users(queryset, params):
    query = params.get("q", "").strip()
    if query:
        for word in query.split():
            folded = fold(word)
            queryset = queryset.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(person__search_text__contains=folded)
            )
    if params.get("active") in ("1", "0"):
        queryset = queryset.filter(is_active=params["active"] == "1")
    if params.get("source") == "directory":
        queryset = queryset.exclude(directory_dn="")
    elif params.get("source") == "local":
        queryset = queryset.filter(directory_dn="")
    return queryset


@login_required
def user_list(request):
    _require_perm(request.user, "accounts.view_user")
    users = _filter_users(users_for(request.user), request.GET)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "params": request.GET,
            "can_add": get_scope(request.user).has_perm("accounts.add_user"),
            "title": _("Users"),
        },
    )


@login_required
def user_detail(request, pk):
    user = _user_or_404(request, pk)
    viewer = request.user
    scope = get_scope(viewer)
    can_change = users_for(viewer, "change").filter(pk=pk).exists()
    can_assign = scope.has_perm("accounts.add_roleassignment")
    assignments = assignments_for(viewer, user)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "object": user,
            "assignments": assignments,
            "hidden_assignments": user.role_assignments.count() - assignments.count(),
            "can_change": can_change,
            "can_erase": users_for(viewer, "delete").filter(pk=pk).exists(),
            "can_assign": can_assign,
            "deletable_unit_ids": scope.units_for("accounts.delete_roleassignment"),
            "assignment_form": RoleAssignmentForm(
                roles=roles_for(viewer), units=assignable_units(viewer)
            )
            if can_assign
            else None,
            "person_form": PersonLinkForm(
                people=_people_for(viewer, linked_to=user), initial={"person": user.person_id}
            )
            if can_change
            else None,
            "title": str(user),
            "history": visible_history(viewer, user, related=[(RoleAssignment, "user_id")]),
        },
    )


@login_required
def user_create(request):
    _require_perm(request.user, "accounts.add_user")
    form = UserCreateForm(request.POST or None, people=_people_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("User %(user)s created.") % {"user": user})
            return redirect(user)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("New user")})


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("password" if "password" in form.fields else None, error)


@login_required
def user_edit(request, pk):
    user = _user_or_404(request, pk, "change")
    form = UserEditForm(request.POST or None, instance=User.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.update_user(actor=request.user, user=user, **changes)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("User updated."))
            return redirect(user)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "object": user, "title": _("Edit %(user)s") % {"user": user}},
    )


@login_required
@require_POST
def user_set_active(request, pk, active: bool):
    user = _user_or_404(request, pk, "change")
    try:
        if active:
            services.activate_user(actor=request.user, user=user)
            messages.success(request, _("User activated."))
        else:
            services.deactivate_user(
                actor=request.user, user=user, revoke_roles=request.POST.get("revoke_roles") == "1"
            )
            messages.success(request, _("User deactivated: sessions ended and API token deleted."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(user)


@login_required
@require_POST
def user_erase(request, pk):
    """KVKK erasure from the user page; the change log gets a redaction record."""
    user = _user_or_404(request, pk, "delete")
    try:
        erase_user(
            actor=request.user,
            user=user,
            reason=request.POST.get("reason", ""),
            include_person=request.POST.get("include_person") == "1",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Personal data erased; the change log hides it from now on."))
    return redirect(user)


@login_required
@require_POST
def user_set_person(request, pk):
    user = _user_or_404(request, pk, "change")
    form = PersonLinkForm(request.POST, people=_people_for(request.user, linked_to=user))
    if form.is_valid():
        try:
            services.set_person(actor=request.user, user=user, person=form.cleaned_data["person"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Person link saved."))
    else:
        messages.error(request, _("Choose a person from your units."))
    return redirect(user)


@login_required
@require_POST
def assignment_add(request, pk):
    user = _user_or_404(request, pk)
    # Seeing the user is not enough: assigning needs the permission over some unit (the form
    # then offers only those units; the service checks the one chosen).
    _require_perm(request.user, "accounts.add_roleassignment")
    form = RoleAssignmentForm(
        request.POST, roles=roles_for(request.user), units=assignable_units(request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Choose a role and one of your units."))
        return redirect(user)
    role, unit = form.cleaned_data["role"], form.cleaned_data["unit"]
    held = RoleAssignment.objects.filter(user=user, role=role, unit=unit).first()
    assignment = services.assign_role(actor=request.user, user=user, **form.cleaned_data)
    names = {"user": user, "role": role, "unit": unit}
    if held is None:
        messages.success(request, _("Role assigned."))
    elif held.include_subtree != assignment.include_subtree:
        messages.success(request, _("Role assignment updated: sub-units changed."))
    else:
        messages.info(request, _("%(user)s already holds the role %(role)s over %(unit)s.") % names)
    return redirect(user)


@login_required
@require_POST
def assignment_delete(request, pk):
    assignment = get_object_or_404(
        RoleAssignment.objects.restrict(request.user, "view").select_related("user"), pk=pk
    )
    services.revoke_role(actor=request.user, assignment=assignment)
    messages.success(request, _("Role removed."))
    return redirect(assignment.user)


@login_required
def user_access(request, pk):
    user = _user_or_404(request, pk)
    return render(
        request,
        "accounts/user_access.html",
        {
            "object": user,
            "modules": effective_access(user, viewer=request.user),
            "title": _("Effective access of %(user)s") % {"user": user},
        },
    )
