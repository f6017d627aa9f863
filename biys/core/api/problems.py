"""RFC 9457 problem details for every API error.

``problem_details_handler`` is DRF's exception handler; ``handler404`` / ``handler500`` answer
requests under ``/api/`` that never reached a DRF view (an unknown path, a crash in middleware)
with the same shape, and leave every other page to Django's templates.

A delete refused because other records hold the object (``ProtectedError``,
``RestrictedError``) is a 409 whose ``held_by`` member lists them per model: its name, how many,
and those the requester may view (``id``, ``display``; at most ``HELD_BY_SHOWN`` per model), so
another unit's records are counted but never named.
"""

import re

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from biys.core.access import can

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://biys.local/problems/"
API_PREFIX = "/api/"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is larger than the server accepts.")
    default_code = "payload_too_large"


HELD_BY_SHOWN = 20
# Django's own ProtectedError / RestrictedError message, written for developers; a service's
# message (``ProtectedError(_("This is the management address of ..."), [device])``) is kept.
_DJANGO_PROTECTED_MESSAGE = re.compile(r"^Cannot delete some instances of model")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The object is still referenced by other records.")
    default_code = "conflict"

    def __init__(self, detail=None, code=None, held_by=None):
        super().__init__(detail, code)
        self.held_by = held_by


def _held_by(objects, user) -> list[dict]:
    """What holds an object, per model: ``model``, ``name``, ``count`` and the ``objects``
    (``id``, ``display``) the user may view."""
    by_model: dict[str, list] = {}
    for obj in objects:
        by_model.setdefault(obj._meta.label_lower, []).append(obj)
    held = []
    for label in sorted(by_model):
        rows = sorted(by_model[label], key=lambda row: row.pk)
        opts = rows[0]._meta
        shown = []
        for row in rows:
            if len(shown) == HELD_BY_SHOWN:
                break
            if user is not None and can(user, "view", row):
                shown.append({"id": row.pk, "display": str(row)})
        name = opts.verbose_name if len(rows) == 1 else opts.verbose_name_plural
        held.append({"model": label, "name": str(name), "count": len(rows), "objects": shown})
    return held


def _conflict(exc, context) -> Conflict:
    request = context.get("request")
    objects = list(exc.args[1]) if len(exc.args) > 1 else []
    held_by = _held_by(objects, getattr(request, "user", None))
    message = str(exc.args[0]) if exc.args else ""
    if message and not _DJANGO_PROTECTED_MESSAGE.match(message):
        detail = message
    elif held_by:
        detail = _("Other records still hold it: %(holders)s. Change or delete them first.") % {
            "holders": ", ".join(f"{group['count']} {group['name']}" for group in held_by)
        }
    else:
        detail = None
    return Conflict(detail, held_by=held_by)


def _flatten(detail, prefix="") -> dict[str, list[str]]:
    """{'unit': ['...'], 'items.0.name': ['...']} from DRF's nested error structure."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if (
        isinstance(detail, list)
        and detail
        and all(isinstance(item, (dict, list)) for item in detail)
    ):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(item) for item in items]}


# Column names in the messages of SQLite ("UNIQUE constraint failed: org_person.sicil_no") and
# PostgreSQL ('Key (sicil_no)=(1) already exists', 'null value in column "unit_id"').
_COLUMN_PATTERNS = (
    re.compile(r"constraint failed: ([\w.]+(?:, [\w.]+)*)"),
    re.compile(r"Key \(([\w, ]+)\)="),
    re.compile(r'in column "(\w+)"'),
)


def _integrity_error_detail(exc: IntegrityError, view) -> dict[str, list[str]]:
    """Name the field(s) an integrity error is about, so a race past validation is still a
    400 the client can act on."""
    message = str(exc)
    columns: list[str] = []
    for pattern in _COLUMN_PATTERNS:
        match = pattern.search(message)
        if match:
            columns = [part.strip().split(".")[-1] for part in match.group(1).split(",")]
            break
    model = getattr(getattr(view, "queryset", None), "model", None)
    by_column = {f.column: f.name for f in model._meta.concrete_fields} if model else {}
    fields = [by_column.get(column, column) for column in columns] or [
        api_settings.NON_FIELD_ERRORS_KEY
    ]
    if "unique" in message.lower() or "duplicate" in message.lower():
        text = _("An object with this value already exists.")
    else:
        text = _("This value conflicts with the stored data.")
    return {field: [text] for field in fields}


def _translate(exc, context):
    """Django and database exceptions to the DRF exception that describes them."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        return PayloadTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError()
    if isinstance(exc, RecursionError):  # a body nested beyond what a parser can walk
        return exceptions.ParseError(_("The JSON document is nested too deeply."))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*(exc.args[:1] or ()))
    if isinstance(exc, (ProtectedError, RestrictedError)):  # before IntegrityError: subclasses
        return _conflict(exc, context)
    if isinstance(exc, IntegrityError):
        return exceptions.ValidationError(_integrity_error_detail(exc, context.get("view")))
    if isinstance(exc, (OverflowError, DataError)):
        # A number or date beyond what the database (or Python's date) can hold.
        return exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [_("A value is out of the supported range.")]}
        )
    return exc


def problem(status_code: int, *, code: str, title: str, detail: str, instance: str) -> dict:
    return {
        "type": f"{PROBLEM_TYPE_BASE}{code}",
        "title": title,
        "status": status_code,
        "detail": detail,
        "instance": instance,
    }


def problem_details_handler(exc, context):
    exc = _translate(exc, context)
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            code,
            code=exc.default_code,
            title=_("Invalid input."),
            detail=_("One or more fields are invalid."),
            instance=request.path if request is not None else "",
        )
        body["errors"] = _flatten(exc.detail)
    else:
        detail = str(exc.detail) if hasattr(exc, "detail") else response.status_text
        body = problem(
            code,
            code=getattr(exc, "default_code", "error"),
            title=str(getattr(exc, "default_detail", response.status_text)),
            detail=detail,
            instance=request.path if request is not None else "",
        )
        if code == status.HTTP_400_BAD_REQUEST:  # e.g. a malformed JSON body
            body["errors"] = {api_settings.NON_FIELD_ERRORS_KEY: [detail]}
        if getattr(exc, "held_by", None) is not None:
            body["held_by"] = exc.held_by
    headers = {k: v for k, v in response.items() if k.lower() != "content-type"}
    problem_response = Response(body, status=code, headers=headers)
    problem_response.content_type = PROBLEM_CONTENT_TYPE
    return problem_response


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def handler400(request, exception=None):
    """A request Django refused before any view (e.g. a body over DATA_UPLOAD_MAX_MEMORY_SIZE
    read by a middleware): problem details under /api/."""
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    translated = _translate(exception, {}) if exception is not None else None
    if not isinstance(translated, exceptions.APIException):
        translated = exceptions.ParseError()
    body = problem(
        translated.status_code,
        code=translated.default_code,
        title=str(translated.default_detail),
        detail=str(translated.detail),
        instance=request.path,
    )
    return JsonResponse(body, status=translated.status_code, content_type=PROBLEM_CONTENT_TYPE)


def handler404(request, exception=None):
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    body = problem(
        404,
        code="not_found",
        title=str(exceptions.NotFound.default_detail),
        detail=str(exceptions.NotFound.default_detail),
        instance=request.path,
    )
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)


def handler500(request):
    if not _is_api(request):
        return defaults.server_error(request)
    body = problem(
        500,
        code="error",
        title=_("Server error."),
        detail=_("The server could not complete the request."),
        instance=request.path,
    )
    return JsonResponse(body, status=500, content_type=PROBLEM_CONTENT_TYPE)
