"""Change logging: every create, update and delete of a ChangeLoggedModel becomes an ObjectChange.

Records are kept in ``BIYS_AUDIT_CHAINS`` independent chains, each with its own head row
(``AuditChainHead``), so unrelated writes never queue behind one lock. A record goes to the
chain chosen by a hash of its content type and object id (a batch goes to the chain of its first
record). Each record stores its chain, its position in it and the previous record's hash; its own
hash is an HMAC-SHA256, with a key kept outside the database (``biys.core.auditkey``), over every
column but the surrogate id (whose order ``verify_chain`` checks). Editing, removing, reordering or
re-hashing records is detected by ``biys audit verify``; removing the newest records together
with rewinding a head is detected against the signed checkpoints (``biys.core.checkpoints``).

Bulk paths wrap their work in ``batch()`` (signals then collect records and seal them with one
lock, one INSERT and one head update) or call ``record_changes`` after a ``bulk_create``.
"""

import functools
import json
import zlib
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, router, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from biys.core.auditkey import sign
from biys.core.context import ChangeContext, current_context
from biys.core.models import AuditChainHead, ChangeLoggedModel, ObjectChange

GENESIS_HASH = "0" * 64
MASK = "***"
BATCH_FLUSH_SIZE = 1000
HASHED_FIELDS = (
    "chain",
    "sequence",
    "previous_hash",
    "time",
    "user_id",
    "user_name",
    "request_id",
    "remote_addr",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "unit_id",
    "prechange_data",
    "postchange_data",
)

_pending: ContextVar[list | None] = ContextVar("biys_changelog_batch", default=None)


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
    last = parts[-1]
    # ``unit`` names the relation (its column is ``unit_id``); ``unit_id`` a plain column (the
    # change log's and the personal data log's own unit).
    return getattr(target, last if last.endswith("_id") else f"{last}_id", None)


def chain_count() -> int:
    return max(1, int(getattr(settings, "BIYS_AUDIT_CHAINS", 16)))


def start_chains(*, using: str = "default") -> None:
    """Give every chain its head row now (idempotent; ``post_migrate`` runs it, so a running
    installation has them all). A chain's first record otherwise starts its head on the way,
    four statements more for that one write, depending on which ids it touched."""
    AuditChainHead.objects.using(using).bulk_create(
        [
            AuditChainHead(pk=chain, sequence=0, last_hash=GENESIS_HASH)
            for chain in range(1, chain_count() + 1)
        ],
        ignore_conflicts=True,
    )


def start_chains_after_migrate(sender, using="default", **kwargs) -> None:
    start_chains(using=using)


def chain_for(content_type_id: int, object_id: str) -> int:
    """Chains are numbered from 1; one object's records always land in the same chain."""
    return 1 + zlib.crc32(f"{content_type_id}:{object_id}".encode()) % chain_count()


def canonical(record: ObjectChange) -> bytes:
    payload = {name: getattr(record, name) for name in HASHED_FIELDS}
    payload["time"] = record.time.astimezone(UTC).isoformat(timespec="microseconds")
    payload["v"] = 2
    # ensure_ascii: a lone surrogate in user data must not make the hash fail to encode.
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return text.encode()


def compute_hash(record: ObjectChange) -> str:
    return sign(canonical(record))


def build_record(
    instance,
    action: str,
    before: dict | None,
    after: dict | None,
    *,
    context: ChangeContext | None = None,
    content_type: ContentType | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> ObjectChange:
    """An unsealed change record; ``append`` gives it its place in a chain."""
    context = context or current_context()
    return ObjectChange(
        time=timezone.now(),
        user_id=context.user_id,
        user_name=context.user_name,
        request_id=context.request_id,
        remote_addr=context.remote_addr,
        action=action,
        content_type=content_type
        or ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk) if object_id is None else object_id,
        object_repr=(str(instance) if object_repr is None else object_repr)[:200],
        unit_id=owner_unit_id(instance) if instance is not None else None,
        prechange_data=before,
        postchange_data=after,
    )


def _read_head(chain: int) -> tuple[int, str] | None:
    """The chain head's ``(sequence, last_hash)``, its row locked until the transaction ends
    (one plain statement: every filing runs it, and the ORM's query building cost more than
    the query)."""
    connection = connections[router.db_for_write(AuditChainHead)]
    quote = connection.ops.quote_name
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "sequence", "last_hash" FROM {quote(AuditChainHead._meta.db_table)} '
            f'WHERE "id" = %s{lock}',
            [chain],
        )
        row = cursor.fetchone()
    return (int(row[0]), row[1]) if row else None


def _lock_head(chain: int) -> tuple[int, str]:
    """Lock the chain's head (starting the chain when it has none); its sequence and hash."""
    head = _read_head(chain)
    if head is None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(pk=chain, sequence=0, last_hash=GENESIS_HASH)
        except IntegrityError:  # another writer started the chain a moment ago
            pass
        head = _read_head(chain)
    return head


