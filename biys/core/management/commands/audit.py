from django.core.management.base import BaseCommand, CommandError

from biys.core.changelog import verify_chain


class Command(BaseCommand):
    help = "The change log: `audit verify` recomputes its hash chain and reports any tampering."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify the change log's hash chain")

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            where = f" at record {report.broken_at}" if report.broken_at else ""
            raise CommandError(
                f"Change log chain BROKEN{where} after {report.checked} good records: {report.reason}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Change log intact: {report.checked} records verified.")
        )
