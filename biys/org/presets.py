"""Department presets: a municipality's IT department as its regulation defines it, as data.

A preset is a YAML file in ``biys/org/presets/`` (``<slug>.yaml``) written from one regulation's
plain text (``biys/org/presets/regulations/<source>``) and checked by hand against it::

    slug: odunpazari
    source: odunpazari.txt
    municipality: {name: "Odunpazarı Belediyesi", kind: ilce, detsis_no: ""}
    regulation:
      title: "..."                      # exactly as in the text
      council_decision_no: "..."        # "" when the text does not say
      council_decision_date: 2019-12-02 # or null
      effective_date: null
      repeals: "..."                    # the repealed regulation as the text names it, or ""
    units:                              # the IT department tree exactly as the regulation names it
      - name: "Bilgi İşlem Müdürlüğü"
        kind: mudurluk                  # daire_baskanligi|mudurluk|sube_mudurlugu|seflik|birim
        children:
          - {name: "...", kind: birim}
    requester_units:                    # the municipality's other units that request services
      - {name: "Fen İşleri Müdürlüğü", kind: mudurluk}
    articles:                           # every article of the regulation, in order
      - number: 1
        heading: "Amaç"
        part: "BİRİNCİ BÖLÜM ..."       # the BÖLÜM heading it falls under, or ""
        paragraphs:
          - number: 1                   # null when the article has no numbered paragraphs
            text: "verbatim lead-in"
            unit: "..."                 # optional: responsible unit of this paragraph's items
            closing: "..."              # optional: verbatim text that follows the items
            items:
              - {label: "a", text: "verbatim item", unit: "...", note: "..."}  # unit, note optional

Every item of an article that gives a unit duties resolves to exactly one unit of ``units``
(its own ``unit`` or its paragraph's); items of other articles carry no unit. A paragraph with a
``unit`` and no items is itself one duty. ``label`` is the item's letter as the regulation means
it ("" for an unlabelled bullet); where the text's letter is garbled (``1)`` for ``ı)``, a
repeated ``i)``) the preset carries the intended letter and says so in ``note``.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from biys.core import changelog
from biys.core.text import turkish_lower
from biys.org.categories import tag_duties
from biys.org.choices import MunicipalityKind, UnitKind
from biys.org.models import (
    Article,
    Duty,
    Municipality,
    Paragraph,
    Position,
    Regulation,
    Title,
    Unit,
)

PRESETS_DIR = Path(__file__).resolve().parent / "presets"
REGULATIONS_DIR = PRESETS_DIR / "regulations"

MANAGER_TITLES = {
    UnitKind.BELEDIYE: "Belediye Başkanı",
    UnitKind.DAIRE_BASKANLIGI: "Daire Başkanı",
    UnitKind.MUDURLUK: "Müdür",
    UnitKind.SUBE_MUDURLUGU: "Şube Müdürü",
    UnitKind.SEFLIK: "Şef",
    UnitKind.BIRIM: "Birim Sorumlusu",
}

# Lines the source texts repeat on every page (council decision stamps, page numbers).
FOOTER_LINES = (
    re.compile(
        r"^Büyükşehir Belediye Meclisi\w* \d{2}/\d{2}/\d{4} tarihli ve \d+ sayılı kararının ekidir\.$"
    ),
    re.compile(r"^\d{2}\.\d{2}\.\d{4} tarihli ve \d+ Sayılı Meclis Kararı ekidir\.$"),
    re.compile(r"^\d{1,3}$"),
)
# Word-processor leftovers inside lines, and a mis-encoded ğ.
LIST_BULLET = re.compile(r"^\s*-\s+")
INLINE_ARTEFACTS = (re.compile(r"\[bookmark: [^\]]*\]"), re.compile(r"\*\*"))
CHARACTER_FIXES = str.maketrans({"đ": "ğ", "Đ": "Ğ", "\u00a0": " ", "\t": " "})

ARTICLE_START = re.compile(r"^\s*(?:MADDE|Madde)\s*(\d+)\s*[-–—]", re.MULTILINE)
LABEL = re.compile(r"^(?:([a-zçğıöşü])\1?|\d{1,2})?$")
TOP_LEVEL_KEYS = {
    "slug",
    "source",
    "municipality",
    "regulation",
    "units",
    "requester_units",
    "articles",
}


class PresetError(Exception):
    pass


@dataclass(frozen=True)
class PresetInfo:
    slug: str
    municipality: str
    units: int
    duties: int


@dataclass
class LoadResult:
    slug: str
    municipality: Municipality
    regulation: Regulation
    units: int = 0
    requester_units: int = 0
    articles: int = 0
    duties: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    deactivated: list[str] = field(default_factory=list)
    extensions: list[str] = field(default_factory=list)


# Modules that ship per-preset data (the service desk's catalogue) register a loader here; it runs
# in the same transaction after the organisation is loaded and returns a one-line summary.
_preset_extensions: list = []


def register_preset_extension(loader) -> None:
    """``loader(slug) -> str``; registered from an app's ``ready()``."""
    if loader not in _preset_extensions:
        _preset_extensions.append(loader)


