"""``biys stats rebuild``: recount the service desk statistics summary from the tickets (after
a bulk load, a restore, or a declared day in the past)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Service desk statistics: rebuild (recount the summary from every ticket)."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(dest="job", required=True)
        jobs.add_parser("rebuild", help="Recount the statistics summary from every ticket.")

    def handle(self, *args, job, **options):
        from biys.servicedesk.stats_summary import rebuild

        count = rebuild()
        self.stdout.write(f"Statistics summary rebuilt from {count} tickets.")
