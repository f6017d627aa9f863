"""Issue 6: tickets filed by parallel writers on PostgreSQL. Numbers stay distinct and gapless
(a rolled-back filing gives its number back), every ticket is routed, logged and counted, and
the change log still verifies. SQLite serialises whole-database writes and cannot show it."""

import threading

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from biys.core.changelog import verify_chain
from biys.core.models import ObjectChange
from biys.servicedesk import services
from biys.servicedesk.choices import AssignmentRule, TicketState
from biys.servicedesk.models import Queue, Ticket, TicketStat

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="parallel writers need PostgreSQL row locks; SQLite serialises every write",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS, PER_THREAD = 8, 6


class Rollback(Exception):
    pass


def seq_of(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def test_parallel_filing_is_gapless_routed_counted_and_verifiable(desk):
    queue = Queue.objects.create(unit=desk.helpdesk, assignment_rule=AssignmentRule.ROUND_ROBIN)
    queue.members.set([desk.technician.pk, desk.network_technician.pk])
    person = desk.requester.person
    committed, rolled_back, errors = [], [], []
    lock, start = threading.Lock(), threading.Barrier(THREADS)

    def writer(index: int):
        try:
            start.wait()
            for i in range(PER_THREAD):
                # every fourth filing of a thread is undone after it took its number
                undo = (i + index) % 4 == 0 and i < PER_THREAD - 1
                try:
                    with transaction.atomic():
                        ticket = services.create_ticket(
                            catalog_item=desk.printer,
                            requester=person,
                            title=f"Paralel {index}-{i}",
                            created_by=desk.requester,
                        )
                        if undo:
                            raise Rollback(ticket.number)
                except Rollback as undone:
                    with lock:
                        rolled_back.append(seq_of(undone.args[0]))
                else:
                    with lock:
                        committed.append(seq_of(ticket.number))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert not any(worker.is_alive() for worker in workers), "a writer hung"
    assert not errors, errors

    assert rolled_back, "the scenario undoes some filings"
    total = THREADS * PER_THREAD - len(rolled_back)
    assert sorted(committed) == list(range(1, total + 1))
    assert set(rolled_back) <= set(committed)  # every number given back was used again
    tickets = Ticket.objects.all()
    assert tickets.count() == total
    # Round robin under the queue's row lock: both members got their turns, nobody twice as often.
    per_member = {
        member: tickets.filter(assignee_id=member).count()
        for member in (desk.technician.pk, desk.network_technician.pk)
    }
    assert set(tickets.values_list("state", flat=True)) == {TicketState.ASSIGNED}
    assert abs(per_member[desk.technician.pk] - per_member[desk.network_technician.pk]) <= 1
    # Every committed ticket has its creation record, and none of the undone ones left any.
    created = ObjectChange.objects.filter(
        action=ObjectChange.Action.CREATE, content_type__model="ticket"
    )
    assert sorted(created.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in tickets.values_list("pk", flat=True)
    )
    assert verify_chain().ok
    # The statistics summary counted each committed filing once.
    opened = TicketStat.objects.filter(grain="d", facet="all").aggregate(n=Sum("opened"))["n"]
    assert opened == total
