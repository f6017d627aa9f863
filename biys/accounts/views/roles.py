"""Roles: seen by whoever may view roles anywhere, changed only municipality-wide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from biys.accounts import services
from biys.accounts.forms import RoleForm
from biys.accounts.scope import get_scope
from biys.accounts.selectors import can_change_roles, grouped_permissions, roles_for
from biys.core.views.generic import visible_history


@login_required
def role_list(request):
    if not get_scope(request.user).has_perm("accounts.view_role"):
        raise PermissionDenied
    roles = roles_for(request.user).annotate(
        permission_count=Count("permissions", distinct=True),
        holder_count=Count("assignments__user", distinct=True),
    )
    return render(
        request,
        "accounts/role_list.html",
        {"roles": roles, "can_change": can_change_roles(request.user), "title": _("Roles")},
    )


@login_required
def role_detail(request, pk):
    role = get_object_or_404(roles_for(request.user), pk=pk)
    return render(
        request,
        "accounts/role_detail.html",
        {
            "object": role,
            "groups": grouped_permissions(role.permissions.all()),
            "can_change": can_change_roles(request.user),
            "title": str(role),
            "history": visible_history(request.user, role),
        },
    )


@login_required
def role_edit(request, pk=None):
    role = get_object_or_404(roles_for(request.user), pk=pk) if pk else None
    if not can_change_roles(request.user):
        raise PermissionDenied
    form = RoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            role = services.save_role(
                actor=request.user,
                role=role,
                slug=data.get("slug") or role.slug,
                name=data["name"],
                description=data["description"],
                requires_two_factor=data["requires_two_factor"],
                permissions=data["permissions"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Role saved."))
            return redirect(role)
    selected = {str(value) for value in (form["permissions"].value() or [])}
    return render(
        request,
        "accounts/role_form.html",
        {
            "form": form,
            "object": role,
            "groups": grouped_permissions(),
            "selected": selected,
            "title": _("Edit %(role)s") % {"role": role} if role else _("New role"),
        },
    )


@login_required
@require_POST
def role_delete(request, pk):
    role = get_object_or_404(roles_for(request.user), pk=pk)
    try:
        services.delete_role(actor=request.user, role=role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(role)
    messages.success(request, _("Role deleted."))
    return redirect(reverse("accounts:roles"))
