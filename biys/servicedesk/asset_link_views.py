"""The page that links existing tickets to the asset register (``services.asset_links``): what
a run would link and the references left (none or several assets), the run itself, and the list
of what is left as CSV for Turkish Excel."""

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from biys.core.export import csv_response
from biys.servicedesk.services import asset_links

SHOWN = 500  # references on the page; the CSV has them all


class UnmatchedReferenceTable(tables.Table):
    """The references left unlinked (the CSV)."""

    reference = tables.Column(verbose_name=gettext_lazy("Device reference"))
    outcome = tables.Column(verbose_name=gettext_lazy("Result"), accessor="outcome_label")
    count = tables.Column(verbose_name=gettext_lazy("Tickets"))
    tickets = tables.Column(verbose_name=gettext_lazy("Ticket numbers"), accessor="ticket_numbers")

    class Meta:
        fields = ("reference", "outcome", "count", "tickets")


def _report(request):
    asset_links.check_may_link(request.user)
    return asset_links.unlinked_references(user=request.user)


class AssetLinksView(LoginRequiredMixin, View):
    """GET: what a run would do now; POST: link the matches, batch by batch."""

    def get(self, request):
        try:
            report = _report(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("servicedesk:ticket_list")
        groups = report.unmatched_references
        context = {
            "title": _("Link tickets to the asset register"),
            "report": report,
            "groups": groups[:SHOWN],
            "more": len(groups) > SHOWN,
            "shown": SHOWN,
            "csv_url": reverse("servicedesk:asset_links_csv"),
        }
        return render(request, "servicedesk/asset_links.html", context)

    def post(self, request):
        asset_links.check_may_link(request.user)
        try:
            report = asset_links.link_ticket_assets(user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "%(linked)s tickets linked to the register in %(batches)s batches;"
                    " %(left)s tickets left unlinked."
                )
                % {
                    "linked": report.linked,
                    "batches": report.batches,
                    "left": report.unmatched_tickets,
                },
            )
        return redirect("servicedesk:asset_links")


class AssetLinksCsvView(LoginRequiredMixin, View):
    """The references left unlinked, with their tickets, for Turkish Excel (';', BOM)."""

    def get(self, request):
        try:
            report = _report(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("servicedesk:ticket_list")
        filename = f"eslesmeyen-cihaz-referanslari-{timezone.localdate():%Y%m%d}"
        return csv_response(
            UnmatchedReferenceTable([]), report.unmatched_references, filename, delimiter=";"
        )
