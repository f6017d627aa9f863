"""The dashboard every signed-in user lands on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from biys.accounts.scope import get_scope
from biys.core.models import ObjectChange
from biys.core.redaction import redact


def _org_counts(user) -> list[dict]:
    from biys.org.models import Duty, Person, Unit

    def count(model, url_name, label, icon):
        from django.urls import NoReverseMatch, reverse

        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = ""
        return {
            "label": label,
            "icon": icon,
            "count": model.objects.restrict(user, "view").count(),
            "url": url,
        }

    return [
        count(Unit, "org:unit_list", _("Units"), "sitemap"),
        count(Person, "org:person_list", _("People"), "users"),
        count(Duty, "org:duty_list", _("Duties"), "list-check"),
    ]


@login_required
def home(request):
    user = request.user
    assignments = list(user.role_assignments.select_related("role", "unit").order_by("unit__path"))
    person = getattr(user, "person", None)
    recent_changes = []
    if get_scope(user).has_perm("core.view_objectchange"):
        recent_changes = redact(
            ObjectChange.objects.restrict(user, "view").select_related("content_type")[:10]
        )
    context = {
        "title": pgettext("navigation", "Home"),
        "person": person,
        "assignments": assignments,
        "counts": _org_counts(user),
        "recent_changes": recent_changes,
    }
    return render(request, "core/home.html", context)