def _store(records: list[ObjectChange], chain: int, sequence: int, last_hash: str) -> None:
    """Insert the sealed records and move the chain's head. On PostgreSQL both happen in one
    statement (a data-modifying ``WITH``), so the head's lock is held one round trip less."""
    connection = connections[router.db_for_write(ObjectChange)]
    if connection.vendor != "postgresql":
        if len(records) == 1:
            records[0].save()
        else:
            ObjectChange.objects.bulk_create(records)
        AuditChainHead.objects.filter(pk=chain).update(sequence=sequence, last_hash=last_hash)
        return
    quote = connection.ops.quote_name
    fields = [field for field in ObjectChange._meta.concrete_fields if not field.primary_key]
    values = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params: list = [sequence, last_hash, chain]
    for record in records:
        params.extend(
            field.get_db_prep_save(field.pre_save(record, True), connection) for field in fields
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH head AS (UPDATE {quote(AuditChainHead._meta.db_table)} "
            f'SET "sequence" = %s, "last_hash" = %s WHERE "id" = %s) '
            f"INSERT INTO {quote(ObjectChange._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES {', '.join([values] * len(records))} RETURNING {quote('id')}",
            params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    for record, pk in zip(records, ids, strict=True):
        record.pk = pk
        record._state.adding, record._state.db = False, connection.alias


def append(records: list[ObjectChange], *, chain: int | None = None) -> list[ObjectChange]:
    """Seal and insert records at the end of one chain: one lock, then the INSERT and the head
    update (one statement on PostgreSQL). Only that chain's head row is locked, until the
    caller's transaction ends."""
    if not records:
        return records
    first = records[0]
    chain = chain or chain_for(first.content_type_id, first.object_id)
    with transaction.atomic(savepoint=False):
        sequence, previous = _lock_head(chain)
        for record in records:
            sequence += 1
            record.chain, record.sequence, record.previous_hash = chain, sequence, previous
            record.hash = previous = compute_hash(record)
        _store(records, chain, sequence, previous)
    return records


def record_change(instance, action: str, before: dict | None, after: dict | None) -> ObjectChange:
    record = build_record(instance, action, before, after)
    pending = _pending.get()
    if pending is not None:
        pending.append(record)
        if len(pending) >= BATCH_FLUSH_SIZE:
            append(pending[:])
            pending.clear()
        return record
    return append([record])[0]


def record_changes(
    instances: Iterable, *, action: str = ObjectChange.Action.CREATE
) -> list[ObjectChange]:
    """Change records for objects written without signals (``bulk_create``, ``update``), sealed
    in batches. Each record's "after" is the object as it is now (its "before" on delete)."""
    context = current_context()
    records = []
    for instance in instances:
        snapshot = serialize(instance)
        before, after = (
            (snapshot, None) if action == ObjectChange.Action.DELETE else (None, snapshot)
        )
        records.append(build_record(instance, action, before, after, context=context))
    for start in range(0, len(records), BATCH_FLUSH_SIZE):
        append(records[start : start + BATCH_FLUSH_SIZE])
    return records


@contextmanager
def batch():
    """Collect the change records written inside the block and seal them together at its end,
    in the same transaction. Nested blocks join the outer one."""
    if _pending.get() is not None:
        yield
        return
    with transaction.atomic():
        pending: list[ObjectChange] = []
        token = _pending.set(pending)
        try:
            yield
        finally:
            _pending.reset(token)
        append(pending)


def batched(function):
    """Decorator form of ``batch``: the whole call is one transaction with batched records."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with batch():
            return function(*args, **kwargs)

    return wrapper


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""
    chain: int | None = None
    checkpoint: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(*, using: str = "default", checkpoint=None, batch_size: int = 2000) -> ChainReport:
    """Recompute every hash of every chain in order; the first mismatch or gap is where tampering
    happened. ``checkpoint`` (a ``biys.core.checkpoints.Checkpoint``) must be covered too."""
    heads = {head.pk: head for head in AuditChainHead.objects.using(using)}
    last: dict[int, ObjectChange] = {}
    hashes_at = {}
    wanted = {
        (chain, sequence) for chain, sequence, _ in (checkpoint.entries() if checkpoint else [])
    }
    checked = 0
    records = ObjectChange.objects.using(using).order_by("chain", "sequence")
    for record in records.iterator(chunk_size=batch_size):
        previous = last.get(record.chain)
        expected_sequence = previous.sequence + 1 if previous else 1
        expected_hash = previous.hash if previous else GENESIS_HASH
        if record.sequence != expected_sequence or record.previous_hash != expected_hash:
            return ChainReport(
                checked,
                record.pk,
                "previous hash does not match: a record is missing or out of order",
                record.chain,
            )
        if previous is not None and record.pk < previous.pk:
            return ChainReport(checked, record.pk, "records were reordered", record.chain)
        if compute_hash(record) != record.hash:
            return ChainReport(
                checked, record.pk, "content does not match its hash: record altered", record.chain
            )
        if (record.chain, record.sequence) in wanted:
            hashes_at[(record.chain, record.sequence)] = record.hash
        last[record.chain] = record
        checked += 1
    for chain in sorted(set(heads) | set(last)):
        head, newest = heads.get(chain), last.get(chain)
        head_position = (head.sequence, head.last_hash) if head else (0, GENESIS_HASH)
        newest_position = (newest.sequence, newest.hash) if newest else (0, GENESIS_HASH)
        if head_position != newest_position:
            return ChainReport(checked, 0, "the newest records were removed", chain)
    if checkpoint is not None:
        for chain, sequence, expected in checkpoint.entries():
            if hashes_at.get((chain, sequence)) != expected:
                return ChainReport(
                    checked,
                    0,
                    f"records sealed in checkpoint {checkpoint.name} are missing or altered",
                    chain,
                    checkpoint.name,
                )
    return ChainReport(checked, checkpoint=checkpoint.name if checkpoint else "")


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
    if not isinstance(instance, ChangeLoggedModel):
        return
    if action in ("pre_add", "pre_remove", "pre_clear"):
        instance._changelog_m2m_before = serialize(instance)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    before = instance.__dict__.pop("_changelog_m2m_before", None)
    after = serialize(instance)
    if before == after:
        return
    record_change(instance, ObjectChange.Action.UPDATE, before, after)