# --- text -----------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """One line, single spaces, without the artefacts of the texts' conversion to plain text."""
    for artefact in INLINE_ARTEFACTS:
        text = artefact.sub("", text)
    return " ".join(text.translate(CHARACTER_FIXES).split())


def strip_footers(text: str, *, keep_bullets: bool = False) -> str:
    """The text without its page footers and, unless ``keep_bullets``, without the list bullets
    (``- a) ...``) that the conversion to plain text put before items."""
    return "\n".join(
        line if keep_bullets else LIST_BULLET.sub("", line)
        for line in text.splitlines()
        if not any(pattern.match(line.strip()) for pattern in FOOTER_LINES)
    )


@cache
def regulation_source(source: str) -> str:
    path = REGULATIONS_DIR / source
    if not path.is_file():
        raise PresetError(f"Regulation text {source!r} is not in {REGULATIONS_DIR}.")
    return path.read_text(encoding="utf-8")


@cache
def normalized_regulation(source: str, *, keep_bullets: bool = False) -> str:
    """The whole regulation as one normalised line, to check preset texts against."""
    return normalize_text(strip_footers(regulation_source(source), keep_bullets=keep_bullets))


def article_numbers_in_text(source: str) -> list[int]:
    """The numbers of the ``MADDE n-`` headings that start a line, in the order they appear."""
    return [int(n) for n in ARTICLE_START.findall(strip_footers(regulation_source(source)))]


# --- reading and validating -----------------------------------------------------------------


def preset_paths() -> dict[str, Path]:
    """The preset files by slug: the YAML files of the directory that declare their own slug
    (other data lives beside them, e.g. ``categories.yaml``)."""
    return {
        path.stem: path
        for path in sorted(PRESETS_DIR.glob("*.yaml"))
        if re.search(rf"^slug: *{re.escape(path.stem)} *$", path.read_text("utf-8"), re.MULTILINE)
    }


@cache
def _read(path: Path, mtime: float) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def read_preset(slug: str) -> dict:
    paths = preset_paths()
    if slug not in paths:
        valid = ", ".join(paths) or "none"
        raise PresetError(f"Unknown preset {slug!r}. Valid presets: {valid}.")
    path = paths[slug]
    return _read(path, path.stat().st_mtime)


def iter_units(units: list[dict], parent: dict | None = None):
    """(unit, parent) pairs of a preset's unit tree, parents first."""
    for unit in units or []:
        yield unit, parent
        yield from iter_units(unit.get("children") or [], unit)


def iter_items(data: dict):
    """(article, paragraph, item) for every item of every article."""
    for article in data.get("articles") or []:
        for paragraph in article.get("paragraphs") or []:
            for item in paragraph.get("items") or []:
                yield article, paragraph, item


def iter_duties(data: dict):
    """(article, paragraph, item or None, unit name) for every duty of a preset."""
    for article in data.get("articles") or []:
        for paragraph in article.get("paragraphs") or []:
            items = paragraph.get("items") or []
            if not items and paragraph.get("unit"):
                yield article, paragraph, None, paragraph["unit"]
            for item in items:
                unit = item.get("unit") or paragraph.get("unit")
                if unit:
                    yield article, paragraph, item, unit


