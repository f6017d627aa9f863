"""The auditor's check of the change log's hash chain: the same verification as
``biys audit verify``, run from the Audit menu."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from biys.core.access import get_scope
from biys.core.changelog import ChainReport, verify_chain
from biys.core.checkpoints import CheckpointError, latest_checkpoint

VIEW_CHANGE_LOG = "core.view_objectchange"


@login_required
def verify(request):
    if not get_scope(request.user).has_perm(VIEW_CHANGE_LOG):
        raise PermissionDenied
    report = run_verification() if request.method == "POST" else None
    return render(
        request,
        "core/audit_verify.html",
        {"title": _("Verify the change log"), "report": report},
    )


def run_verification() -> ChainReport:
    """What ``biys audit verify`` checks: every chain, against the latest signed checkpoint."""
    try:
        checkpoint = latest_checkpoint()
    except CheckpointError as error:
        return ChainReport(checked=0, broken_at=0, reason=f"checkpoint refused: {error}")
    return verify_chain(checkpoint=checkpoint)
