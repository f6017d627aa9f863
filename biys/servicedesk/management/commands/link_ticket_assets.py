"""``python manage.py link_ticket_assets [--dry-run]``: link the tickets filed before the
register knew their device to its asset, by inventory or serial number, and list the references
that named no asset or several (``biys.servicedesk.services.asset_links``)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Link the tickets' device references to the asset register by inventory or serial"
        " number; list the references that match no asset or several."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be linked; write nothing."
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Tickets per transaction (500)."
        )

    def handle(self, *args, dry_run=False, batch_size=500, **options):
        from biys.servicedesk.services import link_ticket_assets

        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            report = link_ticket_assets(dry_run=dry_run, batch_size=batch_size)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        verb = "would be linked" if dry_run else "linked"
        self.stdout.write(
            f"{report.examined} unlinked tickets with a device reference examined in"
            f" {report.batches} batches; {report.linked} {verb}."
        )
        groups = report.unmatched_references
        if groups:
            self.stdout.write(
                f"{report.unmatched_tickets} tickets in {len(groups)} references left unlinked:"
            )
        for group in groups:
            outcome = f"{group.candidates} assets" if group.outcome == "several" else "no asset"
            self.stdout.write(
                f"  {group.reference!r}: {outcome}; {group.count} tickets: {group.ticket_numbers}"
            )
