import hashlib
import json
import os
import stat

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from biys.core import auditkey, changelog
from biys.core.changelog import verify_chain
from biys.core.checkpoints import latest_checkpoint, write_checkpoint
from biys.core.context import change_context
from biys.core.models import AuditChainHead, ObjectChange
from biys.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def changes_for(obj):
    return ObjectChange.objects.filter(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name
    )


def test_create_update_delete_are_recorded_with_who_and_what(org_tree, make_user):
    author = make_user(username="kayitci")
    with change_context(user=author):
        unit = Unit.objects.create(name="Arşiv Şefliği", kind="seflik", parent=org_tree["dept"])
        unit.name = "Arşiv ve Dokümantasyon Şefliği"
        unit.save()
        unit_pk = unit.pk
        unit.delete()

    records = list(
        ObjectChange.objects.filter(object_id=str(unit_pk), content_type__model="unit").order_by(
            "id"
        )
    )
    assert [r.action for r in records] == ["create", "update", "delete"]
    assert all(r.user_id == author.pk and r.user_name == "kayitci" for r in records)
    update = records[1]
    assert update.prechange_data["name"] == "Arşiv Şefliği"
    assert update.postchange_data["name"] == "Arşiv ve Dokümantasyon Şefliği"
    assert "name" in update.changed_fields
    assert records[2].postchange_data is None
    assert update.unit_id == unit_pk


def test_saving_without_changes_writes_nothing(org_tree):
    unit = org_tree["roads"]
    before = changes_for(unit).count()
    unit.save()
    assert changes_for(unit).count() == before


def test_personal_data_is_masked_in_the_change_log(org_tree):
    person = Person.objects.create(
        first_name="Ayşe",
        last_name="Yılmaz",
        tc_kimlik_no="10000000146",
        employment_type="memur",
        unit=org_tree["roads"],
        mobile_phone="0532 000 00 00",
    )
    record = changes_for(person).get()
    assert record.postchange_data["tc_kimlik_no"] == "***"
    assert record.postchange_data["mobile_phone"] == "***"
    assert "10000000146" not in json.dumps(record.postchange_data)
    assert record.unit_id == org_tree["roads"].pk


def test_change_records_cannot_be_edited_or_deleted_through_the_product(org_tree):
    record = ObjectChange.objects.first()
    record.object_repr = "forged"
    with pytest.raises(PermissionDenied):
        record.save()
    with pytest.raises(PermissionDenied):
        record.delete()


def test_chain_verifies_and_detects_an_altered_record(org_tree):
    assert verify_chain().ok
    victim = ObjectChange.objects.order_by("id")[2]
    ObjectChange.objects.filter(pk=victim.pk).update(object_repr="forged")  # tampering from outside
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == victim.pk
    assert "altered" in report.reason


def test_chain_detects_a_removed_record(org_tree):
    victim = ObjectChange.objects.order_by("id")[1]
    ObjectChange.objects.filter(pk=victim.pk)._raw_delete(ObjectChange.objects.db)
    report = verify_chain()
    assert not report.ok
    assert "missing" in report.reason


def test_chain_detects_removed_newest_records(org_tree):
    newest = ObjectChange.objects.order_by("-id").first()
    ObjectChange.objects.filter(pk=newest.pk)._raw_delete(ObjectChange.objects.db)
    assert not verify_chain().ok


def test_audit_verify_command(org_tree, capsys):
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    ObjectChange.objects.filter(pk=ObjectChange.objects.order_by("id").first().pk).update(
        user_name="x"
    )
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")


# --- keyed chains, checkpoints ----------------------------------------------------------------

TAMPERED_VALUES = {
    "time": "2001-01-01T00:00:00+00:00",
    "user_id": 987654,
    "user_name": "someone-else",
    "request_id": "f" * 32,
    "remote_addr": "10.9.9.9",
    "action": "delete",
    "object_id": "424242",
    "object_repr": "forged",
    "unit_id": 987654,
    "prechange_data": {"name": "forged"},
    "postchange_data": {"name": "forged"},
}


