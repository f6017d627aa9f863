from django.core.management.base import BaseCommand, CommandError

from biys.core.auditprivileges import change_log_privilege_problems
from biys.core.changelog import verify_chain
from biys.core.checkpoints import CheckpointError, latest_checkpoint, write_checkpoint


class Command(BaseCommand):
    help = (
        "The change log: `audit verify` recomputes its keyed hash chains and checks them against"
        " the latest checkpoint; `audit checkpoint` writes a signed checkpoint of every chain head."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the change log's hash chains")
        verify.add_argument(
            "--check-privileges",
            action="store_true",
            help="also fail when the database user may UPDATE or DELETE change records",
        )
        verify.add_argument(
            "--no-checkpoint", action="store_true", help="skip the check against the checkpoint"
        )
        sub.add_parser("checkpoint", help="write a signed checkpoint of every chain head")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _checkpoint(self, options):
        path = write_checkpoint()
        self.stdout.write(self.style.SUCCESS(f"Checkpoint written: {path}"))

    def _verify(self, options):
        checkpoint = None
        if not options["no_checkpoint"]:
            try:
                checkpoint = latest_checkpoint()
            except CheckpointError as error:
                raise CommandError(f"Change log checkpoint REFUSED: {error}") from error
        report = verify_chain(checkpoint=checkpoint)
        if not report.ok:
            where = f" at record {report.broken_at}" if report.broken_at else ""
            chain = f" in chain {report.chain}" if report.chain else ""
            raise CommandError(
                f"Change log chain BROKEN{where}{chain} after {report.checked} good records:"
                f" {report.reason}"
            )
        against = f", checked against {report.checkpoint}" if report.checkpoint else ""
        self.stdout.write(
            self.style.SUCCESS(f"Change log intact: {report.checked} records verified{against}.")
        )
        if options["check_privileges"]:
            try:
                problems = change_log_privilege_problems()
            except NotImplementedError as vendor:
                self.stdout.write(f"Privileges: not applicable on {vendor} (no database roles).")
                return
            if problems:
                raise CommandError(
                    "The application's database user can rewrite the change log: "
                    + "; ".join(problems)
                    + ". See docs/audit.md."
                )
            self.stdout.write(self.style.SUCCESS("Privileges: change records are append-only."))
