"""RFC 9457 problem details for every API error."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


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
    return {prefix or "non_field_errors": [str(item) for item in items]}


def problem_details_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    code = response.status_code
    problem = {
        "type": f"https://biys.local/problems/{getattr(exc, 'default_code', 'error')}",
        "title": _("Invalid input.")
        if code == status.HTTP_400_BAD_REQUEST
        else str(getattr(exc, "default_detail", response.status_text)),
        "status": code,
        "instance": request.path if request is not None else None,
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = _("One or more fields are invalid.")
        problem["errors"] = _flatten(exc.detail)
    else:
        problem["detail"] = str(exc.detail) if hasattr(exc, "detail") else response.status_text
    problem_response = Response(problem, status=code, headers=dict(response.items()))
    problem_response.content_type = PROBLEM_CONTENT_TYPE
    return problem_response
