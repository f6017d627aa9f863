"""HTMX partials loaded by the object detail page's Attachments tab, and the download."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from biys.accounts.scope import can
from biys.attachments import selectors, services
from biys.attachments.forms import AttachmentForm
from biys.attachments.targets import get_parent, may_attach, may_remove_attachments


def _panel(request, parent, form=None, status=200):
    content_type = ContentType.objects.get_for_model(parent)
    context = {
        "parent": parent,
        "content_type_id": content_type.pk,
        "object_id": str(parent.pk),
        "attachments": selectors.attachments_of(parent, request.user),
        "can_change": can(request.user, "change", parent),
        "can_remove": may_remove_attachments(request.user, parent),
        "can_add": may_attach(request.user, parent),
        "form": form or AttachmentForm(),
        "max_bytes": settings.ATTACHMENT_MAX_BYTES,
    }
    return render(request, "attachments/for_object.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def for_object(request, content_type_id: int, object_id: str):
    parent = get_parent(request.user, content_type_id, object_id, "view")
    if request.method == "GET":
        return _panel(request, parent)
    if not may_attach(request.user, parent):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(
                obj=parent,
                uploaded_file=form.cleaned_data["file"],
                user=request.user,
                description=form.cleaned_data["description"],
                is_internal=form.cleaned_data["is_internal"],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            form = None
    return _panel(request, parent, form)


@login_required
@require_POST
def delete(request, pk: int):
    attachment, parent = selectors.get_attachment(request.user, pk, "view")
    services.delete_attachment(attachment=attachment, user=request.user)
    return _panel(request, parent)


@login_required
def download(request, pk: int):
    attachment, parent = selectors.get_attachment(request.user, pk, "view")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.record_file_read(attachment=attachment, user=request.user, parent=parent)
    return FileResponse(
        handle,
        as_attachment=not (request.GET.get("inline") == "1" and attachment.is_viewable_inline),
        filename=attachment.filename,
        content_type=attachment.mime_type,
    )