def count_duties(data: dict) -> int:
    return sum(1 for _ in iter_duties(data))


def _check_text(value, where: str, problems: list[str], *, allow_empty: bool = True) -> None:
    if not isinstance(value, str):
        problems.append(f"{where}: text must be a string")
    elif not value and not allow_empty:
        problems.append(f"{where}: text is empty")
    elif value != normalize_text(value):
        problems.append(f"{where}: text is not normalised (spaces, line breaks, artefacts)")


def _validate_units(data: dict, problems: list[str]) -> set[str]:
    kinds = set(UnitKind.values)
    names: list[str] = []
    if not data.get("units"):
        problems.append("units: the IT department tree is empty")
    if len(data.get("units") or []) != 1:
        problems.append("units: the IT department must have exactly one top unit")
    for unit, _parent in iter_units(data.get("units")):
        if not isinstance(unit, dict) or not unit.get("name"):
            problems.append(f"units: a unit without a name: {unit!r}")
            continue
        names.append(unit["name"])
        if unit.get("kind") not in kinds:
            problems.append(f"units: {unit['name']}: unknown kind {unit.get('kind')!r}")
        extra = set(unit) - {"name", "kind", "children", "short_name"}
        if extra:
            problems.append(f"units: {unit['name']}: unknown keys {sorted(extra)}")
    it_units = set(names)
    requesters = data.get("requester_units") or []
    if not requesters:
        problems.append("requester_units: empty")
    for unit in requesters:
        names.append(unit.get("name"))
        if unit.get("kind") not in kinds:
            problems.append(f"requester_units: {unit.get('name')}: unknown kind")
        if unit.get("children"):
            problems.append(f"requester_units: {unit.get('name')}: requesters have no children")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        problems.append(f"units: names used more than once: {duplicates}")
    return it_units


def _validate_header(data: dict, problems: list[str]) -> None:
    missing = TOP_LEVEL_KEYS - set(data)
    if missing:
        problems.append(f"missing keys: {sorted(missing)}")
    extra = set(data) - TOP_LEVEL_KEYS
    if extra:
        problems.append(f"unknown keys: {sorted(extra)}")
    if not (REGULATIONS_DIR / str(data.get("source"))).is_file():
        problems.append(f"source: {data.get('source')!r} is not in {REGULATIONS_DIR}")
    municipality = data.get("municipality") or {}
    if not municipality.get("name"):
        problems.append("municipality: name missing")
    if municipality.get("kind") not in MunicipalityKind.values:
        problems.append(f"municipality: unknown kind {municipality.get('kind')!r}")
    detsis = municipality.get("detsis_no") or ""
    if detsis and not re.fullmatch(r"\d{8}", str(detsis)):
        problems.append("municipality: a DETSİS number has 8 digits")
    regulation = data.get("regulation") or {}
    if not regulation.get("title"):
        problems.append("regulation: title missing")
    for key in ("council_decision_no", "repeals"):
        if not isinstance(regulation.get(key), str):
            problems.append(f'regulation: {key} must be a string ("" when unknown)')
    for key in ("council_decision_date", "effective_date"):
        if key not in regulation:
            problems.append(f"regulation: {key} missing (null when unknown)")
        elif regulation[key] is not None and not isinstance(regulation[key], date):
            problems.append(f"regulation: {key} must be a date (YYYY-MM-DD) or null")


def _validate_articles(data: dict, it_units: set[str], problems: list[str]) -> None:
    articles = data.get("articles") or []
    if not articles:
        problems.append("articles: empty")
    numbers = [article.get("number") for article in articles]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"articles: numbers are not 1..n in order: {numbers}")
    for article in articles:
        where = f"MADDE {article.get('number')}"
        extra = set(article) - {"number", "heading", "part", "paragraphs"}
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        _check_text(article.get("heading"), f"{where} heading", problems)
        _check_text(article.get("part", ""), f"{where} part", problems)
        paragraphs = article.get("paragraphs") or []
        if not paragraphs:
            problems.append(f"{where}: no paragraphs")
        gives_duties = any(
            paragraph.get("unit") or any(item.get("unit") for item in paragraph.get("items") or [])
            for paragraph in paragraphs
        )
        for paragraph in paragraphs:
            _validate_paragraph(paragraph, where, gives_duties, it_units, problems)


