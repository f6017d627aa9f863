"""Dispatch (gönderim) of signed outgoing documents: recording how each recipient was sent the
document (paper, KEP, e-Yazışma, by hand) and the day's paper dispatch list for the post, as
a page, a PDF and a CSV. Every write goes through ``biys.evrak.services``."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from biys.core.export import attachment_header
from biys.evrak import selectors, services
from biys.evrak.choices import DispatchChannel
from biys.evrak.forms import DispatchForm


def dispatch_context(user, document, lines) -> dict:
    """The dispatch panel of a signed document: each recipient with how and when it was sent,
    and the form for the lines not yet sent, for who may record it."""
    if document.state != "signed":
        return {}
    from biys.evrak.kep_views import kep_context

    may = services.may_dispatch(user, document)
    return {
        "dispatch_lines": lines,
        "may_dispatch": may,
        "dispatch_channels": DispatchChannel.choices,
        "dispatch_url": reverse("evrak:outgoing_dispatch", kwargs={"pk": document.pk}),
        **kep_context(document, lines, may),
    }


class RecordDispatchView(LoginRequiredMixin, View):
    """POST: how one recipient (``line``) was sent the signed document, and when."""

    def post(self, request, pk):
        document = get_object_or_404(selectors.outgoing_visible_to(request.user), pk=pk)
        if not services.may_dispatch(request.user, document):
            raise PermissionDenied
        form = DispatchForm(request.POST)
        if form.is_valid():
            line = document.distribution.filter(pk=form.cleaned_data["line"]).first()
            try:
                if line is None:
                    raise ValidationError({"line": _no_line()})
                services.record_dispatch(
                    user=request.user,
                    line=line,
                    channel=form.cleaned_data["channel"],
                    dispatched_at=form.cleaned_data.get("dispatched_at"),
                )
            except ValidationError as error:
                for problems in error.message_dict.values():
                    for problem in problems:
                        messages.error(request, problem)
            else:
                messages.success(request, _recorded())
        else:
            for problems in form.errors.values():
                for problem in problems:
                    messages.error(request, problem)
        return redirect(document.get_absolute_url())


def _no_line() -> str:
    from django.utils.translation import gettext

    return gettext("No such recipient on this document.")


def _recorded() -> str:
    from django.utils.translation import gettext

    return gettext("Dispatch recorded.")


def parse_day(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return timezone.localdate()


class DispatchListView(LoginRequiredMixin, View):
    """The day's paper dispatch list (``?day=YYYY-MM-DD``, today by default) of the user's
    units; ``?format=pdf`` prints it, ``?format=csv`` gives it to a Turkish Excel. A list:
    anyone signed in, showing only the units whose outgoing documents they read."""

    def get(self, request):
        from biys.evrak.dispatch import dispatch_csv, dispatch_pdf

        day = parse_day(request.GET.get("day"))
        rows = services.dispatch_list(user=request.user, day=day)
        kind = request.GET.get("format", "")
        if kind == "pdf":
            response = HttpResponse(dispatch_pdf(rows, day=day), content_type="application/pdf")
            response["Content-Disposition"] = attachment_header(
                f"posta-gonderi-listesi-{day:%Y%m%d}.pdf"
            ).replace("attachment", "inline", 1)
            return response
        if kind == "csv":
            response = HttpResponse(dispatch_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = attachment_header(
                f"posta-gonderi-listesi-{day:%Y%m%d}.csv"
            )
            return response
        return render(request, "evrak/dispatch_list.html", {"day": day, "rows": rows})
