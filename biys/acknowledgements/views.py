"""The member of staff's own page: what they must acknowledge and what they have, and their
"read and accepted" (the document's page shows the text; the form posts here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from biys.acknowledgements import selectors, services
from biys.acknowledgements.models import Acknowledgement


@login_required
def my_list(request):
    rows = selectors.mine(request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    selectors.attach_targets(page.object_list)
    context = {"page": page, "pending": selectors.pending_count(request.user)}
    return render(request, "acknowledgements/mine.html", context)


@login_required
@require_POST
def accept(request, pk: int):
    row = get_object_or_404(Acknowledgement.objects.restrict(request.user, "change"), pk=pk)
    if request.POST.get("accept") != "yes":
        messages.error(request, _("Tick the box to say you have read and accept it."))
    else:
        try:
            services.acknowledge(
                acknowledgement=row, user=request.user, statement=request.POST.get("statement", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded: you have read and accepted it."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "acknowledgements:mine"
    return redirect(target)
