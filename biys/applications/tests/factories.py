"""The ``(unit) -> instance`` callables of the cross-module tests (the permission matrix)."""

from datetime import date
from itertools import count

from biys.applications.choices import PeriodUnit
from biys.applications.models import Application, ApplicationResponsibility, ApplicationType
from biys.core.testing import register_factory

_numbers = count(1)


@register_factory(ApplicationType)
def make_application_type(unit=None, **fields):
    n = next(_numbers)
    values = {
        "code": f"tur-{n}",
        "name": f"Bilgi edinme {n}",
        "law": "4982 sayılı Bilgi Edinme Hakkı Kanunu",
        "legal_article": "md. 11",
        "citations": "trabzon-bb MADDE 13 o",
        "unit": unit,
        "period": 15,
        "period_unit": PeriodUnit.WORKING_DAYS,
        "extended_period": 30,
    }
    values.update(fields)
    return ApplicationType.objects.create(**values)


@register_factory(Application)
def make_application(unit, **fields):
    """A recorded application (no service: the matrix only reads, lists and creates copies)."""
    application_type = fields.pop("type", None) or make_application_type(unit)
    received = fields.pop("received_on", date(2026, 11, 2))
    values = {
        "number": f"BSV-2026-{next(_numbers):06d}",
        "type": application_type,
        "received_on": received,
        "due_date": date(2026, 11, 23),
        "subject": "İhale dosyası hakkında bilgi talebi",
        "applicant_name": "Ayşe Yılmaz",
        "responsible_unit": unit,
        "tc_kimlik_no": "10000000146",
        "phone": "0532 000 00 00",
    }
    values.update(fields)
    application = Application.objects.create(**values)
    ApplicationResponsibility.objects.create(
        application=application, unit=unit, started_at=application.created
    )
    return application
