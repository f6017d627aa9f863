"""Every write of the BGYS module: loading frameworks, entering the texts of a framework that
ships identifiers only, answering the criticality questionnaire, and the Statement of
Applicability.

Functions take keyword arguments only and run in one transaction; a refusal is a
``ValidationError`` naming the field (or ``PermissionDenied``), and nothing is half-written.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.bgys.frameworks import SHIPPED, FrameworkData
from biys.bgys.guide import criticality_level
from biys.bgys.models import (
    ApplicabilityEntry,
    Assessment,
    AssetGroup,
    Choice,
    Framework,
    InformationAsset,
    Measure,
    MeasureMapping,
    Methodology,
    Question,
    Risk,
    RiskStatus,
    Section,
    Threat,
    Vulnerability,
)
from biys.core import assets, changelog
from biys.core.access import can, can_add, check_save, get_scope


@dataclass
class LoadReport:
    framework: Framework
    created: bool
    sections: int = 0
    measures_added: int = 0
    measures_changed: int = 0
    measures_removed: int = 0
    kept: list[str] = field(default_factory=list)  # measures gone from the file but in use

    def as_dict(self) -> dict:
        return {
            "framework": str(self.framework),
            "created": self.created,
            "sections": self.sections,
            "measures_added": self.measures_added,
            "measures_changed": self.measures_changed,
            "measures_removed": self.measures_removed,
            "kept": self.kept,
        }


def _require_global(user, perm: str) -> None:
    """Framework data belongs to no unit: writing it needs the permission over every unit.
    ``user=None`` is the command line, run by whoever runs the installation."""
    if user is not None and not get_scope(user).has_perm(perm, None):
        raise PermissionDenied


@changelog.batched
def load_framework(*, data: FrameworkData, user=None) -> LoadReport:
    """Load (or reload) a framework version: sections, measures, asset groups and questions.
    A reload updates measures by number; a measure the file no longer has is removed unless the
    Statement of Applicability uses it (then it is kept and reported)."""
    _require_global(user, "bgys.add_framework")
    framework = Framework.objects.filter(slug=data.slug, version=data.version).first()
    created = framework is None
    framework = framework or Framework(slug=data.slug, version=data.version)
    for name in ("name", "publisher", "licence", "attribution", "source_url", "source_sha256"):
        setattr(framework, name, getattr(data, name))
    framework.local_texts = data.local_texts
    framework.loaded_at = timezone.now()
    framework.full_clean()
    framework.save()
    report = LoadReport(framework, created)

    # Sections: by number, parents before children (the file's order).
    sections = {section.number: section for section in framework.sections.all()}
    for position, item in enumerate(data.sections):
        section = sections.get(item.number) or Section(framework=framework, number=item.number)
        parent = sections.get(item.parent) if item.parent else None
        changed = (
            section.pk is None
            or section.title != item.title
            or section.depth != item.depth
            or section.parent_id != (parent.pk if parent else None)
            or section.position != position
        )
        section.title, section.depth, section.parent, section.position = (
            item.title,
            item.depth,
            parent,
            position,
        )
        if changed:
            section.save()
        sections[item.number] = section
    report.sections = len(data.sections)

    # Measures: bulk, by number.
    existing = {measure.number: measure for measure in framework.measures.all()}
    new, changed = [], []
    position = 0
    for item in data.sections:
        for measure_data in item.measures:
            position += 1
            measure = existing.pop(measure_data.number, None)
            values = {
                "section": sections[item.number],
                "level": measure_data.level,
                "position": position,
            }
            if not framework.local_texts:
                values |= {"title": measure_data.title, "text": measure_data.text}
            if measure is None:
                new.append(Measure(framework=framework, number=measure_data.number, **values))
                continue
            if any(getattr(measure, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(measure, key, value)
                changed.append(measure)
    Measure.objects.bulk_create(new, batch_size=500)
    changelog.record_changes(Measure.objects.filter(pk__in=[m.pk for m in new]))
    if changed:
        Measure.objects.bulk_update(
            changed, ["section", "level", "position", "title", "text"], batch_size=500
        )
        changelog.record_changes(changed, action="update")
    in_use = set(
        ApplicabilityEntry.objects.filter(measure__in=existing.values()).values_list(
            "measure__number", flat=True
        )
    )
    gone = [measure for number, measure in existing.items() if number not in in_use]
    if gone:
        changelog.record_changes(gone, action="delete")
        Measure.objects.filter(pk__in=[measure.pk for measure in gone]).delete()
    report.measures_added, report.measures_changed = len(new), len(changed)
    report.measures_removed, report.kept = len(gone), sorted(in_use)

    # Asset groups and the questionnaire.
    for item in data.asset_groups:
        AssetGroup.objects.update_or_create(
            framework=framework,
            number=item.number,
            defaults={"name": item.name, "section": sections.get(item.section)},
        )
    for item in data.questions:
        question, _created = Question.objects.update_or_create(
            framework=framework,
            number=item.number,
            defaults={"dimension": item.dimension, "text": item.text},
        )
        letters = []
        for choice in item.choices:
            letters.append(choice["letter"])
            Choice.objects.update_or_create(
                question=question,
                letter=choice["letter"],
                defaults={"text": choice["text"], "score": choice["score"]},
            )
        question.options.exclude(letter__in=letters).delete()
    return report


def load_shipped(*, slug: str, user=None) -> LoadReport:
    shipped = SHIPPED.get(slug)
    if shipped is None:
        raise ValidationError(
            _("No shipped framework %(slug)s (known: %(known)s).")
            % {"slug": slug, "known": ", ".join(sorted(SHIPPED))}
        )
    return load_framework(data=shipped.read(), user=user)


@transaction.atomic
def save_measure_text(*, measure: Measure, user, title: str, text: str) -> Measure:
    """The title and text of a measure of a framework shipped as identifiers only (ISO/IEC
    27001), entered from the installation's own licensed copy."""
    _require_global(user, "bgys.change_measure")
    if not measure.framework.local_texts:
        raise ValidationError(
            {"title": _("This framework's texts come from its file; reload it instead.")}
        )
    measure.title, measure.text = title.strip(), text.strip()
    measure.full_clean()
    measure.save()
    return measure


