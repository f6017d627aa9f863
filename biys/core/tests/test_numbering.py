"""Official numbers: the format, the yearly restart, and no duplicate and no gap under
concurrent writers (PostgreSQL only: SQLite locks the whole database and cannot show it)."""

import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from biys.core.models import Sequence, SequenceCounter
from biys.core.numbering import ensure_sequence, next_number

IST = ZoneInfo("Europe/Istanbul")

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent numbering needs PostgreSQL row locks; SQLite serialises whole-database "
    "writes. Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/biys",
)


def seq_of(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


@pytest.mark.django_db
class TestFormatAndYears:
    def test_template_format(self):
        ensure_sequence(name="arz", template="ARZ-{year}-{seq:06d}")
        at = datetime(2026, 3, 18, 10, tzinfo=IST)
        assert next_number("arz", at=at) == "ARZ-2026-000001"
        assert next_number("arz", at=at) == "ARZ-2026-000002"

    def test_yearly_sequence_restarts_each_year(self):
        ensure_sequence(name="arz", template="ARZ-{year}-{seq:06d}")
        assert next_number("arz", at=datetime(2026, 12, 31, 12, tzinfo=IST)) == "ARZ-2026-000001"
        assert next_number("arz", at=datetime(2027, 1, 1, 9, tzinfo=IST)) == "ARZ-2027-000001"
        assert next_number("arz", at=datetime(2026, 12, 31, 13, tzinfo=IST)) == "ARZ-2026-000002"
        assert next_number("arz", at=datetime(2027, 1, 2, 9, tzinfo=IST)) == "ARZ-2027-000002"

    def test_the_year_is_istanbul_local(self):
        ensure_sequence(name="arz", template="ARZ-{year}-{seq:06d}")
        # 22:30 UTC on 31 December is 01:30 on 1 January in Istanbul.
        assert next_number("arz", at=datetime(2026, 12, 31, 22, 30, tzinfo=UTC)).startswith(
            "ARZ-2027-"
        )

    def test_sequence_that_never_restarts(self):
        ensure_sequence(name="demirbas", template="DMB-{seq:05d}", yearly=False)
        assert next_number("demirbas", at=datetime(2026, 12, 31, tzinfo=IST)) == "DMB-00001"
        assert next_number("demirbas", at=datetime(2027, 1, 1, 12, tzinfo=IST)) == "DMB-00002"
        assert SequenceCounter.objects.get().year == 0

    def test_extra_placeholders(self):
        ensure_sequence(name="yazi", template="{unit}-{year}/{seq}")
        at = datetime(2026, 5, 4, tzinfo=IST)
        assert next_number("yazi", at=at, unit="BIDB") == "BIDB-2026/1"

    def test_ensure_sequence_keeps_the_first_definition(self):
        first = ensure_sequence(name="arz", template="ARZ-{year}-{seq:06d}")
        again = ensure_sequence(name="arz", template="OTHER-{seq}")
        assert again.pk == first.pk and again.template == "ARZ-{year}-{seq:06d}"

    def test_unknown_sequence(self):
        with pytest.raises(Sequence.DoesNotExist):
            next_number("yok")

    def test_rolled_back_number_is_given_back(self):
        ensure_sequence(name="arz", template="ARZ-{year}-{seq:06d}")
        at = datetime(2026, 3, 18, tzinfo=IST)
        assert next_number("arz", at=at) == "ARZ-2026-000001"
        with pytest.raises(RuntimeError), transaction.atomic():
            assert next_number("arz", at=at) == "ARZ-2026-000002"
            raise RuntimeError("the record was not saved")
        assert next_number("arz", at=at) == "ARZ-2026-000002"


class Rollback(Exception):
    pass


def run_writers(threads: int, per_thread: int, rollback_every: int | None = None):
    """Each thread takes numbers in its own transactions on its own connection. With
    ``rollback_every``, every n-th transaction of a thread is rolled back after taking its
    number (a thread's last transaction always commits)."""
    committed: list[int] = []
    rolled_back: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)
    at = datetime(2026, 3, 18, 10, tzinfo=IST)

    def writer(index: int):
        try:
            start.wait()
            for i in range(per_thread):
                roll_back = (
                    rollback_every is not None
                    and (i + index) % rollback_every == 0
                    and i < per_thread - 1
                )
                try:
                    with transaction.atomic():
                        value = seq_of(next_number("arz", at=at))
                        if roll_back:
                            raise Rollback
                except Rollback:
                    with lock:
                        rolled_back.append(value)
                else:
                    with lock:
                        committed.append(value)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers), "a writer hung"
    assert not errors, errors
    return committed, rolled_back


@needs_postgresql
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_get_distinct_consecutive_numbers():
    ensure_sequence(name="arz", template="ARZ-{year}-{seq:06d}")
    committed, _ = run_writers(threads=8, per_thread=25)
    assert len(committed) == 200
    assert sorted(committed) == list(range(1, 201))
    assert SequenceCounter.objects.get(year=2026).value == 200


@needs_postgresql
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_rolled_back_numbers_are_reused_without_a_gap():
    ensure_sequence(name="arz", template="ARZ-{year}-{seq:06d}")
    committed, rolled_back = run_writers(threads=8, per_thread=25, rollback_every=4)
    assert rolled_back, "the scenario rolls some transactions back"
    assert len(committed) == 200 - len(rolled_back)
    assert sorted(committed) == list(range(1, len(committed) + 1))
    # Every number a rolled-back transaction held was later given to a committed one.
    assert set(rolled_back) <= set(committed)
    assert SequenceCounter.objects.get(year=2026).value == len(committed)
