"""``biys findings``: vulnerability findings from the command line.

- ``import FILE [--format F] [--unit UNIT] [--json]``: import one scanner report as the upload
  does (in the foreground, all or nothing) and print the numbers of findings created, updated,
  reopened and skipped. The unit (id or exact name; the top unit of the organisation when left
  out) is responsible for the findings whose asset the register does not know. A file refused
  prints the reason, imports nothing and exits with status 1.
- ``rebuild-summary [--json]``: recount the overdue summary (the cells the overdue page and
  the API's due counts per unit read) from the findings, after a change the application did
  not make (an ``UPDATE`` typed in SQL, a restore); prints the cells and findings counted and
  how many cells were wrong. Running it again changes nothing.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from biys.core.context import change_context


class Command(BaseCommand):
    help = "Vulnerability findings: import a scanner report, rebuild the overdue summary."

    def add_arguments(self, parser):
        from biys.secops.choices import Format

        jobs = parser.add_subparsers(dest="job", required=True)
        load = jobs.add_parser("import", help="Import a scanner report.")
        load.add_argument("file")
        load.add_argument("--format", choices=Format.values, help="recognised when left out")
        load.add_argument("--unit", help="the responsible unit: id or exact name")
        load.add_argument("--json", action="store_true")
        rebuild = jobs.add_parser(
            "rebuild-summary", help="Recount the overdue summary from the findings."
        )
        rebuild.add_argument("--json", action="store_true")

    def handle(self, *args, job, **options):
        return getattr(self, f"do_{job.replace('-', '_')}")(**options)

    def _unit(self, unit):
        from biys.org.models import Unit

        if unit:
            found = (
                Unit.objects.filter(pk=int(unit)).first()
                if unit.isdigit()
                else Unit.objects.filter(name=unit).first()
            )
            if found is None:
                raise CommandError(f"no such unit: {unit}")
            return found
        found = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        if found is None:
            raise CommandError("there is no unit yet: load a preset first (biys demo)")
        return found

    def _print(self, data: dict, as_json: bool, lines: list[str]) -> None:
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            for line in lines:
                self.stdout.write(line)

    def do_import(self, file, format=None, unit=None, json=False, **options):
        from biys.secops import services

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        responsible = self._unit(unit)
        with change_context(user_name="biys findings import"), path.open("rb") as stream:
            try:
                scan_import = services.import_report(
                    user=None,
                    unit=responsible,
                    file=stream,
                    filename=path.name,
                    format=format,
                    background=False,
                )
            except ValidationError as error:
                problems = (
                    error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                )
                self._print(
                    {"file": file, "imported": False, "errors": problems},
                    json,
                    [f"{file}: REFUSED"]
                    + [
                        f"  {field or 'error'}: {message}"
                        for field, messages in problems.items()
                        for message in messages
                    ],
                )
                raise CommandError("the file was refused: nothing was imported") from error
        counts = scan_import.counts()
        self._print(
            {
                "file": file,
                "imported": True,
                "id": scan_import.pk,
                "format": scan_import.format,
                "unit": responsible.name,
                "total": scan_import.total,
                **counts,
            },
            json,
            [
                f"{file} ({scan_import.get_format_display()}): {counts['created']} created,"
                f" {counts['updated']} updated, {counts['reopened']} reopened,"
                f" {counts['skipped']} skipped"
            ],
        )

    def do_rebuild_summary(self, json=False, **options):
        from biys.secops import services

        with change_context(user_name="biys findings rebuild-summary"):
            result = services.rebuild_due_summary()
        self._print(
            result,
            json,
            [
                f"Overdue summary rebuilt: {result['findings']} findings waiting for a fix in"
                f" {result['cells']} cells (was {result['findings_before']});"
                f" {result['corrected']} cells corrected"
            ],
        )
