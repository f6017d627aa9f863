"""The auditor's check of the change log's hash chain: the same verification as
``biys audit verify``, run from the Audit menu."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from biys.core.access import get_scope
from biys.core.changelog import verify_chain

VIEW_CHANGE_LOG = "core.view_objectchange"


@login_required
def verify(request):
    if not get_scope(request.user).has_perm(VIEW_CHANGE_LOG):
        raise PermissionDenied
    report = verify_chain() if request.method == "POST" else None
    return render(
        request,
        "core/audit_verify.html",
        {"title": _("Verify the change log"), "report": report},
    )