def _validate_paragraph(paragraph, where, gives_duties, it_units, problems) -> None:
    where = f"{where} ({paragraph.get('number')})" if paragraph.get("number") else where
    extra = set(paragraph) - {"number", "text", "unit", "closing", "items"}
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    if paragraph.get("number") is not None and not isinstance(paragraph["number"], int):
        problems.append(f"{where}: paragraph number must be an integer or null")
    items = paragraph.get("items") or []
    _check_text(paragraph.get("text"), f"{where} text", problems, allow_empty=bool(items))
    _check_text(paragraph.get("closing", ""), f"{where} closing", problems)
    if paragraph.get("unit") and paragraph["unit"] not in it_units:
        problems.append(f"{where}: unit {paragraph['unit']!r} is not in the units tree")
    labels = [item.get("label") for item in items]
    repeated = sorted({label for label in labels if label and labels.count(label) > 1})
    if repeated:
        problems.append(f"{where}: item labels used more than once: {repeated}")
    for item in items:
        item_where = f"{where} {item.get('label')}".rstrip()
        extra = set(item) - {"label", "text", "unit", "note"}
        if extra:
            problems.append(f"{item_where}: unknown keys {sorted(extra)}")
        if not isinstance(item.get("label"), str) or not LABEL.match(item["label"]):
            problems.append(f"{item_where}: bad label {item.get('label')!r}")
        _check_text(item.get("text"), f"{item_where} text", problems, allow_empty=False)
        unit = item.get("unit") or paragraph.get("unit")
        if item.get("unit") and item["unit"] not in it_units:
            problems.append(f"{item_where}: unit {item['unit']!r} is not in the units tree")
        if gives_duties and not unit:
            problems.append(f"{item_where}: a duty item without a responsible unit")


def validate_preset(data) -> list[str]:
    """Problems that make a preset unusable; an empty list when it is well-formed."""
    if not isinstance(data, dict):
        return ["a preset is a mapping"]
    problems: list[str] = []
    _validate_header(data, problems)
    it_units = _validate_units(data, problems)
    _validate_articles(data, it_units, problems)
    return problems


def available_presets() -> list[PresetInfo]:
    infos = []
    for slug in preset_paths():
        data = read_preset(slug)
        infos.append(
            PresetInfo(
                slug=slug,
                municipality=data["municipality"]["name"],
                units=sum(1 for _ in iter_units(data["units"])),
                duties=count_duties(data),
            )
        )
    return infos


# --- loading --------------------------------------------------------------------------------


