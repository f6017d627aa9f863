"""HTMX partial loaded by the object detail page's Comments tab."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from biys.accounts.scope import can
from biys.attachments.targets import get_parent
from biys.comments import selectors, services
from biys.comments.forms import CommentForm


def _thread(request, parent, form=None, editing=None):
    context = {
        "parent": parent,
        "content_type_id": ContentType.objects.get_for_model(parent).pk,
        "object_id": str(parent.pk),
        "comments": selectors.comments_of(parent, request.user),
        "can_internal": can(request.user, "change", parent),
        "can_comment": services.may_comment(request.user, parent),
        "can_moderate": services.may_moderate(request.user, parent),
        "form": form or CommentForm(),
        "editing": editing,
    }
    return render(request, "comments/for_object.html", context)


def _apply(form, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


@login_required
@require_http_methods(["GET", "POST"])
def for_object(request, content_type_id: int, object_id: str):
    parent = get_parent(request.user, content_type_id, object_id, "view")
    if request.method == "GET":
        return _thread(request, parent)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(
                obj=parent,
                user=request.user,
                text=form.cleaned_data["text"],
                is_internal=form.cleaned_data["is_internal"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            form = None
    return _thread(request, parent, form)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    comment, parent = selectors.get_comment(request.user, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    if request.method == "GET":
        form = CommentForm(initial={"text": comment.text, "is_internal": comment.is_internal})
        return _thread(request, parent, editing=(comment.pk, form))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.edit_comment(
                comment=comment,
                user=request.user,
                text=form.cleaned_data["text"],
                is_internal=form.cleaned_data["is_internal"],
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            return _thread(request, parent)
    return _thread(request, parent, editing=(comment.pk, form))


@login_required
@require_POST
def delete(request, pk: int):
    comment, parent = selectors.get_comment(request.user, pk)
    services.delete_comment(comment=comment, user=request.user)
    return _thread(request, parent)
