"""Change logging: every create, update and delete of a ChangeLoggedModel becomes an ObjectChange.

Records are chained: each stores the hash of the previous one, so editing or removing any record
outside the product breaks the chain, and ``biys audit verify`` reports where.
"""

import hashlib
import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from biys.core.context import current_context
from biys.core.models import AuditChainHead, ChangeLoggedModel, ObjectChange

GENESIS_HASH = "0" * 64
MASK = "***"


def serialize(instance) -> dict:
    """A JSON-safe snapshot of the instance's concrete fields and many-to-many ids."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in instance.changelog_exclude or field.name in ("created", "last_updated"):
            continue
        value = field.value_from_object(instance)
        if isinstance(value, FieldFile):
            value = value.name
        if field.name in instance.changelog_mask and value:
            value = MASK
        data[field.attname] = value
    if instance.pk is not None:
        for field in instance._meta.many_to_many:
            data[field.name] = sorted(obj.pk for obj in getattr(instance, field.name).all())
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def owner_unit_id(instance) -> int | None:
    path = instance.scope_path
    if not path:
        return None
    if path == "pk":
        return instance.pk
    target = instance
    parts = path.split("__")
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, f"{parts[-1]}_id", None)


def compute_hash(previous_hash: str, record: ObjectChange) -> str:
    payload = {
        "previous": previous_hash,
        "time": record.time.isoformat(),
        "user_id": record.user_id,
        "user_name": record.user_name,
        "request_id": record.request_id,
        "action": record.action,
        "content_type": record.content_type_id,
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "unit_id": record.unit_id,
        "before": record.prechange_data,
        "after": record.postchange_data,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def record_change(instance, action: str, before: dict | None, after: dict | None) -> ObjectChange:
    context = current_context()
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS_HASH}
    )
    record = ObjectChange(
        time=timezone.now(),
        user_id=context.user_id,
        user_name=context.user_name,
        request_id=context.request_id,
        remote_addr=context.remote_addr,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        unit_id=owner_unit_id(instance),
        prechange_data=before,
        postchange_data=after,
        previous_hash=head.last_hash,
    )
    record.hash = compute_hash(head.last_hash, record)
    record.save()
    head.last_hash = record.hash
    head.save(update_fields=["last_hash"])
    return record


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Recompute every hash in order; the first mismatch or gap is where tampering happened."""
    previous = GENESIS_HASH
    checked = 0
    for record in ObjectChange.objects.order_by("id").iterator(chunk_size=batch_size):
        if record.previous_hash != previous:
            return ChainReport(
                checked, record.pk, "previous hash does not match: a record is missing"
            )
        if compute_hash(previous, record) != record.hash:
            return ChainReport(
                checked, record.pk, "content does not match its hash: record altered"
            )
        previous = record.hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_hash != previous:
        return ChainReport(checked, 0, "the newest records were removed")
    return ChainReport(checked)


def _is_logged(sender) -> bool:
    return issubclass(sender, ChangeLoggedModel) and not sender._meta.abstract


@receiver(pre_save)
def _remember_previous_state(sender, instance, raw=False, **kwargs):
    if raw or not _is_logged(sender) or instance.pk is None:
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._changelog_before = serialize(previous) if previous else None


@receiver(post_save)
def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _is_logged(sender):
        return
    before = None if created else getattr(instance, "_changelog_before", None)
    after = serialize(instance)
    if not created and before == after:
        return
    record_change(
        instance,
        ObjectChange.Action.CREATE if created else ObjectChange.Action.UPDATE,
        before,
        after,
    )


@receiver(post_delete)
def _log_delete(sender, instance, **kwargs):
    if not _is_logged(sender):
        return
    snapshot = serialize(instance) if instance.pk is not None else None
    record_change(instance, ObjectChange.Action.DELETE, snapshot, None)


@receiver(m2m_changed)
def _log_m2m(sender, instance, action, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not isinstance(instance, ChangeLoggedModel):
        return
    record_change(instance, ObjectChange.Action.UPDATE, None, serialize(instance))
