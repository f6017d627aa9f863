"""``biys frameworks``: control frameworks as data.

- ``load SLUG [--file FILE]``: load a shipped framework (``list --shipped`` names them) or a
  ``biys-framework/1`` JSON file (docs/bgys-frameworks.md); loading again updates it;
- ``texts SLUG FILE [--version V]``: the titles and texts of a framework shipped as numbers
  only (ISO/IEC 27001), from the installation's licensed copy: ``number;title;text`` per line;
- ``list [--json] [--shipped]``: each loaded framework with its measures per level and per
  section (``--shipped``: the frameworks BİYS ships).
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from biys.core.context import change_context


class Command(BaseCommand):
    help = "Control frameworks: load a shipped framework or a data file, list the loaded ones."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(dest="job", required=True)
        load = jobs.add_parser("load", help="Load a shipped framework (or --file a JSON file).")
        load.add_argument(
            "slug", nargs="?", help="a shipped framework, e.g. bilgi-ve-iletisim-guvenligi-rehberi"
        )
        load.add_argument("--file", help="a biys-framework/1 JSON file instead")
        load.add_argument("--json", action="store_true")
        texts = jobs.add_parser("texts", help="Titles and texts (number;title;text per line).")
        texts.add_argument("slug")
        texts.add_argument("file")
        texts.add_argument("--version", help="the framework's version (default: the latest)")
        listing = jobs.add_parser("list", help="The loaded frameworks and their measures.")
        listing.add_argument("--json", action="store_true")
        listing.add_argument("--shipped", action="store_true", help="the shipped frameworks")

    def handle(self, *args, job, **options):
        return getattr(self, job)(**options)

    def load(self, slug=None, file=None, json=False, **options):
        from biys.bgys import frameworks, services

        if bool(slug) == bool(file):
            raise CommandError("give either a shipped framework's SLUG or --file FILE")
        with change_context(user_name="biys frameworks load"):
            try:
                if file:
                    path = Path(file)
                    if not path.is_file():
                        raise CommandError(f"no such file: {path}")
                    report = services.load_framework(data=frameworks.read_json(path.read_bytes()))
                else:
                    report = services.load_shipped(slug=slug)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        data = report.as_dict()
        if json:
            self.stdout.write(_dumps(data))
        else:
            self.stdout.write(
                f"{data['framework']}: {'loaded' if data['created'] else 'reloaded'};"
                f" {data['sections']} sections, {data['measures_added']} measures added,"
                f" {data['measures_changed']} changed, {data['measures_removed']} removed"
                + (f", kept in use: {', '.join(data['kept'])}" if data["kept"] else "")
            )

    def texts(self, slug, file, version=None, **options):
        from biys.bgys import services
        from biys.bgys.models import Framework

        frameworks = Framework.objects.filter(slug=slug)
        if version:
            frameworks = frameworks.filter(version=version)
        framework = frameworks.order_by("-loaded_at").first()
        if framework is None:
            raise CommandError(f"no framework {slug} loaded (biys frameworks load {slug})")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        with change_context(user_name="biys frameworks texts"):
            try:
                changed = services.import_texts(framework=framework, content=path.read_bytes())
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{framework}: {changed} measures given their title and text")

    def list(self, json=False, shipped=False, **options):
        from biys.bgys import frameworks, selectors

        if shipped:
            rows = [
                {"slug": item.slug, "file": item.filename, "description": item.description}
                for item in frameworks.SHIPPED.values()
            ]
            if json:
                self.stdout.write(_dumps(rows))
            else:
                for row in rows:
                    self.stdout.write(f"{row['slug']}: {row['description']}")
            return
        summaries = selectors.frameworks_summary()
        if json:
            self.stdout.write(_dumps(summaries))
            return
        if not summaries:
            self.stdout.write("no framework loaded (biys frameworks list --shipped)")
        for summary in summaries:
            levels = ", ".join(f"level {k}: {v}" for k, v in summary["per_level"].items())
            self.stdout.write(
                f"{summary['slug']} {summary['version']}: {summary['measures']} measures ({levels})"
            )
            for number, section in summary["per_section"].items():
                self.stdout.write(f"  {number} {section['title']}: {section['measures']}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