class _Loader:
    def __init__(self, slug: str, data: dict, replace: bool):
        self.slug, self.data, self.replace = slug, data, replace
        self.created = self.updated = self.removed = 0
        self.units: dict[str, Unit] = {}
        self.titles: dict[str, Title] = {}

    def upsert(self, instance, **values):
        """Save only what changed, so a repeated load writes nothing to the change log."""
        changed = [name for name, value in values.items() if _differs(instance, name, value)]
        for name in changed:
            setattr(instance, name, values[name])
        if instance.pk is None:
            instance.save()
            self.created += 1
        elif changed:
            instance.save()
            self.updated += 1
        return instance

    def municipality(self) -> Municipality:
        spec = self.data["municipality"]
        municipality = Municipality.objects.order_by("pk").first() or Municipality()
        if municipality.preset and municipality.preset != self.slug and not self.replace:
            raise PresetError(
                f"The organisation was set up from preset {municipality.preset!r}; "
                f"loading {self.slug!r} over it needs --replace."
            )
        return self.upsert(
            municipality,
            name=spec["name"],
            kind=spec["kind"],
            detsis_no=str(spec.get("detsis_no") or "") or municipality.detsis_no,
            preset=self.slug,
        )

    def unit(self, spec: dict, parent: Unit | None, order: int, *, it: bool) -> Unit:
        existing = Unit.objects.filter(name=spec["name"]).order_by("-is_active", "pk").first()
        unit = self.upsert(
            existing or Unit(),
            name=spec["name"],
            short_name=spec.get("short_name", existing.short_name if existing else ""),
            kind=spec["kind"],
            parent=parent,
            is_it_department=it,
            order=order,
            is_active=True,
        )
        self.units[unit.name] = unit
        self.manager_position(unit)
        for child_order, child in enumerate(spec.get("children") or []):
            self.unit(child, unit, child_order, it=it)
        return unit

    def root(self, municipality: Municipality) -> Unit:
        """The municipality's own unit, renamed rather than replaced when the preset changes."""
        existing = Unit.objects.filter(kind=UnitKind.BELEDIYE, parent=None).order_by("pk").first()
        root = self.upsert(
            existing or Unit(),
            name=municipality.name,
            kind=UnitKind.BELEDIYE,
            parent=None,
            is_it_department=False,
            order=0,
            is_active=True,
        )
        self.units[root.name] = root
        self.manager_position(root)
        return root

    def title(self, name: str) -> Title:
        if name not in self.titles:
            title = Title.objects.filter(name=name).first()
            self.titles[name] = title or self.upsert(Title(), name=name)
        return self.titles[name]

    def manager_position(self, unit: Unit) -> None:
        title = self.title(MANAGER_TITLES[unit.kind])
        existing = unit.positions.filter(is_manager=True).order_by("pk").first()
        position = self.upsert(
            existing or Position(unit=unit),
            name=existing.name if existing else manager_position_name(unit.name, title.name),
            title=title,
            is_manager=True,
        )
        self.upsert(unit, manager_position=position)

    def regulation(self) -> Regulation:
        spec = self.data["regulation"]
        existing = Regulation.objects.filter(title=spec["title"]).order_by("pk").first()
        return self.upsert(
            existing or Regulation(),
            title=spec["title"],
            council_decision_no=spec["council_decision_no"],
            council_decision_date=spec["council_decision_date"],
            effective_date=spec["effective_date"],
            repeals=spec["repeals"],
            source_text=regulation_source(self.data["source"]),
            is_in_force=True,
        )

    def articles(self, regulation: Regulation) -> int:
        existing = {article.number: article for article in regulation.articles.all()}
        duties = 0
        for spec in self.data["articles"]:
            article = self.upsert(
                existing.pop(spec["number"], None) or Article(regulation=regulation),
                number=spec["number"],
                heading=spec.get("heading", ""),
                part=spec.get("part", ""),
                text=article_text(spec),
            )
            duties += self.paragraphs(article, spec.get("paragraphs") or [])
        self.removed += _delete(existing.values())
        return duties

    def paragraphs(self, article: Article, specs: list[dict]) -> int:
        existing = {paragraph.order: paragraph for paragraph in article.paragraphs.all()}
        duties = 0
        for order, spec in enumerate(specs):
            paragraph = self.upsert(
                existing.pop(order, None) or Paragraph(article=article),
                number=spec.get("number"),
                text=paragraph_text(spec),
                order=order,
            )
            duties += self.duties(paragraph, spec)
        self.removed += _delete(existing.values())
        return duties

    def duties(self, paragraph: Paragraph, spec: dict) -> int:
        existing = {duty.order: duty for duty in paragraph.duties.all()}
        items = spec.get("items") or []
        if not items and spec.get("unit"):
            items = [{"label": "", "text": paragraph.text, "unit": spec["unit"]}]
        count = 0
        for order, item in enumerate(items):
            unit_name = item.get("unit") or spec.get("unit")
            if not unit_name:
                continue
            self.upsert(
                existing.pop(order, None) or Duty(paragraph=paragraph),
                label=item["label"],
                text=item["text"],
                unit=self.units[unit_name],
                order=order,
            )
            count += 1
        self.removed += _delete(existing.values())
        return count

    def retire_other_units(self) -> list[str]:
        """With --replace: delete units the new preset does not have, or deactivate them."""
        keep = {unit.pk for unit in self.units.values()}
        deactivated = []
        for unit in Unit.objects.exclude(pk__in=keep).order_by("-depth", "-pk"):
            try:
                with transaction.atomic():
                    unit.delete()
                self.removed += 1
            except (ProtectedError, RestrictedError):
                self.upsert(unit, is_active=False)
                deactivated.append(unit.name)
        return deactivated

    def run(self) -> LoadResult:
        municipality = self.municipality()
        if self.replace:
            self.removed += _delete(
                Regulation.objects.exclude(title=self.data["regulation"]["title"])
            )
        # The municipality is the root of the tree: a role held over it with its sub-units holds
        # everywhere, for units added later too.
        root = self.root(municipality)
        top = self.data["units"]
        for order, spec in enumerate(top):
            self.unit(spec, root, order, it=True)
        it_count = len(self.units) - 1
        for order, spec in enumerate(self.data["requester_units"]):
            self.unit(spec, root, len(top) + order, it=False)
        deactivated = self.retire_other_units() if self.replace else []
        regulation = self.regulation()
        duties = self.articles(regulation)
        return LoadResult(
            slug=self.slug,
            municipality=municipality,
            regulation=regulation,
            units=it_count,
            requester_units=len(self.units) - it_count - 1,
            articles=len(self.data["articles"]),
            duties=duties,
            created=self.created,
            updated=self.updated,
            removed=self.removed,
            deactivated=deactivated,
        )