def raw_delete(queryset):
    queryset._raw_delete(queryset.db)


def many_changes(org_tree, count=12):
    for number in range(count):
        Unit.objects.create(name=f"Birim {number}", kind="seflik", parent=org_tree["dept"])


@pytest.mark.parametrize("column", sorted(TAMPERED_VALUES))
def test_a_change_to_any_column_is_detected(org_tree, column):
    victim = ObjectChange.objects.order_by("id")[1]
    ObjectChange.objects.filter(pk=victim.pk).update(**{column: TAMPERED_VALUES[column]})
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == victim.pk


def test_another_content_type_is_detected(org_tree):

    victim = ObjectChange.objects.order_by("id")[1]
    other = ContentType.objects.get_for_model(ObjectChange)
    ObjectChange.objects.filter(pk=victim.pk).update(content_type=other)
    assert verify_chain().broken_at == victim.pk


def test_unrelated_objects_use_independent_chains(org_tree, settings):
    settings.BIYS_AUDIT_CHAINS = 16
    many_changes(org_tree, 20)
    chains = set(ObjectChange.objects.values_list("chain", flat=True))
    assert len(chains) > 3
    assert AuditChainHead.objects.filter(sequence__gt=0).count() == len(chains)
    assert verify_chain().ok
    unit = Unit.objects.order_by("-id").first()
    unit.name = "Yeni ad"
    with CaptureQueriesContext(connection) as queries:
        unit.save()
    record = changes_for(unit).order_by("-id").first()
    assert record.chain == changes_for(unit).order_by("id").first().chain  # one object, one chain
    head_queries = [q["sql"] for q in queries.captured_queries if "core_auditchainhead" in q["sql"]]
    assert len(head_queries) == 2  # lock and advance that chain's head only
    assert all(f"= {record.chain}" in sql for sql in head_queries)


def test_a_swap_of_two_records_is_detected(org_tree):
    unit = org_tree["dept"]
    unit.name = "Bilgi İşlem Dairesi"
    unit.save()  # one object, one chain: its create and this update are neighbours in it
    first, second = changes_for(unit).order_by("sequence")
    assert first.chain == second.chain and second.sequence == first.sequence + 1
    fields = ["object_repr", "object_id", "prechange_data", "postchange_data", "hash"]
    values = {name: getattr(first, name) for name in fields}
    ObjectChange.objects.filter(pk=first.pk).update(hash="x" * 64)
    ObjectChange.objects.filter(pk=first.pk).update(**{n: getattr(second, n) for n in fields[:-1]})
    ObjectChange.objects.filter(pk=second.pk).update(**values)
    assert not verify_chain().ok


def test_records_rehashed_without_the_key_are_detected(org_tree):
    """Someone with database access only recomputes every hash from a victim on: without the
    key (plain SHA-256, or a key of their own) the result never verifies."""
    victim = ObjectChange.objects.order_by("id")[0]
    ObjectChange.objects.filter(pk=victim.pk).update(object_repr="forged")
    previous = {}
    for record in ObjectChange.objects.order_by("chain", "sequence"):
        record.previous_hash = previous.get(record.chain, changelog.GENESIS_HASH)
        forged = hashlib.sha256(b"guessed-key" + changelog.canonical(record)).hexdigest()
        ObjectChange.objects.filter(pk=record.pk).update(
            previous_hash=record.previous_hash, hash=forged
        )
        previous[record.chain] = forged
        AuditChainHead.objects.filter(pk=record.chain).update(last_hash=forged)
    assert not verify_chain().ok


