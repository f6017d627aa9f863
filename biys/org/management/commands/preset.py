from django.core.management.base import BaseCommand, CommandError

from biys.core.context import change_context
from biys.org.presets import PresetError, available_presets, load_preset


class Command(BaseCommand):
    help = (
        "Department presets from the reference regulations: `preset list` shows them, "
        "`preset load SLUG [--replace]` sets the organisation up from one."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the presets, with their unit and duty counts")
        load = sub.add_parser("load", help="set up the municipality, units and regulation")
        load.add_argument("slug", help="the preset to load, e.g. odunpazari")
        load.add_argument(
            "--replace",
            action="store_true",
            help="load over an organisation that was set up from another preset",
        )

    def handle(self, *args, **options):
        if options["action"] == "list":
            self._list()
        else:
            self._load(options["slug"], replace=options["replace"])

    def _list(self) -> None:
        presets = available_presets()
        width = max([len("slug"), *(len(preset.slug) for preset in presets)])
        name_width = max([len("municipality"), *(len(preset.municipality) for preset in presets)])
        self.stdout.write(f"{'slug':<{width}}  {'municipality':<{name_width}}  units  duties")
        for preset in presets:
            self.stdout.write(
                f"{preset.slug:<{width}}  {preset.municipality:<{name_width}}  "
                f"{preset.units:>5}  {preset.duties:>6}"
            )

    def _load(self, slug: str, *, replace: bool) -> None:
        try:
            with change_context(user_name=f"preset load {slug}"):
                result = load_preset(slug, replace=replace)
        except PresetError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.municipality.name}: {result.units} IT units, "
                f"{result.requester_units} requester units, {result.articles} articles, "
                f"{result.duties} duties "
                f"({result.created} created, {result.updated} updated, {result.removed} removed)."
            )
        )
        for summary in result.extensions:
            self.stdout.write(summary)
        if result.deactivated:
            self.stdout.write(
                "Deactivated (still referred to): " + ", ".join(sorted(result.deactivated))
            )