def read_texts(content: bytes) -> list[tuple[str, str, str]]:
    """``number;title;text`` rows (UTF-8, a BOM allowed, the text optional)."""
    import csv
    import io

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The file is not UTF-8 text.")) from error
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if not row or not any(cell.strip() for cell in row):
            continue
        number, title, body = [*row, "", "", ""][:3]
        rows.append((number.strip(), title.strip(), body.strip()))
    return rows


@changelog.batched
def import_texts(*, framework: Framework, content: bytes, user=None) -> int:
    """The titles and texts of a framework shipped as numbers only, from the installation's
    licensed copy: every row or none (each unknown number is reported). Returns how many
    measures changed."""
    _require_global(user, "bgys.change_measure")
    if not framework.local_texts:
        raise ValidationError(_("This framework's texts come from its file; reload it instead."))
    rows = read_texts(content)
    measures = {measure.number: measure for measure in framework.measures.all()}
    unknown = [number for number, _title, _text in rows if number not in measures]
    if unknown:
        raise ValidationError(
            _("No such measure in %(framework)s: %(numbers)s")
            % {"framework": framework, "numbers": ", ".join(unknown[:20])}
        )
    changed = 0
    for number, title, text in rows:
        measure = measures[number]
        if (measure.title, measure.text) != (title, text or measure.text):
            measure.title, measure.text = title, text or measure.text
            measure.full_clean()
            measure.save()
            changed += 1
    return changed


@transaction.atomic
def save_mapping(*, mapping: MeasureMapping, user) -> MeasureMapping:
    """A correspondence between two frameworks' measures: reference data of the whole
    municipality, written by whoever holds the permission over every unit."""
    _require_global(
        user, "bgys.add_measuremapping" if mapping.pk is None else "bgys.change_measuremapping"
    )
    mapping.full_clean()
    mapping.save()
    return mapping


# --------------------------------------------------------------------------- questionnaire


def score_answers(questions, answers: dict) -> int:
    """The questionnaire's score: the sum of the chosen options' points. Every question must be
    answered with one of its letters."""
    errors, total = {}, 0
    for question in questions:
        letter = answers.get(str(question.number), "")
        score = question.score_of(letter)
        if score is None:
            errors[f"q{question.number}"] = _("Choose one answer.")
        else:
            total += score
    if errors:
        raise ValidationError(errors)
    return total


@transaction.atomic
def save_assessment(*, assessment: Assessment, answers: dict, user) -> Assessment:
    """Answer (or re-answer) the criticality questionnaire of an asset group: the score and the
    level follow the guide's Tablo 3."""
    is_new = assessment.pk is None
    if is_new and not can_add(user, Assessment, assessment.unit_id):
        raise PermissionDenied
    if not is_new and not can(user, "change", Assessment.objects.get(pk=assessment.pk)):
        raise PermissionDenied
    group = AssetGroup.objects.select_related("framework").get(pk=assessment.asset_group_id)
    questions = list(group.framework.questions.prefetch_related("options"))
    if not questions:
        raise ValidationError(
            {"asset_group": _("The framework of this asset group has no questionnaire.")}
        )
    answers = {str(key): str(value) for key, value in answers.items()}
    assessment.score = score_answers(questions, answers)
    assessment.answers = {str(q.number): answers[str(q.number)] for q in questions}
    assessment.level = criticality_level(assessment.score)
    assessment.framework = group.framework
    assessment.full_clean()
    assessment.save()
    return assessment