def test_removing_the_newest_records_and_rewinding_the_head_fails_the_checkpoint(org_tree):
    many_changes(org_tree, 6)
    checkpoint_path = write_checkpoint()
    assert verify_chain(checkpoint=latest_checkpoint()).ok
    newest = ObjectChange.objects.order_by("-id").first()
    chain = newest.chain
    raw_delete(ObjectChange.objects.filter(pk=newest.pk))
    before = ObjectChange.objects.filter(chain=chain).order_by("-sequence").first()
    AuditChainHead.objects.filter(pk=chain).update(
        sequence=before.sequence if before else 0,
        last_hash=before.hash if before else changelog.GENESIS_HASH,
    )
    assert verify_chain().ok  # consistent in itself: only the checkpoint can tell
    report = verify_chain(checkpoint=latest_checkpoint())
    assert not report.ok
    assert checkpoint_path.name in report.reason


def test_truncating_the_log_and_resetting_the_heads_fails_the_checkpoint(org_tree):
    write_checkpoint()
    raw_delete(ObjectChange.objects.all())
    AuditChainHead.objects.all().delete()
    assert verify_chain().ok
    assert not verify_chain(checkpoint=latest_checkpoint()).ok


def test_a_forged_checkpoint_is_refused(org_tree):
    from biys.core.checkpoints import CheckpointError

    path = write_checkpoint()
    document = json.loads(path.read_text())
    document["heads"] = {}
    path.write_text(json.dumps(document))
    with pytest.raises(CheckpointError, match="signature"):
        latest_checkpoint()


def test_audit_verify_uses_the_latest_checkpoint(org_tree, capsys):
    call_command("audit", "checkpoint")
    assert "Checkpoint written" in capsys.readouterr().out
    raw_delete(ObjectChange.objects.all())
    AuditChainHead.objects.all().delete()
    with pytest.raises(CommandError, match="checkpoint"):
        call_command("audit", "verify")


def test_the_key_file_is_generated_once_and_private(settings, tmp_path):
    settings.BIYS_AUDIT_KEY = ""
    settings.BIYS_AUDIT_KEY_FILE = str(tmp_path / "keys" / "audit.key")
    key = auditkey.audit_key()
    path = tmp_path / "keys" / "audit.key"
    assert len(key) >= 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert auditkey.audit_key() == key
    settings.BIYS_AUDIT_KEY = "k" * 40
    assert auditkey.audit_key() == b"k" * 40


def test_batched_records_are_sealed_together(org_tree):

    for chain in range(1, changelog.chain_count() + 1):  # every chain already started
        AuditChainHead.objects.get_or_create(pk=chain, defaults={"last_hash": "0" * 64})
    units = [Unit(name=f"Toplu {n}", kind="seflik", parent=org_tree["dept"]) for n in range(30)]
    with CaptureQueriesContext(connection) as queries, changelog.batch():
        for unit in units:
            unit.save()
    change_queries = [
        q
        for q in queries.captured_queries
        if "core_objectchange" in q["sql"] or "chainhead" in q["sql"]
    ]
    # Lock the head, then one INSERT and the head's advance: one statement on PostgreSQL.
    assert len(change_queries) == (2 if connection.vendor == "postgresql" else 3)
    unit_type = ContentType.objects.get_for_model(Unit)
    records = ObjectChange.objects.filter(
        content_type=unit_type, object_id__in=[str(u.pk) for u in units]
    )
    assert records.count() == 30
    assert len({r.chain for r in records}) == 1
    assert verify_chain().ok


