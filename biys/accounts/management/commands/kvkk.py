from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from biys.accounts.erasure import erase_user
from biys.accounts.models import User


class Command(BaseCommand):
    help = (
        "KVKK: `kvkk erase USERNAME --reason TEXT [--person]` anonymises a login (and its person)"
        " and appends a redaction record to the change log, which stays verifiable."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        erase = sub.add_parser("erase", help="erase a user's personal data")
        erase.add_argument("username")
        erase.add_argument("--reason", required=True, help="e.g. the KVKK request's number")
        erase.add_argument("--person", action="store_true", help="also erase the linked person")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']}.")
        try:
            record = erase_user(
                actor=None, user=user, reason=options["reason"], include_person=options["person"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Erased; redaction record {record.pk}."))
