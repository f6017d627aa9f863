"""Frameworks as data: what a framework file holds, read into plain structures that
``services.load_framework`` writes.

Two readers exist: ``read_json`` for the documented ``biys-framework/1`` format (ISO/IEC
27001:2022's identifiers ship in it; any other framework can be added the same way, see
docs/bgys-frameworks.md) and ``biys.bgys.guide.read_guide`` for the national guide's own
Markdown. ``SHIPPED`` names the frameworks ``biys frameworks load SLUG`` knows.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

DATA_DIR = Path(__file__).resolve().parent / "data"
FORMAT = "biys-framework/1"
NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,19}$")


@dataclass
class MeasureData:
    number: str
    title: str = ""
    text: str = ""
    level: int | None = None


@dataclass
class SectionData:
    number: str
    title: str = ""
    depth: int = 1
    parent: str | None = None
    measures: list[MeasureData] = field(default_factory=list)


@dataclass
class QuestionData:
    number: int
    dimension: str
    text: str
    choices: list[dict]  # {"letter", "text", "score"}


@dataclass
class AssetGroupData:
    number: int
    name: str
    section: str | None = None  # number of the section of measures written for the group


@dataclass
class FrameworkData:
    slug: str
    version: str
    name: str
    publisher: str = ""
    licence: str = ""
    attribution: str = ""
    source_url: str = ""
    source_sha256: str = ""
    local_texts: bool = False
    sections: list[SectionData] = field(default_factory=list)
    asset_groups: list[AssetGroupData] = field(default_factory=list)
    questions: list[QuestionData] = field(default_factory=list)

    @property
    def measures(self) -> list[MeasureData]:
        return [measure for section in self.sections for measure in section.measures]


def _sections_from_json(items, parent, depth, out, errors, path) -> None:
    for index, item in enumerate(items or []):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: not an object")
            continue
        number = str(item.get("number", ""))
        if not NUMBER.match(number):
            errors.append(f"{where}: bad number {number!r}")
            continue
        section = SectionData(number, str(item.get("title", "")), depth, parent)
        for m_index, raw in enumerate(item.get("measures") or []):
            m_where = f"{where}.measures[{m_index}]"
            m_number = str(raw.get("number", "")) if isinstance(raw, dict) else ""
            if not NUMBER.match(m_number):
                errors.append(f"{m_where}: bad number {m_number!r}")
                continue
            level = raw.get("level")
            if level not in (None, 1, 2, 3):
                errors.append(f"{m_where}: level must be 1, 2, 3 or null")
                continue
            section.measures.append(
                MeasureData(m_number, str(raw.get("title", "")), str(raw.get("text", "")), level)
            )
        out.append(section)
        _sections_from_json(item.get("sections"), number, depth + 1, out, errors, where)


def read_json(content: bytes) -> FrameworkData:
    """A ``biys-framework/1`` file; every problem is reported at once."""
    try:
        raw = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(f"not a JSON file: {error}") from error
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ValidationError(f'the file does not declare "format": "{FORMAT}"')
    errors = []
    for key in ("slug", "version", "name"):
        if not str(raw.get(key, "")).strip():
            errors.append(f"{key} is missing")
    sections: list[SectionData] = []
    _sections_from_json(raw.get("sections"), None, 1, sections, errors, "sections")
    groups = [
        AssetGroupData(int(item["number"]), str(item["name"]), item.get("section"))
        for item in raw.get("asset_groups") or []
    ]
    questions = [
        QuestionData(int(q["number"]), str(q.get("dimension", "")), str(q["text"]), q["choices"])
        for q in raw.get("questions") or []
    ]
    data = FrameworkData(
        slug=str(raw.get("slug", "")),
        version=str(raw.get("version", "")),
        name=str(raw.get("name", "")),
        publisher=str(raw.get("publisher", "")),
        licence=str(raw.get("licence", "")),
        attribution=str(raw.get("attribution", "")),
        source_url=str(raw.get("source_url", "")),
        source_sha256=hashlib.sha256(content).hexdigest(),
        local_texts=bool(raw.get("local_texts", False)),
        sections=sections,
        asset_groups=groups,
        questions=questions,
    )
    errors += check(data)
    if errors:
        raise ValidationError(errors)
    return data


def check(data: FrameworkData) -> list[str]:
    """What any framework must satisfy, whatever file it came from."""
    errors = []
    numbers = [section.number for section in data.sections]
    if len(numbers) != len(set(numbers)):
        errors.append("a section number appears twice")
    measures = [measure.number for measure in data.measures]
    if len(measures) != len(set(measures)):
        errors.append("a measure number appears twice")
    known = set(numbers)
    for group in data.asset_groups:
        if group.section and group.section not in known:
            errors.append(f"asset group {group.number}: no section {group.section}")
    for question in data.questions:
        letters = [choice.get("letter") for choice in question.choices]
        if not letters or len(letters) != len(set(letters)):
            errors.append(f"question {question.number}: choices need distinct letters")
        if any(not isinstance(choice.get("score"), int) for choice in question.choices):
            errors.append(f"question {question.number}: every choice needs a whole score")
    return errors


@dataclass(frozen=True)
class Shipped:
    slug: str
    filename: str
    description: str

    @property
    def path(self) -> Path:
        return DATA_DIR / self.filename

    def read(self) -> FrameworkData:
        content = self.path.read_bytes()
        if self.filename.endswith(".md"):
            from biys.bgys.guide import read_guide

            return read_guide(content)
        return read_json(content)


SHIPPED = {
    shipped.slug: shipped
    for shipped in (
        Shipped(
            "bilgi-ve-iletisim-guvenligi-rehberi",
            "bilgi-ve-iletisim-guvenligi-rehberi-2020.md",
            "Bilgi ve İletişim Güvenliği Rehberi 2020/1.0 (CBDDO, CC BY 4.0)",
        ),
        Shipped(
            "iso-iec-27001",
            "iso-iec-27001-2022.json",
            "ISO/IEC 27001:2022 clauses 4-10 and Annex A controls (identifiers only)",
        ),
    )
}
GUIDE_SLUG = "bilgi-ve-iletisim-guvenligi-rehberi"