def test_record_changes_logs_bulk_created_objects(org_tree):
    units = Unit.objects.bulk_create(
        [
            Unit(name=f"Toplu {n}", kind="seflik", parent=org_tree["dept"], path="", depth=1)
            for n in range(5)
        ]
    )
    records = changelog.record_changes(units)
    assert [r.action for r in records] == ["create"] * 5
    assert all(r.pk for r in records)
    assert verify_chain().ok


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_write_in_one_chain_does_not_wait_for_another_chain(settings):
    """Issue 6: no global lock. A transaction holding chain A's head open does not stop a
    change in chain B (it would time out waiting if every write queued behind one row).

    Titles, not units: a write to the tables behind a process cache (units, roles, the
    calendar; ``biys.core.generations``) also renews that cache's generation row, so two
    writes to units do wait for each other, by design; titles are behind none."""
    import threading

    from django.db import connections, transaction

    from biys.org.models import Title

    settings.BIYS_AUDIT_CHAINS = 16
    titles = [Title.objects.create(name=f"Unvan {n}") for n in range(20)]
    title_type = ContentType.objects.get_for_model(Title)
    by_chain = {changelog.chain_for(title_type.pk, str(t.pk)): t for t in titles}
    (chain_a, first), (chain_b, second) = list(by_chain.items())[:2]
    holding, release = threading.Event(), threading.Event()

    def hold_chain_a():
        try:
            with transaction.atomic():
                first.name = "A tutuyor"
                first.save()  # locks chain A's head until the transaction ends
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_chain_a)
    holder.start()
    assert holding.wait(30)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            second.name = "B yazıyor"
            second.save()  # raises "canceling statement due to lock timeout" if it had to wait
    finally:
        release.set()
        holder.join(30)
    assert changes_for(second).order_by("-id").first().chain == chain_b != chain_a
    assert verify_chain().ok


def test_the_beat_task_writes_a_checkpoint_covering_every_chain(org_tree, settings):
    from biys.core.tasks import write_audit_checkpoint

    assert "audit-checkpoint" in settings.CELERY_BEAT_SCHEDULE
    path = write_audit_checkpoint()
    checkpoint = latest_checkpoint()
    assert path.endswith(checkpoint.name)
    heads = {
        head.pk: (head.sequence, head.last_hash)
        for head in AuditChainHead.objects.filter(sequence__gt=0)
    }
    assert {chain: (seq, h) for chain, seq, h in checkpoint.entries()} == heads


def test_many_to_many_changes_are_logged_with_what_was_before(org_tree):
    from biys.org.tests.factories import DutyCategoryFactory, DutyFactory

    duty = DutyFactory(unit=org_tree["helpdesk"])
    network, security = DutyCategoryFactory(slug="ag"), DutyCategoryFactory(slug="guvenlik")
    duty.categories.add(network)
    duty.categories.add(security)
    duty.categories.remove(network)
    duty.categories.add(security)  # already there: nothing changed, nothing logged

    records = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(duty), object_id=str(duty.pk)
    ).order_by("id")
    history = [(r.prechange_data, r.postchange_data) for r in records][1:]  # after the create
    assert [(b["categories"], a["categories"]) for b, a in history] == [
        ([], [network.pk]),
        ([network.pk], sorted([network.pk, security.pk])),
        (sorted([network.pk, security.pk]), [security.pk]),
    ]
    assert verify_chain().ok


def test_old_checkpoints_are_thinned_to_one_a_day(settings, tmp_path):
    from datetime import UTC, datetime

    from biys.core.checkpoints import prune_checkpoints

    settings.BIYS_AUDIT_CHECKPOINT_DIR = tmp_path
    names = [
        "checkpoint-20261001T001500000000Z.json",  # 1 October: two, the last one stays
        "checkpoint-20261001T231500000000Z.json",
        "checkpoint-20261002T120000000000Z.json",  # 2 October: the only one stays
        "checkpoint-20261129T001500000000Z.json",  # recent: every one stays
        "checkpoint-20261129T003000000000Z.json",
        "notes.txt",
    ]
    for name in names:
        (tmp_path / name).write_text("{}")
    removed = prune_checkpoints(now=datetime(2026, 11, 30, tzinfo=UTC), keep_days=30)
    assert removed == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(set(names) - {names[0]})


def test_every_chain_has_its_head_after_migrate(db):
    """``post_migrate`` starts every chain, so no write pays for starting one: which chain a
    record lands in depends on ids, and a query count must not."""
    from biys.core.changelog import chain_count

    heads = AuditChainHead.objects.values_list("pk", flat=True)
    assert set(range(1, chain_count() + 1)) <= set(heads)
