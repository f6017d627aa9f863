"""The one log of personal data seen unmasked (KVKK), written by every module that reveals it.

A model with personal data names its fields in ``personal_fields`` and the data subject's
identity number in ``personal_subject_field`` (a TC kimlik no); a reveal calls
``record_view`` in the same transaction as it reads the data, so no reveal goes unlogged.

The subject is kept as an HMAC of the number under the installation's audit key
(``biys.core.auditkey``): the report finds every view of one person's data across modules by
their number, while the log itself holds no number. Keep the audit key: with another key the
old entries are found by record and user, no longer by number.
"""

import hashlib
import hmac

from django.contrib.contenttypes.models import ContentType

from biys.core.auditkey import audit_key
from biys.core.changelog import owner_unit_id
from biys.core.context import current_context
from biys.core.models import PersonalDataView

_PURPOSE = b"biys-personal-data-subject:"


def subject_digest(number: str) -> str:
    """The log's name for the person with identity number ``number`` ("" for none)."""
    number = "".join((number or "").split())
    if not number:
        return ""
    return hmac.new(audit_key(), _PURPOSE + number.encode(), hashlib.sha256).hexdigest()


def record_view(*, user, obj, fields=None, reason: str = "") -> PersonalDataView:
    """Log that ``user`` saw ``fields`` of ``obj`` unmasked (by default the personal fields it
    holds a value for)."""
    if fields is None:
        fields = [name for name in obj.personal_fields if getattr(obj, name, None)]
    subject_field = getattr(obj, "personal_subject_field", "")
    return PersonalDataView.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit_id=owner_unit_id(obj),
        subject=subject_digest(getattr(obj, subject_field, "") if subject_field else ""),
        fields=",".join(fields or obj.personal_fields),
        reason=(reason or "")[:200],
        request_id=current_context().request_id or "",
    )


def views_of(obj):
    """The log entries of one record, newest first."""
    return PersonalDataView.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


def move_old_log(apps, *, app_label, log_model, object_field, subject_field, unit_field, describe):
    """Migrations: copy a module's own personal-data log (as it was before this one) into
    ``PersonalDataView``, time and all, before the module drops its table."""
    old = apps.get_model(app_label, log_model)
    content_types = apps.get_model("contenttypes", "ContentType")
    view = apps.get_model("core", "PersonalDataView")
    target_model = old._meta.get_field(object_field).related_model
    content_type, _created = content_types.objects.get_or_create(
        app_label=target_model._meta.app_label, model=target_model._meta.model_name
    )
    for row in old.objects.select_related(object_field).order_by("pk").iterator():
        obj = getattr(row, object_field)
        entry = view.objects.create(
            user_id=row.user_id,
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=describe(obj)[:200],
            unit_id=getattr(obj, f"{unit_field}_id"),
            subject=subject_digest(getattr(obj, subject_field, "")),
            fields=row.fields,
            reason=row.reason,
            request_id=row.request_id,
        )
        view.objects.filter(pk=entry.pk).update(time=row.time)  # auto_now_add on create
