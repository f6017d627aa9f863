"""``Idempotency-Key`` on creating endpoints (draft-ietf-httpapi-idempotency-key-header).

The same key from the same user with the same body answers with the stored original response
(header ``Idempotent-Replayed: true``) and creates nothing; the same key with another body is a
422 problem; two requests with one key at the same moment: the second gets a 409. The key is
stored in the transaction that creates the object, so either both exist or neither does.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from biys.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used for a different request.")
    default_code = "idempotency_key_reused"


class KeyInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A request with this Idempotency-Key is still being processed.")
    default_code = "idempotency_key_in_use"


def lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "BIYS_IDEMPOTENCY_HOURS", 24))


def _value(value):
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "size": value.size, "sha256": digest.hexdigest()}
    return value


def fingerprint(request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # form or multipart: a QueryDict, maybe with files
        body = {key: [_value(v) for v in values] for key, values in data.lists()}
        body.update({key: [_value(f) for f in files] for key, files in request.FILES.lists()})
    else:
        body = data
    canonical = json.dumps(
        [request.method, request.path, body], sort_keys=True, cls=DjangoJSONEncoder
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent(create):
    """Decorate a viewset's ``create`` to honour the ``Idempotency-Key`` header."""

    @functools.wraps(create)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or getattr(request, "_idempotency_handled", False):
            return create(self, request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            raise exceptions.ValidationError(
                {HEADER: [_("Send a key of 1 to 255 characters.")]}, code="invalid"
            )
        request._idempotency_handled = True
        user_id, now, print_ = request.user.pk, timezone.now(), fingerprint(request)
        try:
            with transaction.atomic():
                IdempotencyKey.objects.filter(user_id=user_id, key=key, expires__lte=now).delete()
                stored = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
                if stored is not None:
                    if stored.fingerprint != print_:
                        raise KeyReused()
                    return Response(
                        stored.response_body,
                        status=stored.status_code,
                        headers={"Idempotent-Replayed": "true"},
                    )
                response = create(self, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    IdempotencyKey.objects.create(
                        user_id=user_id,
                        key=key,
                        path=request.path[:500],
                        fingerprint=print_,
                        status_code=response.status_code,
                        response_body=response.data,
                        expires=now + lifetime(),
                    )
                return response
        except IntegrityError as error:  # another request stored the same key meanwhile
            if IdempotencyKey.objects.filter(user_id=user_id, key=key).exists():
                raise KeyInUse() from error
            raise

    return wrapper


def purge_expired() -> int:
    return IdempotencyKey.objects.filter(expires__lte=timezone.now()).delete()[0]
