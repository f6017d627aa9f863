from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from biys.notifications import selectors, services
from biys.notifications.models import Notification


@login_required
def notification_list(request):
    show = request.GET.get("show", "all")
    notifications = selectors.notifications_for(request.user)
    if show == "unread":
        notifications = notifications.unread()
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    context = {"page": page, "show": show, **selectors.menu_for(request.user)}
    return render(request, "notifications/list.html", context)


@login_required
def menu(request):
    return render(request, "notifications/menu.html", selectors.menu_for(request.user))


def _back(request):
    if request.htmx:
        return render(request, "notifications/menu.html", selectors.menu_for(request.user))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "notifications:list"
    return redirect(target)


@login_required
@require_POST
def mark_read(request, pk: int):
    get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(user=request.user, notification_ids=[pk])
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return _back(request)


@login_required
def open_notification(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(user=request.user, notification_ids=[pk])
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return redirect(url)
    return redirect("notifications:list")
