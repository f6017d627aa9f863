"""The dashboard every signed-in user lands on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import pgettext

from biys.core.access import get_scope
from biys.core.dashboard import count_cards
from biys.core.models import ObjectChange


@login_required
def home(request):
    user = request.user
    assignments = list(user.role_assignments.select_related("role", "unit").order_by("unit__path"))
    person = getattr(user, "person", None)
    recent_changes = []
    if get_scope(user).has_perm("core.view_objectchange"):
        recent_changes = list(
            ObjectChange.objects.restrict(user, "view").select_related("content_type")[:10]
        )
    context = {
        "title": pgettext("navigation", "Home"),
        "person": person,
        "assignments": assignments,
        "counts": count_cards(user),
        "recent_changes": recent_changes,
    }
    return render(request, "core/home.html", context)
