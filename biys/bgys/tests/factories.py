"""The ``(unit) -> instance`` callables of the cross-module tests (the permission matrix), and
a small framework with a questionnaire for the app's own tests."""

from itertools import count

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
    Section,
    Threat,
    Vulnerability,
)
from biys.core.testing import register_factory

_numbers = count(1)


def small_framework(**fields) -> Framework:
    """A framework shaped like the guide: a section per asset group, measures of each level,
    two questions (scores 1-14 with three choices each)."""
    n = next(_numbers)
    framework = Framework.objects.create(
        slug=f"deneme-{n}",
        version="1",
        name=f"Deneme çerçevesi {n}",
        attribution=f"Deneme kaynağı {n}, CC BY 4.0",
        **fields,
    )
    chapter = Section.objects.create(framework=framework, number="3", title="Tedbirler", depth=1)
    section = Section.objects.create(
        framework=framework, number="3.1", title="Ağ ve Sistem Güvenliği", depth=2, parent=chapter
    )
    sub = Section.objects.create(
        framework=framework, number="3.1.1", title="Envanter", depth=3, parent=section, position=2
    )
    for index, level in enumerate((1, 1, 2, 3), start=1):
        Measure.objects.create(
            framework=framework,
            section=sub,
            number=f"3.1.1.{index}",
            level=level,
            title=f"Tedbir başlığı {index}",
            text=f"Tedbir metni {index}",
            position=index,
        )
    AssetGroup.objects.create(
        framework=framework, number=1, name="Ağ ve Sistemler", section=section
    )
    for number in (1, 2):
        question = Question.objects.create(
            framework=framework, number=number, dimension=f"Boyut {number}", text=f"Soru {number}?"
        )
        for letter, text, score in (("a", "Düşük", 1), ("b", "Orta", 9), ("c", "Yüksek", 14)):
            Choice.objects.create(question=question, letter=letter, text=text, score=score)
    return framework


@register_factory(Framework)
def make_framework(unit=None, **fields):
    return small_framework(**fields)


@register_factory(Measure)
def make_measure(unit=None, **fields):
    return small_framework().measures.first()


@register_factory(Assessment)
def make_assessment(unit, framework=None, **fields):
    framework = framework or small_framework()
    values = {
        "unit": unit,
        "framework": framework,
        "asset_group": framework.asset_groups.first(),
        "name": "Merkez bina ağı",
        "answers": {"1": "b", "2": "b"},
        "score": 18,
        "level": 2,
    }
    values.update(fields)
    return Assessment.objects.create(**values)


@register_factory(ApplicabilityEntry)
def make_entry(unit, **fields):
    assessment = fields.pop("assessment", None) or make_assessment(unit)
    values = {
        "unit": unit,
        "measure": assessment.framework.measures.first(),
        "assessment": assessment,
        "applicable": True,
        "reason": "Ağ envanteri tutulmalı",
    }
    values.update(fields)
    return ApplicabilityEntry.objects.create(**values)


@register_factory(MeasureMapping)
def make_mapping(unit=None, **fields):
    source = small_framework().measures.first()
    target = small_framework().measures.first()
    return MeasureMapping.objects.create(source=source, target=target, **fields)


@register_factory(InformationAsset)
def make_information_asset(unit, **fields):
    values = {
        "unit": unit,
        "name": f"E-belediye veritabanı {next(_numbers)}",
        "kind": "data_set",
        "confidentiality": 4,
        "integrity": 4,
        "availability": 3,
    }
    values.update(fields)
    return InformationAsset.objects.create(**values)


@register_factory(Methodology)
def make_methodology(unit=None, **fields):
    values = {
        "name": f"3 × 3 yöntem {next(_numbers)}",
        "likelihood_labels": "Düşük\nOrta\nYüksek",
        "impact_labels": "Düşük\nOrta\nYüksek",
        "appetite": 3,
    }
    values.update(fields)
    return Methodology.objects.create(**values)


@register_factory(Threat)
def make_threat(unit=None, **fields):
    return Threat.objects.create(name=f"Tehdit {next(_numbers)}", **fields)


@register_factory(Vulnerability)
def make_vulnerability(unit=None, **fields):
    return Vulnerability.objects.create(name=f"Zafiyet {next(_numbers)}", **fields)


@register_factory(Risk)
def make_risk(unit, **fields):
    from biys.bgys.services import default_methodology

    likelihood, impact = fields.pop("likelihood", 4), fields.pop("impact", 4)
    values = {
        "asset": fields.pop("asset", None) or make_information_asset(unit),
        "methodology": default_methodology(),
        "threat": make_threat(),
        "vulnerability": make_vulnerability(),
        "likelihood": likelihood,
        "impact": impact,
        "inherent_score": likelihood * impact,
    }
    values.update(fields)
    return Risk.objects.create(**values)
