"""Linking the tickets filed before the register knew their device: each ticket's free-text
device reference is matched by inventory number or serial number (``biys.core.assets``), a
reference naming exactly one asset in service becomes the ticket's link (``Ticket.asset_id``),
and the references naming none or several are listed for a person to sort out.

The tickets are read in batches by id; each batch is one transaction (its rows locked, its
change records sealed together), so a run stopped half way keeps whole batches and the next
run picks up the rest: a linked ticket is never read again. A dry run reads the same and writes
nothing.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from biys.core import assets, changelog
from biys.core.models import ObjectChange
from biys.servicedesk.models import Ticket

BATCH_SIZE = 500

NO_MATCH = "none"
SEVERAL = "several"


@dataclass
class UnmatchedReference:
    """A reference (as first typed) that named no asset in service, or several."""

    reference: str
    outcome: str
    candidates: int = 0
    tickets: list = field(default_factory=list)  # (id, number), oldest first

    @property
    def count(self) -> int:
        return len(self.tickets)

    @property
    def outcome_label(self) -> str:
        if self.outcome == SEVERAL:
            return _("matches %(count)s assets") % {"count": self.candidates}
        return _("matches no asset")

    @property
    def ticket_numbers(self) -> str:
        return ", ".join(number for _pk, number in self.tickets)


@dataclass
class LinkReport:
    dry_run: bool
    examined: int = 0
    linked: int = 0
    batches: int = 0
    unmatched: dict = field(default_factory=dict)  # reference key -> UnmatchedReference

    @property
    def unmatched_references(self) -> list[UnmatchedReference]:
        """Most tickets first, then by reference."""
        return sorted(self.unmatched.values(), key=lambda group: (-group.count, group.reference))

    @property
    def unmatched_tickets(self) -> int:
        return sum(group.count for group in self.unmatched.values())


def check_may_link(user) -> None:
    if not assets.may_link_assets(user):
        raise PermissionDenied(
            _("Only an inventory officer or an administrator may link tickets to the register.")
        )


def _unlinked(after_pk: int, batch_size: int, *, lock: bool):
    tickets = Ticket.objects.filter(asset_id__isnull=True, pk__gt=after_pk).exclude(
        asset_reference=""
    )
    if lock:
        tickets = tickets.select_for_update()
    return list(tickets.order_by("pk")[:batch_size])


def _link_batch(report: LinkReport, after_pk: int, batch_size: int) -> int | None:
    """Match and (unless a dry run) link one batch of unlinked tickets after ``after_pk``; the
    last id read, or None when there was nothing left."""
    tickets = _unlinked(after_pk, batch_size, lock=not report.dry_run)
    if not tickets:
        return None
    matches = assets.match_assets(ticket.asset_reference for ticket in tickets)
    linked = []
    for ticket in tickets:
        key = assets.reference_key(ticket.asset_reference)
        found = matches.get(key, ())
        if len(found) == 1:
            linked.append((ticket, found[0]))
            continue
        group = report.unmatched.get(key)
        if group is None:
            group = report.unmatched[key] = UnmatchedReference(
                reference=ticket.asset_reference,
                outcome=SEVERAL if found else NO_MATCH,
                candidates=len(found),
            )
        group.tickets.append((ticket.pk, ticket.number))
    report.examined += len(tickets)
    report.linked += len(linked)
    report.batches += 1
    if linked and not report.dry_run:
        for ticket, asset_pk in linked:
            before = changelog.serialize(ticket)
            ticket.asset_id, ticket.asset_unregistered = asset_pk, False
            changelog.record_change(
                ticket, ObjectChange.Action.UPDATE, before, changelog.serialize(ticket)
            )
        Ticket.objects.bulk_update(
            [ticket for ticket, _asset_pk in linked], ["asset_id", "asset_unregistered"]
        )
    return tickets[-1].pk


def link_ticket_assets(*, user=None, dry_run: bool = False, batch_size: int = BATCH_SIZE):
    """Link every unlinked ticket whose device reference names exactly one asset in service,
    ``batch_size`` tickets per transaction; the report lists the references left. ``user``
    None: the command line (the operator's own authority)."""
    if user is not None:
        check_may_link(user)
    if not assets.register_installed():
        raise ValidationError(_("No asset register is installed to link the tickets to."))
    report = LinkReport(dry_run=dry_run)
    after_pk = 0
    while after_pk is not None:
        if dry_run:
            after_pk = _link_batch(report, after_pk, batch_size)
        else:
            # one transaction per batch: its rows locked, its change records sealed together
            with changelog.batch():
                after_pk = _link_batch(report, after_pk, batch_size)
    return report


def unlinked_references(*, user, batch_size: int = BATCH_SIZE) -> LinkReport:
    """What a run would do now, written nowhere: the page and its CSV."""
    return link_ticket_assets(user=user, dry_run=True, batch_size=batch_size)
