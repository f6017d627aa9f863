"""The dashboard every signed-in user lands on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import pgettext

from biys.core.access import get_scope
from biys.core.dashboard import count_cards, home_panels_for
from biys.core.models import ObjectChange
from biys.core.redaction import redact

# Staff who only file requests: the home page is their requests, not the organisation's counts.
REQUESTER_ROLES = {"requester"}


@login_required
def home(request):
    user = request.user
    assignments = list(user.role_assignments.select_related("role", "unit").order_by("unit__path"))
    person = getattr(user, "person", None)
    requester_only = not user.is_superuser and all(
        assignment.role.slug in REQUESTER_ROLES for assignment in assignments
    )
    recent_changes = []
    if get_scope(user).has_perm("core.view_objectchange"):
        recent_changes = redact(
            ObjectChange.objects.restrict(user, "view").select_related("content_type")[:10],
            user=user,
        )
    context = {
        "title": pgettext("navigation", "Home"),
        "person": person,
        "assignments": assignments,
        "counts": [] if requester_only else count_cards(user),
        "panels": home_panels_for(request),
        "recent_changes": recent_changes,
    }
    return render(request, "core/home.html", context)
