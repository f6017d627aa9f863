import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from biys.org.importer import RegulationDraft, note_text, parse_regulation
from biys.org.importer_duties import duties_by_unit
from biys.org.importer_files import extract_text


class Command(BaseCommand):
    help = (
        "Regulations: `regulation import FILE [--json]` drafts the articles, paragraphs, items "
        "and units of a regulation's plain text. It saves nothing: an administrator reviews "
        "and confirms the draft on the review screen."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        draft = sub.add_parser(
            "import",
            help="draft a regulation from a plain-text file (nothing is saved; the draft is "
            "reviewed and confirmed on the review screen)",
        )
        draft.add_argument("file", help="the regulation as .txt (UTF-8 or cp1254), .pdf or .docx")
        draft.add_argument(
            "--json",
            action="store_true",
            help="print the whole draft as JSON: each unit with its drafted duties (article, "
            "paragraph, item label, text), the positions, the articles and the warnings",
        )

    def handle(self, *args, **options):
        draft = parse_regulation(read_text(Path(options["file"])))
        if options["json"]:
            self.stdout.write(json.dumps(as_json(draft), ensure_ascii=False, indent=2))
            return
        self.stdout.write(summary(draft))


def as_json(draft: RegulationDraft) -> dict:
    data = draft.to_dict()
    duties = duties_by_unit(data)
    units = [
        {
            **unit,
            "duties": [
                {
                    "article": duty.article_number,
                    "paragraph": duty.paragraph_number,
                    "item": duty.label,
                    "reference": duty.reference,
                    "text": duty.text,
                }
                for duty in duties.get(unit["name"], [])
            ],
        }
        for unit in data["units"]
    ]
    first = {key: data[key] for key in ("title", "council_decision_no", "council_decision_date")}
    result = {**first, "units": [], "positions": [], **data}  # units first, to read easily
    result["units"] = units
    result["warnings"] = [{**note, "text": note_text(note)} for note in data["warnings"]]
    return result


def read_text(path: Path) -> str:
    """The text of a .txt (UTF-8 or cp1254), .pdf or .docx file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from error
    try:
        return extract_text(path.name, data)
    except ValidationError as error:
        raise CommandError(f"{path}: {' '.join(error.messages)}") from error


def summary(draft: RegulationDraft) -> str:
    paragraphs = [p for article in draft.articles for p in article.paragraphs]
    items = [item for p in paragraphs for item in p.items]
    numbers = [article.number for article in draft.articles]
    lines = [
        draft.title,
        f"Articles: {len(draft.articles)}"
        + (f" (MADDE {min(numbers)}–{max(numbers)})" if numbers else ""),
        f"Paragraphs: {len(paragraphs)}",
        f"Items: {len(items)}",
        f"Units: {len(draft.units)}",
    ]
    duties = duties_by_unit(draft.to_dict())
    lines += [
        f"  {unit.name} [{unit.kind}]" + _parent(unit.parent) + f": {len(duties[unit.name])} duties"
        for unit in draft.units
    ]
    if draft.positions:
        lines.append(f"Positions: {len(draft.positions)}")
        lines += [f"  {position.name} ← {position.unit}" for position in draft.positions]
    duty_articles = [article for article in draft.articles if article.unit]
    lines.append(f"Articles listing a unit's duties: {len(duty_articles)}")
    lines += [f"  MADDE {article.number} → {article.unit}" for article in duty_articles]
    if draft.warnings:
        lines.append(f"Warnings: {len(draft.warnings)}")
        lines += [f"  {note_text(warning)}" for warning in draft.warnings]
    lines.append("Nothing was saved: review and confirm the draft on the review screen.")
    return "\n".join(lines)


def _parent(parent: str | None) -> str:
    return f" ← {parent}" if parent else ""
