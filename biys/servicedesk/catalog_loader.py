"""Each preset's service catalogue, as data: ``biys/servicedesk/catalogs/<slug>.yaml``.

A catalogue is written from the same regulation as its department preset
(``biys/org/presets/<slug>.yaml``) and loaded after it::

    slug: odunpazari
    helpdesk_unit: "Teknik Destek Birimi"  # its queue assigns to the least-loaded technician
    items:
      - name: "Bilgisayar arızası"           # unique; the key of the upsert
        kind: fault                          # fault|request|access|esignature|event|alert
        duty: "MADDE 10 (1) c"               # Duty.reference in the preset's regulation
        unit: "..."                          # optional: another IT unit than the duty's
        description: "..."
        keywords: "bilgisayar açılmıyor, mavi ekran"   # the words requesters use
        requires_approval: false
        requires_asset: true                 # hardware: asks for the inventoried device
        default_impact: 3                    # 1 high, 2 medium, 3 low
        default_urgency: 2
        round_the_clock: false               # SLA runs 24h (a duty team serves it)
        form_fields: [{name, label, type: text|textarea|choice|date|number, required, choices}]
        sla: {critical: {first_response: 15, resolution: 120}}   # optional, per priority
        examples: ["Bilgisayarım açılmıyor"] # subjects requesters write (demo data, tests)
    alert_routes: [{label: team, value: network, item: "İzleme sistemi alarmı"}]
    knowledge:                               # a shared article of defaults.yaml, or a full one
      - {use: vpn-baglantisi, unit: "...", items: ["VPN erişim talebi"]}
      - {title, unit, public, keywords, body, items}
    recurring: [{title, item, recurrence: monthly|quarterly|yearly|weekly, description, unit}]

``defaults.yaml`` holds the default SLA targets per priority, per-item overrides by name and
the shared knowledge articles. Personal data (TC kimlik no) is never asked in a form field:
the requester's person record carries it.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from django.utils import timezone

from biys.core import changelog
from biys.org.models import Duty, Person, Regulation, Unit
from biys.servicedesk.choices import AssignmentRule, Level, Priority, Recurrence, TicketKind
from biys.servicedesk.models import (
    AlertRoute,
    CatalogItem,
    KnowledgeArticle,
    Queue,
    RecurringTicket,
    SLATarget,
)

CATALOGS_DIR = Path(__file__).resolve().parent / "catalogs"
DEFAULTS_FILE = CATALOGS_DIR / "defaults.yaml"

PRIORITY_KEYS = {
    "critical": Priority.CRITICAL,
    "high": Priority.HIGH,
    "medium": Priority.MEDIUM,
    "low": Priority.LOW,
}
FIELD_TYPES = {"text", "textarea", "choice", "date", "number"}
ITEM_KEYS = {
    "name",
    "kind",
    "duty",
    "unit",
    "description",
    "keywords",
    "requires_approval",
    "requires_asset",
    "default_impact",
    "default_urgency",
    "round_the_clock",
    "form_fields",
    "sla",
    "examples",
}
TOP_LEVEL_KEYS = {"slug", "helpdesk_unit", "items", "alert_routes", "knowledge", "recurring"}
# KVKK: the person record carries the identity number; a free form field must not collect it.
PERSONAL_ID_FIELD = re.compile(r"tc|kimlik|identity", re.IGNORECASE)


class CatalogError(Exception):
    pass


@dataclass
class CatalogLoadResult:
    slug: str
    items: int = 0
    created: int = 0
    updated: int = 0
    sla_targets: int = 0
    queues_created: int = 0
    knowledge_articles: int = 0
    recurring_tickets: int = 0
    alert_routes: int = 0
    deactivated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# --- reading and validating -----------------------------------------------------------------


def catalog_slugs() -> list[str]:
    return sorted(path.stem for path in CATALOGS_DIR.glob("*.yaml") if path != DEFAULTS_FILE)


@cache
def _read(path: Path, mtime: float) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def read_catalog(slug: str) -> dict:
    path = CATALOGS_DIR / f"{slug}.yaml"
    if path == DEFAULTS_FILE or not path.is_file():
        valid = ", ".join(catalog_slugs()) or "none"
        raise CatalogError(f"No service catalogue for preset {slug!r}. Catalogues: {valid}.")
    return _read(path, path.stat().st_mtime)


def read_defaults() -> dict:
    return _read(DEFAULTS_FILE, DEFAULTS_FILE.stat().st_mtime)


def _validate_sla(spec, where: str, problems: list[str]) -> None:
    if not isinstance(spec, dict):
        problems.append(f"{where}: SLA targets must be a mapping of priorities")
        return
    for key, target in spec.items():
        if key not in PRIORITY_KEYS:
            problems.append(f"{where}: unknown priority {key!r}")
            continue
        minutes = [target.get(name) for name in ("first_response", "resolution")]
        if not all(isinstance(value, int) and value > 0 for value in minutes):
            problems.append(f"{where} {key}: first_response and resolution must be minutes > 0")
        elif minutes[0] > minutes[1]:
            problems.append(f"{where} {key}: first response is due after resolution")


def _validate_form_fields(fields, where: str, problems: list[str]) -> None:
    if not isinstance(fields, list):
        problems.append(f"{where}: form_fields must be a list")
        return
    names = [spec.get("name") for spec in fields if isinstance(spec, dict)]
    if len(names) != len(set(names)):
        problems.append(f"{where}: form field names used more than once")
    for spec in fields:
        if not isinstance(spec, dict) or not spec.get("name") or not spec.get("label"):
            problems.append(f"{where}: a form field needs a name and a label: {spec!r}")
            continue
        if spec.get("type") not in FIELD_TYPES:
            problems.append(
                f"{where}: field {spec['name']!r} has unknown type {spec.get('type')!r}"
            )
        if spec.get("type") == "choice" and not spec.get("choices"):
            problems.append(f"{where}: choice field {spec['name']!r} has no choices")
        if PERSONAL_ID_FIELD.search(f"{spec['name']} {spec['label']}"):
            problems.append(
                f"{where}: field {spec['name']!r} asks for a personal identity number; "
                "the requester's person record carries it"
            )


def _validate_item(item, problems: list[str]) -> None:
    where = f"item {item.get('name')!r}"
    if not item.get("name"):
        problems.append(f"an item without a name: {item!r}")
    extra = set(item) - ITEM_KEYS
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    if item.get("kind") not in TicketKind.values:
        problems.append(f"{where}: unknown kind {item.get('kind')!r}")
    if not item.get("duty"):
        problems.append(f"{where}: no duty cited")
    for key in ("default_impact", "default_urgency"):
        if item.get(key, Level.LOW) not in Level.values:
            problems.append(f"{where}: {key} must be 1, 2 or 3")
    _validate_form_fields(item.get("form_fields") or [], where, problems)
    if "sla" in item:
        _validate_sla(item["sla"], where, problems)


def validate_catalog(data, defaults: dict | None = None) -> list[str]:
    """Problems that make a catalogue unusable, found without the database."""
    if not isinstance(data, dict):
        return ["a catalogue is a mapping"]
    defaults = read_defaults() if defaults is None else defaults
    problems: list[str] = []
    extra = set(data) - TOP_LEVEL_KEYS
    if extra:
        problems.append(f"unknown keys: {sorted(extra)}")
    items = data.get("items") or []
    names = [item.get("name") for item in items if isinstance(item, dict)]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        problems.append(f"item names used more than once: {duplicates}")
    for item in items:
        if isinstance(item, dict):
            _validate_item(item, problems)
        else:
            problems.append(f"an item must be a mapping: {item!r}")
    known = set(names)
    library = defaults.get("knowledge_library") or {}
    for article in data.get("knowledge") or []:
        title = article.get("title") or article.get("use")
        if "use" in article and article["use"] not in library:
            problems.append(f"knowledge {title!r}: not in the shared library")
        if "use" not in article and not (article.get("title") and article.get("body")):
            problems.append(f"knowledge {title!r}: needs a title and a body")
        for name in article.get("items") or []:
            if name not in known:
                problems.append(f"knowledge {title!r}: unknown item {name!r}")
    for spec in data.get("recurring") or []:
        if spec.get("item") not in known:
            problems.append(f"recurring {spec.get('title')!r}: unknown item {spec.get('item')!r}")
        if spec.get("recurrence") not in Recurrence.values:
            problems.append(f"recurring {spec.get('title')!r}: unknown recurrence")
    for route in data.get("alert_routes") or []:
        if route.get("item") not in known:
            problems.append(f"alert route {route.get('value')!r}: unknown item")
    _validate_sla(defaults.get("targets") or {}, "defaults", problems)
    return problems


# --- loading --------------------------------------------------------------------------------


def _differs(instance, name: str, value) -> bool:
    model_field = instance._meta.get_field(name)
    if model_field.is_relation:
        return getattr(instance, model_field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def top_it_unit() -> Unit | None:
    """The IT department itself: the IT unit whose parent (the municipality, if any) is not IT."""
    return (
        Unit.objects.filter(is_it_department=True)
        .exclude(parent__is_it_department=True)
        .order_by("path")
        .first()
    )


def first_day_of_next_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


class _Loader:
    def __init__(self, slug: str, data: dict, defaults: dict):
        self.slug, self.data, self.defaults = slug, data, defaults
        self.result = CatalogLoadResult(slug=slug)

    def upsert(self, instance, *, count: bool = False, **values):
        """Save only what changed, so that loading again writes nothing to the change log."""
        changed = [name for name, value in values.items() if _differs(instance, name, value)]
        for name in changed:
            setattr(instance, name, values[name])
        if instance.pk is None:
            instance.save()
            if count:
                self.result.created += 1
        elif changed:
            instance.save()
            if count:
                self.result.updated += 1
        return instance

    # resolution against the loaded preset

    def regulation(self) -> Regulation:
        from biys.org.presets import PresetError, read_preset

        try:
            title = read_preset(self.slug)["regulation"]["title"]
        except PresetError as error:
            raise CatalogError(str(error)) from error
        regulation = Regulation.objects.filter(title=title).order_by("pk").first()
        if regulation is None:
            raise CatalogError(
                f"The regulation of preset {self.slug!r} is not loaded; load the preset first "
                f"(biys preset load {self.slug})."
            )
        return regulation

    def resolve(self, regulation: Regulation) -> dict[str, tuple[Duty, Unit]]:
        duties = {
            duty.reference: duty
            for duty in Duty.objects.filter(paragraph__article__regulation=regulation)
            .select_related("unit")
            .order_by("pk")
        }
        it_units = {unit.name: unit for unit in Unit.objects.filter(is_it_department=True)}
        resolved, problems = {}, []
        for item in self.data.get("items") or []:
            duty = duties.get(item["duty"])
            if duty is None:
                problems.append(
                    f"catalogue {self.slug}: item {item['name']!r} cites {item['duty']!r}, "
                    f"which is not a duty of {regulation.title!r}"
                )
                continue
            unit = duty.unit
            if item.get("unit"):
                unit = it_units.get(item["unit"])
                if unit is None:
                    problems.append(
                        f"catalogue {self.slug}: item {item['name']!r} names unit "
                        f"{item['unit']!r}, which is not an IT unit"
                    )
                    continue
            resolved[item["name"]] = (duty, unit)
        if problems:
            raise CatalogError("\n".join(problems))
        return resolved

    def unit(self, name: str, where: str) -> Unit:
        unit = Unit.objects.filter(name=name, is_it_department=True).order_by("pk").first()
        if unit is None:
            raise CatalogError(f"catalogue {self.slug}: {where} names unknown IT unit {name!r}")
        return unit

    # writes

    def items(self, resolved) -> dict[str, CatalogItem]:
        items = {}
        for order, spec in enumerate(self.data.get("items") or []):
            duty, unit = resolved[spec["name"]]
            existing = CatalogItem.objects.filter(name=spec["name"]).order_by("pk").first()
            items[spec["name"]] = self.upsert(
                existing or CatalogItem(),
                count=True,
                name=spec["name"],
                kind=spec["kind"],
                description=spec.get("description", ""),
                unit=unit,
                duty=duty,
                keywords=spec.get("keywords", ""),
                form_fields=spec.get("form_fields") or [],
                requires_approval=bool(spec.get("requires_approval", False)),
                requires_asset=bool(spec.get("requires_asset", False)),
                default_impact=spec.get("default_impact", Level.LOW),
                default_urgency=spec.get("default_urgency", Level.MEDIUM),
                round_the_clock=bool(spec.get("round_the_clock", False)),
                is_active=True,
                order=(order + 1) * 10,
            )
        self.result.items = len(items)
        # Items of a department loaded before (with --replace) point at retired units.
        for item in CatalogItem.objects.filter(is_active=True, unit__is_active=False):
            self.upsert(item, is_active=False)
            self.result.deactivated.append(item.name)
        return items

    def sla_target(self, item: CatalogItem | None, key: str, target: dict) -> None:
        existing = SLATarget.objects.filter(
            catalog_item=item, priority=PRIORITY_KEYS[key]
        ).first() or SLATarget(catalog_item=item, priority=PRIORITY_KEYS[key])
        self.upsert(
            existing,
            first_response_minutes=target["first_response"],
            resolution_minutes=target["resolution"],
            warn_before_percent=self.defaults.get("warn_before_percent", 80),
        )
        self.result.sla_targets += 1

    def sla_targets(self, items: dict[str, CatalogItem]) -> None:
        for key, target in (self.defaults.get("targets") or {}).items():
            self.sla_target(None, key, target)
        overrides = self.defaults.get("overrides") or {}
        for spec in self.data.get("items") or []:
            targets = {**overrides.get(spec["name"], {}), **(spec.get("sla") or {})}
            for key, target in targets.items():
                self.sla_target(items[spec["name"]], key, target)

    def queues(self) -> None:
        helpdesk = self.data.get("helpdesk_unit")
        if helpdesk:
            self.unit(helpdesk, "helpdesk_unit")
        for unit in Unit.objects.filter(is_it_department=True, is_active=True).order_by("path"):
            rule = AssignmentRule.LEAST_LOADED if unit.name == helpdesk else AssignmentRule.MANUAL
            # An existing queue keeps the rule and members its administrators gave it.
            _queue, created = Queue.objects.get_or_create(
                unit=unit, defaults={"assignment_rule": rule}
            )
            self.result.queues_created += int(created)

    def alert_routes(self, items: dict[str, CatalogItem]) -> None:
        for order, spec in enumerate(self.data.get("alert_routes") or []):
            item = items[spec["item"]]
            label = spec.get("label", "team")
            existing = AlertRoute.objects.filter(label=label, value=spec["value"]).first()
            self.upsert(
                existing or AlertRoute(),
                label=label,
                value=spec["value"],
                unit=item.unit,
                catalog_item=item,
                order=order,
            )
            self.result.alert_routes += 1

    def knowledge(self, items: dict[str, CatalogItem]) -> None:
        library = self.defaults.get("knowledge_library") or {}
        for spec in self.data.get("knowledge") or []:
            article = {**library.get(spec.get("use"), {}), **spec}
            unit = self.unit(article["unit"], f"knowledge {article['title']!r}")
            existing = KnowledgeArticle.objects.filter(title=article["title"]).order_by("pk")
            instance = self.upsert(
                existing.first() or KnowledgeArticle(),
                title=article["title"],
                unit=unit,
                body=article["body"].strip(),
                is_public=bool(article.get("public", False)),
                keywords=article.get("keywords", ""),
            )
            wanted = {items[name].pk for name in article.get("items") or []}
            if set(instance.catalog_items.values_list("pk", flat=True)) != wanted:
                instance.catalog_items.set(wanted)
            self.result.knowledge_articles += 1

    def recurring_requester(self, unit: Unit) -> Person | None:
        top = top_it_unit()
        manager = top.manager_position.holder if top and top.manager_position else None
        return (
            manager
            or unit.people.filter(status="active").order_by("sort_name").first()
            or (top.people.order_by("sort_name").first() if top else None)
        )

    def recurring(self, items: dict[str, CatalogItem]) -> None:
        for spec in self.data.get("recurring") or []:
            item = items[spec["item"]]
            unit = self.unit(spec["unit"], "recurring") if spec.get("unit") else item.unit
            existing = RecurringTicket.objects.filter(title=spec["title"]).order_by("pk").first()
            requester = existing.requester if existing else self.recurring_requester(unit)
            if requester is None:
                self.result.skipped.append(
                    f"recurring ticket {spec['title']!r}: nobody works in {unit} yet; "
                    "load the catalogue again once people are added"
                )
                continue
            self.upsert(
                existing or RecurringTicket(next_run=first_day_of_next_month()),
                catalog_item=item,
                title=spec["title"],
                description=spec.get("description", ""),
                responsible_unit=unit,
                requester=requester,
                recurrence=spec["recurrence"],
            )
            self.result.recurring_tickets += 1

    def run(self) -> CatalogLoadResult:
        problems = validate_catalog(self.data, self.defaults)
        if problems:
            raise CatalogError(f"catalogue {self.slug}:\n" + "\n".join(problems))
        resolved = self.resolve(self.regulation())
        items = self.items(resolved)
        self.sla_targets(items)
        self.queues()
        self.alert_routes(items)
        self.knowledge(items)
        self.recurring(items)
        return self.result


@changelog.batched
def load_catalog(slug: str) -> CatalogLoadResult:
    """Create or update the service catalogue of a loaded preset: items citing their duties,
    SLA targets, a queue per IT unit, alert routes, knowledge articles and recurring tickets.
    Loading again changes only what the catalogue files changed."""
    return _Loader(slug, read_catalog(slug), read_defaults()).run()


def preset_catalog_summary(slug: str) -> str:
    """Loads the service catalogue shipped for a preset, as part of loading the preset."""
    if slug not in catalog_slugs():
        return f"No service catalogue ships for {slug}."
    result = load_catalog(slug)
    return (
        f"Service catalogue: {result.items} items, {result.sla_targets} SLA targets, "
        f"{result.knowledge_articles} knowledge articles, {result.queues_created} new queues."
    )
