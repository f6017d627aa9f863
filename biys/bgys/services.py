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
    Measure,
    Question,
    Section,
)
from biys.core import changelog
from biys.core.access import can, can_add, get_scope


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
