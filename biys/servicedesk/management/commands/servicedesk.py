"""``manage.py servicedesk poll-mail`` and ``manage.py servicedesk check-sla``: the service
desk's periodic jobs by hand or from cron, when Celery beat is not used."""

from django.core.management.base import BaseCommand

from biys.core.context import change_context


class Command(BaseCommand):
    help = "Service desk jobs: poll-mail (IMAP intake), check-sla (warnings and escalation)."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(dest="job", required=True)
        jobs.add_parser("poll-mail", help="Read the unseen messages of every active mailbox.")
        check = jobs.add_parser("check-sla", help="Warn before and escalate after SLA breaches.")
        check.add_argument("--quiet", action="store_true", help="Print nothing.")

    def handle(self, *args, job, **options):
        with change_context(user_name=f"servicedesk {job}"):
            if job == "poll-mail":
                self._poll_mail()
            else:
                self._check_sla(quiet=options.get("quiet", False))

    def _poll_mail(self):
        from biys.servicedesk.mail_intake import poll_mailboxes

        for name, result in poll_mailboxes().items():
            counts = ", ".join(f"{key}={value}" for key, value in sorted(result.counts.items()))
            line = f"{name}: {counts or 'no new mail'}"
            if result.error:
                self.stderr.write(f"{line} (error: {result.error})")
            else:
                self.stdout.write(line)

    def _check_sla(self, *, quiet: bool):
        from biys.servicedesk.services import check_sla

        result = check_sla()
        if not quiet:
            self.stdout.write(", ".join(f"{key}={value}" for key, value in sorted(result.items())))