def applicable_measures(assessment: Assessment):
    """The measures written for the assessment's asset group up to its level (a level 2 group
    applies the level 1 and 2 measures)."""
    section = assessment.asset_group.section
    measures = Measure.objects.filter(
        framework=assessment.framework_id, level__lte=assessment.level
    )
    if section is None:
        return measures.none()
    return measures.filter(section__number__startswith=f"{section.number}.").select_related(
        "section"
    )


@changelog.batched
def add_entries(*, unit, measures, user, assessment: Assessment | None = None) -> int:
    """Put measures on a unit's Statement of Applicability, for an asset group's assessment or
    (without one) for the whole unit; those already there are left as they are. Returns how many
    were added."""
    unit_id = getattr(unit, "pk", unit)
    if not can_add(user, ApplicabilityEntry, unit_id):
        raise PermissionDenied
    if assessment is not None and assessment.unit_id != unit_id:
        raise ValidationError({"assessment": _("The assessment belongs to another unit.")})
    present = set(
        ApplicabilityEntry.objects.filter(unit_id=unit_id, assessment=assessment).values_list(
            "measure_id", flat=True
        )
    )
    added = 0
    for measure in measures:
        if measure.pk in present:
            continue
        ApplicabilityEntry.objects.create(
            unit_id=unit_id, measure=measure, assessment=assessment, applicable=True
        )
        present.add(measure.pk)
        added += 1
    return added


def add_applicable_measures(*, assessment: Assessment, user) -> int:
    """Put every applicable measure of the assessment on the unit's Statement of Applicability
    (those already there are left as they are). Returns how many were added."""
    return add_entries(
        unit=assessment.unit_id,
        measures=applicable_measures(assessment),
        user=user,
        assessment=assessment,
    )


# --------------------------------------------------------------------------- SoA

ENTRY_FIELDS = ("applicable", "reason", "state", "owner", "evidence_links", "notes")


@transaction.atomic
def save_entry(*, entry: ApplicabilityEntry, user) -> ApplicabilityEntry:
    """Record an SoA entry: applicable or not (a measure that does not apply needs its reason),
    the implementation state, the owner and the evidence links."""
    if entry.pk is None:
        if not can_add(user, ApplicabilityEntry, entry.unit_id):
            raise PermissionDenied
    elif not can(user, "change", ApplicabilityEntry.objects.get(pk=entry.pk)):
        raise PermissionDenied
    if not entry.applicable:
        entry.state = ""
    for line in entry.links:
        if not line.startswith(("http://", "https://", "/")):
            raise ValidationError(
                {"evidence_links": _("Each line must be a link (https://... or /path).")}
            )
    entry.full_clean()
    entry.save()
    return entry


# --------------------------------------------------------------------------- assets and risks


def unknown_references(references) -> list[str]:
    """The references the inventory does not know (none when no register is installed)."""
    if not assets.register_installed():
        return []
    return [reference for reference in references if assets.find_asset(reference) is None]


@transaction.atomic
def save_information_asset(*, asset: InformationAsset, user) -> InformationAsset:
    """An information asset of a unit. What it runs on must be in the inventory (by inventory or
    serial number) when the inventory is installed."""
    check_save(user, asset, asset.unit_id, system=False, moves=False)
    unknown = unknown_references(asset.references)
    if unknown:
        raise ValidationError(
            {
                "platform_references": _("Not in the inventory: %(refs)s")
                % {"refs": ", ".join(unknown[:10])}
            }
        )
    asset.platform_references = "\n".join(dict.fromkeys(asset.references))
    asset.full_clean()
    asset.save()
    return asset


@transaction.atomic
def save_catalogue_entry(*, entry, user):
    """A methodology, threat or vulnerability: reference data of the whole municipality."""
    model = type(entry)
    action = "add" if entry.pk is None else "change"
    _require_global(user, f"bgys.{action}_{model._meta.model_name}")
    entry.full_clean()
    entry.save()
    if isinstance(entry, Methodology) and entry.is_default:
        Methodology.objects.exclude(pk=entry.pk).filter(is_default=True).update(is_default=False)
    return entry