def _differs(instance, name: str, value) -> bool:
    field = instance._meta.get_field(name)
    if field.is_relation:  # compare keys: an unsaved object has no related object to read
        return getattr(instance, field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def _delete(instances) -> int:
    """Delete one by one, so that every deletion is change-logged."""
    removed = 0
    for instance in instances:
        instance.delete()
        removed += 1
    return removed


def manager_position_name(unit_name: str, title: str) -> str:
    """'Teknik Servis Şefliği' -> 'Teknik Servis Şefi'; 'Bilgi İşlem Dairesi Başkanlığı' ->
    'Bilgi İşlem Dairesi Başkanı'; otherwise the unit followed by the title."""
    for suffix, replacement in (
        ("Belediyesi", "Belediye Başkanı"),
        ("Başkanlığı", "Başkanı"),
        ("Müdürlüğü", "Müdürü"),
        ("Şefliği", "Şefi"),
        ("Birimi", "Birimi Sorumlusu"),
    ):
        # Regulations are not consistent about capitals ("İdari ve Mali İşler birimi").
        if turkish_lower(unit_name).endswith(turkish_lower(suffix)):
            return unit_name[: -len(suffix)] + replacement
    return f"{unit_name} {title}"


def paragraph_text(spec: dict) -> str:
    return spec.get("text") or ""


def article_text(spec: dict) -> str:
    """The article as one text: each paragraph, its items and its closing words on own lines."""
    lines = []
    for paragraph in spec.get("paragraphs") or []:
        lead = paragraph.get("text") or ""
        number = paragraph.get("number")
        lines.append(f"({number}) {lead}".rstrip() if number else lead)
        for item in paragraph.get("items") or []:
            label = item.get("label")
            lines.append(f"{label}) {item['text']}" if label else f"- {item['text']}")
        if paragraph.get("closing"):
            lines.append(paragraph["closing"])
    return "\n".join(line for line in lines if line)


def load_preset(slug: str, *, replace: bool = False) -> LoadResult:
    """Set up (or bring up to date) the municipality, its units and its regulation from a preset.

    Loading the same preset again changes nothing. ``replace`` loads a different preset over an
    organisation set up from another one: its other regulations are deleted, and its units that
    the new preset lacks are deleted, or deactivated when people or duties still refer to them.
    """
    data = read_preset(slug)
    problems = validate_preset(data)
    if problems:
        raise PresetError(f"Preset {slug!r} is invalid: " + "; ".join(problems))
    with changelog.batch():  # one transaction; change records sealed in batches
        result = _Loader(slug, data, replace).run()
        tag_duties(Duty.objects.filter(paragraph__article__regulation=result.regulation))
        result.extensions = [loader(slug) for loader in _preset_extensions]
        return result
