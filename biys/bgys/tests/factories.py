"""The ``(unit) -> instance`` callables of the cross-module tests (the permission matrix), and
a small framework with a questionnaire for the app's own tests."""

from itertools import count

from biys.bgys.models import (
    ApplicabilityEntry,
    Assessment,
    AssetGroup,
    Audit,
    AuditPlan,
    AuditState,
    ChecklistItem,
    Choice,
    ConfidentialityAgreement,
    CorrectiveAction,
    Finding,
    Framework,
    InformationAsset,
    ManagementReview,
    Measure,
    MeasureMapping,
    Methodology,
    Policy,
    PolicyVersion,
    Question,
    ReviewAction,
    Risk,
    Section,
    ThirdParty,
    Threat,
    TrainingAttendance,
    TrainingSession,
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


# --------------------------------------------------------------------------- audits


def _person(unit):
    from biys.org.models import Person

    return Person.objects.create(
        first_name="Denetim", last_name=f"Sorumlusu {next(_numbers)}", employment_type="memur",
        unit=unit,
    )  # fmt: skip


@register_factory(AuditPlan)
def make_audit_plan(unit, **fields):
    values = {"unit": unit, "year": 2026, "title": f"İç denetim planı {next(_numbers)}"}
    values.update(fields)
    return AuditPlan.objects.create(**values)


@register_factory(Audit)
def make_audit(unit, **fields):
    """An audit in progress with one checklist item per measure of a small framework."""
    import datetime

    framework = fields.pop("framework", None) or small_framework()
    values = {
        "unit": unit,
        "title": f"Ağ ve sistemler iç denetimi {next(_numbers)}",
        "framework": framework,
        "scope": "Merkez bina ağı ve sunucuları",
        "planned_start": datetime.date(2026, 3, 2),
        "planned_end": datetime.date(2026, 3, 6),
        "state": AuditState.IN_PROGRESS,
        "started_on": datetime.date(2026, 3, 2),
    }
    values.update(fields)
    audit = Audit.objects.create(**values)
    for position, measure in enumerate(framework.measures.order_by("position"), start=1):
        ChecklistItem.objects.create(audit=audit, measure=measure, position=position)
    return audit


@register_factory(ChecklistItem)
def make_checklist_item(unit, **fields):
    audit = fields.pop("audit", None) or make_audit(unit)
    item = audit.items.first()
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    return item


@register_factory(Finding)
def make_finding(unit, **fields):
    """A minor nonconformity (with its corrective action) on an audit in progress."""
    import datetime

    from biys.bgys.audit_services import due_date_for

    item = fields.pop("checklist_item", None) or make_checklist_item(unit, result="nonconforming")
    values = {
        "audit": item.audit,
        "number": item.audit.findings.count() + 1,
        "kind": "minor",
        "measure": item.measure,
        "checklist_item": item,
        "description": "Ağ cihazlarının envanteri güncel değil",
    }
    values.update(fields)
    finding = Finding.objects.create(**values)
    if finding.is_nonconformity:
        opened = datetime.date(2026, 3, 4)
        CorrectiveAction.objects.create(
            finding=finding, unit=finding.audit.unit, opened_on=opened,
            due_date=due_date_for(opened, 30),
        )  # fmt: skip
    return finding


@register_factory(CorrectiveAction)
def make_corrective_action(unit, **fields):
    action = make_finding(unit).corrective_action
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    return action


@register_factory(ManagementReview)
def make_management_review(unit, **fields):
    import datetime

    values = {
        "unit": unit,
        "title": f"BGYS yönetim gözden geçirmesi {next(_numbers)}",
        "held_on": datetime.date(2026, 6, 15),
        "inputs": "İç denetim sonuçları, açık DÖF'ler, risk değerlendirmesi",
        "decisions": "Envanter süreci yeniden tanımlanacak",
    }
    values.update(fields)
    return ManagementReview.objects.create(**values)


@register_factory(ReviewAction)
def make_review_action(unit, **fields):
    import datetime

    values = {
        "review": fields.pop("review", None) or make_management_review(unit),
        "description": "Envanter prosedürünü güncellemek",
        "owner": _person(unit),
        "due_date": datetime.date(2026, 9, 30),
    }
    values.update(fields)
    return ReviewAction.objects.create(**values)


@register_factory(Policy)
def make_policy(unit, **fields):
    values = {
        "unit": unit,
        "code": f"BGYS-POL-{next(_numbers):03d}",
        "title": "Bilgi güvenliği politikası",
        "description": "Kurumun bilgi güvenliği yaklaşımı",
    }
    values.update(fields)
    return Policy.objects.create(**values)


@register_factory(PolicyVersion)
def make_policy_version(unit, **fields):
    policy = fields.pop("policy", None) or make_policy(unit)
    number = (policy.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    values = {
        "policy": policy,
        "number": number,
        "text": "Kurum bilgi varlıkları gizlilik, bütünlük ve erişilebilirlik ilkelerine göre korunur.",
        "change_summary": "İlk sürüm",
    }
    values.update(fields)
    return PolicyVersion.objects.create(**values)


@register_factory(TrainingSession)
def make_training_session(unit, **fields):
    import datetime

    values = {
        "unit": unit,
        "title": "Oltalama farkındalık eğitimi",
        "held_on": datetime.date(2026, 3, 4),
        "trainer": "Bilgi Güvenliği Birimi",
    }
    values.update(fields)
    return TrainingSession.objects.create(**values)


@register_factory(TrainingAttendance)
def make_training_attendance(unit, **fields):
    from biys.org.models import Person

    session = fields.pop("session", None) or make_training_session(unit)
    person = fields.pop("person", None) or Person.objects.create(
        first_name="Eğitim", last_name="Katılımcısı", employment_type="memur", unit=unit
    )
    fields.setdefault("quiz_score", 80)
    return TrainingAttendance.objects.create(session=session, person=person, **fields)


@register_factory(ThirdParty)
def make_third_party(unit, **fields):
    values = {
        "unit": unit,
        "name": "Anadolu Yazılım A.Ş.",
        "tax_number": "1234567890",
        "services": "e-Belediye yazılımının bakımı",
    }
    values.update(fields)
    return ThirdParty.objects.create(**values)


@register_factory(ConfidentialityAgreement)
def make_agreement(unit, **fields):
    import datetime

    third_party = fields.pop("third_party", None) or make_third_party(unit)
    values = {
        "third_party": third_party,
        "signatory": "Kerem Aydın",
        "signed_on": datetime.date(2026, 1, 15),
        "expires_on": datetime.date(2027, 1, 15),
    }
    values.update(fields)
    return ConfidentialityAgreement.objects.create(**values)