def default_methodology() -> Methodology:
    """The default methodology; the shipped 5 × 5 is recreated if none is left."""
    from biys.bgys import riskdata

    methodology = Methodology.objects.filter(is_default=True).first()
    if methodology is None:
        methodology = Methodology.objects.order_by("pk").first()
    if methodology is None:
        methodology = Methodology.objects.create(
            name=riskdata.METHODOLOGY_NAME,
            likelihood_labels=riskdata.LIKELIHOOD,
            impact_labels=riskdata.IMPACT,
            appetite=riskdata.APPETITE,
            is_default=True,
            description=riskdata.METHODOLOGY_DESCRIPTION,
        )
    return methodology


def ensure_catalogues() -> None:
    """The shipped threats and vulnerabilities, where the catalogue is empty."""
    from biys.bgys import riskdata

    for model, items in ((Threat, riskdata.THREATS), (Vulnerability, riskdata.VULNERABILITIES)):
        if not model.objects.exists():
            for name, description in items:
                model.objects.create(name=name, description=description)


# Changing any of these sends an approved risk back for approval.
TREATMENT_FIELDS = (
    "likelihood", "impact", "treatment", "treatment_plan", "owner_id", "due_date",
    "residual_likelihood", "residual_impact",
)  # fmt: skip


def _score(likelihood, impact):
    if likelihood is None or impact is None:
        return None
    return likelihood * impact


@transaction.atomic
def save_risk(*, risk: Risk, user, measures=None) -> Risk:
    """Record a risk: its scores follow from likelihood × impact. The linked SoA measures must be
    entries of the asset's unit. A change to the assessment or the treatment of an approved risk
    sends it back to draft: it is approved again."""
    asset = InformationAsset.objects.get(pk=risk.asset_id)
    check_save(user, risk, asset.unit_id, system=False, moves=False)
    if risk.pk is not None:
        old = Risk.objects.get(pk=risk.pk)
        if old.asset.unit_id != asset.unit_id and not can_add(user, Risk, asset.unit_id):
            raise PermissionDenied
        changed = any(getattr(old, name) != getattr(risk, name) for name in TREATMENT_FIELDS)
        if changed and old.status != RiskStatus.DRAFT:
            risk.status, risk.approved_by, risk.approved_at = RiskStatus.DRAFT, None, None
    if not risk.methodology_id:
        risk.methodology = default_methodology()
    risk.inherent_score = _score(risk.likelihood, risk.impact) or 0
    risk.residual_score = _score(risk.residual_likelihood, risk.residual_impact)
    risk.full_clean()
    if measures is not None:
        foreign = [entry for entry in measures if entry.unit_id != asset.unit_id]
        if foreign:
            raise ValidationError({"measures": _("Link the SoA entries of the asset's own unit.")})
    risk.save()
    if measures is not None:
        risk.measures.set(measures)
    return risk


def _may_approve(user, risk: Risk) -> bool:
    return get_scope(user).has_perm("bgys.approve_risk", risk.asset.unit_id)


@transaction.atomic
def submit_risk(*, risk: Risk, user) -> Risk:
    """Send a risk's treatment for the BGYS manager's approval."""
    risk = Risk.objects.select_for_update().select_related("asset").get(pk=risk.pk)
    if not can(user, "change", risk):
        raise PermissionDenied
    if risk.status != RiskStatus.DRAFT:
        raise ValidationError(_("Only a draft risk is sent for approval."))
    if not risk.treatment:
        raise ValidationError({"treatment": _("Decide the treatment first.")})
    risk.status = RiskStatus.PENDING
    risk.save()
    return risk


@transaction.atomic
def approve_risk(*, risk: Risk, user) -> Risk:
    """The BGYS manager approves a risk's treatment (and so its residual risk)."""
    risk = Risk.objects.select_for_update().select_related("asset").get(pk=risk.pk)
    if not _may_approve(user, risk):
        raise PermissionDenied
    if risk.status != RiskStatus.PENDING:
        raise ValidationError(_("Only a risk awaiting approval is approved."))
    risk.status, risk.approved_by, risk.approved_at = RiskStatus.APPROVED, user, timezone.now()
    risk.save()
    return risk


@transaction.atomic
def return_risk(*, risk: Risk, user) -> Risk:
    """The BGYS manager sends a risk awaiting approval back to draft."""
    risk = Risk.objects.select_for_update().select_related("asset").get(pk=risk.pk)
    if not _may_approve(user, risk):
        raise PermissionDenied
    if risk.status != RiskStatus.PENDING:
        raise ValidationError(_("Only a risk awaiting approval is returned."))
    risk.status = RiskStatus.DRAFT
    risk.save()
    return risk
