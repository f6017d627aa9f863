"""The application types shipped as data (``types/types.yaml``), loaded with a preset or by
``biys applications load-types``. A type already in the database (by code) keeps what an
administrator made of it; only a missing responsible unit is filled from the preset's duty."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction

from biys.applications.choices import IdentityRule, PeriodUnit
from biys.applications.models import ApplicationType
from biys.org.models import Duty, Unit

TYPES_FILE = Path(__file__).resolve().parent / "types" / "types.yaml"
KEYS = {
    "code", "name", "law", "legal_article", "period", "period_unit", "extended_period",
    "count_from_receipt_day", "channel_sets_period", "citations", "duties", "form_fields",
    "documents", "fee", "fee_note", "description", "public", "objection_period",
    "objection_type", "identity_number", "identity_ground",
}  # fmt: skip


class TypesError(ValueError):
    pass


@cache
def read_types() -> list[dict]:
    data = yaml.safe_load(TYPES_FILE.read_text(encoding="utf-8"))
    types, problems = data.get("types") or [], []
    codes = set()
    for spec in types:
        where = spec.get("code", "?")
        if set(spec) - KEYS:
            problems.append(f"{where}: unknown keys {sorted(set(spec) - KEYS)}")
        if spec.get("code") in codes:
            problems.append(f"{where}: code used twice")
        codes.add(spec.get("code"))
        if spec.get("period_unit", "days") not in PeriodUnit.values:
            problems.append(f"{where}: period_unit must be one of {PeriodUnit.values}")
        if spec.get("identity_number", IdentityRule.OPTIONAL) not in IdentityRule.values:
            problems.append(f"{where}: identity_number must be one of {IdentityRule.values}")
        if spec.get("objection_type") and spec["objection_type"] not in {
            other.get("code") for other in types
        }:
            problems.append(f"{where}: objection_type names no type of this file")
        if not spec.get("citations") or not spec.get("law"):
            problems.append(f"{where}: a type cites its law and the regulation's articles")
    if problems:
        raise TypesError("\n".join(problems))
    return types


def top_it_unit() -> Unit | None:
    """The department itself (the IT unit nearest the root)."""
    return Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk").first()


@dataclass
class LoadResult:
    created: int = 0
    units_set: int = 0


def _duty(preset: str | None, spec: dict) -> Duty | None:
    reference = (spec.get("duties") or {}).get(preset) if preset else None
    if not reference:
        return None
    from biys.org.presets import read_preset

    title = read_preset(preset)["regulation"]["title"]
    duty = (
        Duty.objects.filter(paragraph__article__regulation__title=title, reference=reference)
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    if duty is None:
        raise TypesError(f"type {spec['code']!r} cites {reference!r}, not a duty of {preset}")
    return duty


@transaction.atomic
def load_types(*, preset: str | None = None) -> LoadResult:
    result = LoadResult()
    fallback = top_it_unit()
    existing = {t.code: t for t in ApplicationType.objects.all()}
    created: list[dict] = []
    for spec in read_types():
        duty = _duty(preset, spec)
        unit = duty.unit if duty is not None and duty.unit_id else fallback
        application_type = existing.get(spec["code"])
        if application_type is None:
            fee = spec.get("fee")
            ApplicationType.objects.create(
                code=spec["code"],
                name=spec["name"],
                law=spec["law"],
                legal_article=spec.get("legal_article", ""),
                citations=spec["citations"],
                duty=duty,
                unit=unit,
                period=spec["period"],
                period_unit=spec.get("period_unit", PeriodUnit.DAYS),
                extended_period=spec.get("extended_period"),
                count_from_receipt_day=spec.get("count_from_receipt_day", False),
                channel_sets_period=spec.get("channel_sets_period", False),
                form_fields=spec.get("form_fields") or [],
                documents=spec.get("documents") or [],
                fee=Decimal(str(fee)) if fee is not None else None,
                fee_note=spec.get("fee_note", ""),
                description=spec.get("description", ""),
                public=spec.get("public", False),
                objection_period=spec.get("objection_period"),
                identity_number=spec.get("identity_number", IdentityRule.OPTIONAL),
                identity_ground=spec.get("identity_ground", ""),
            )
            result.created += 1
            created.append(spec)
        elif application_type.unit_id is None and unit is not None:
            application_type.unit, application_type.duty = unit, duty
            application_type.save(update_fields=["unit", "duty", "last_updated"])
            result.units_set += 1
    # A new type's objections are recorded as another type of the file (found by code).
    for spec in created:
        if spec.get("objection_type"):
            objection_type = ApplicationType.objects.filter(code=spec["objection_type"]).first()
            application_type = ApplicationType.objects.get(code=spec["code"])
            application_type.objection_type = objection_type
            application_type.save(update_fields=["objection_type", "last_updated"])
    return result


def preset_types_summary(slug: str) -> str:
    """Loads the application types as part of loading a preset."""
    result = load_types(preset=slug)
    return f"Application types: {result.created} new, {result.units_set} given a unit."
