"""``biys applications due TYPE RECEIVED_DATE [--extended]``: the legal deadline of an
application of that type received that day, computed by the code the product uses.
``biys applications load-types [--preset SLUG]``: the shipped application types.
``biys applications check-deadlines``: reminders and escalations now (beat runs it hourly)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from biys.applications.deadlines import NotExtendable, deadline_for


class Command(BaseCommand):
    help = "Applications with legal deadlines: due, load-types, check-deadlines."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="print the legal deadline")
        due.add_argument("type", help="the type's code, e.g. bilgi-edinme")
        due.add_argument("received", help="the day of receipt, YYYY-MM-DD")
        due.add_argument("--extended", action="store_true", help="the extended period")
        due.add_argument("--json", action="store_true")
        load = sub.add_parser("load-types", help="load the shipped application types")
        load.add_argument("--preset", default=None)
        sub.add_parser("check-deadlines", help="send the reminders and escalations due now")

    def handle(self, *args, **options):
        return getattr(self, options["action"].replace("-", "_"))(options)

    def due(self, options):
        from biys.applications.models import ApplicationType

        application_type = ApplicationType.objects.filter(code=options["type"]).first()
        if application_type is None:
            codes = ", ".join(
                ApplicationType.objects.order_by("code").values_list("code", flat=True)
            )
            raise CommandError(f"Unknown application type {options['type']!r}. Types: {codes}")
        try:
            received = date.fromisoformat(options["received"])
        except ValueError as error:
            raise CommandError("RECEIVED_DATE must be YYYY-MM-DD.") from error
        try:
            due = deadline_for(application_type, received, extended=options["extended"])
        except NotExtendable as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "type": application_type.code,
                        "received_on": received.isoformat(),
                        "extended": options["extended"],
                        "period": application_type.extended_period
                        if options["extended"]
                        else application_type.period,
                        "period_unit": application_type.period_unit,
                        "due_date": due.isoformat(),
                    }
                )
            )
        else:
            self.stdout.write(due.isoformat())

    def load_types(self, options):
        from biys.applications.types_loader import TypesError, load_types

        try:
            result = load_types(preset=options["preset"])
        except TypesError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{result.created} types created, {result.units_set} given a unit.")

    def check_deadlines(self, options):
        from biys.applications.services import check_deadlines

        self.stdout.write(json.dumps(check_deadlines()))
