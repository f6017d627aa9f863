"""The ``(unit) -> instance`` callables of the cross-module tests (the permission matrix)."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from biys.applications.choices import PeriodUnit
from biys.applications.models import (
    Application,
    ApplicationResponsibility,
    ApplicationType,
    BaseStationSite,
    Building,
    GisDataSale,
    GisLayer,
    GisTariff,
    GisTariffLine,
    NumberingRequest,
    NumberingTariff,
    Operator,
    SiteAccrual,
    SiteComplaint,
    Street,
    StreetNamingProposal,
)
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


# GIS data sales ---------------------------------------------------------------------------


def sale_type(unit=None):
    """The shipped type ``cbs-veri-satisi`` (made here when the test loaded no types)."""
    from biys.applications.gis.selectors import SALE_TYPE_CODE

    existing = ApplicationType.objects.filter(code=SALE_TYPE_CODE).first()
    if existing is not None:
        return existing
    return make_application_type(
        unit,
        code=SALE_TYPE_CODE,
        name="CBS / kent bilgi sistemi verisi satın alma talebi",
        law="2464 sayılı Belediye Gelirleri Kanunu; 3071 sayılı Dilekçe Kanunu",
        legal_article="3071 md. 7",
        citations="trabzon-bb MADDE 9 (1) u; kocaeli-bb MADDE 7 ğ ve j",
        period=30,
        period_unit=PeriodUnit.DAYS,
        extended_period=None,
        form_fields=[
            {"name": "katmanlar", "label": "İstenen katmanlar ve format", "required": True},
            {"name": "alan", "label": "Alan (hektar veya pafta)", "required": True},
        ],
    )


@register_factory(GisLayer)
def make_gis_layer(unit, **fields):
    n = next(_numbers)
    values = {"code": f"katman-{n}", "name": f"Halihazır harita {n}", "unit": unit}
    values.update(fields)
    return GisLayer.objects.create(**values)


@register_factory(GisTariff)
def make_gis_tariff(unit, **fields):
    n = next(_numbers)
    values = {
        "name": f"CBS veri satış tarifesi {n}",
        "council_decision": f"Belediye Meclisinin {n} sayılı kararı",
        # Each factory tariff in its own year far back, so none overlaps another.
        "valid_from": date(1900 + n % 100, 1, 1),
        "valid_until": date(1900 + n % 100, 12, 31),
        "unit": unit,
    }
    values.update(fields)
    return GisTariff.objects.create(**values)


@register_factory(GisTariffLine)
def make_gis_tariff_line(unit, **fields):
    values = {
        "tariff": fields.pop("tariff", None) or make_gis_tariff(unit),
        "layer": fields.pop("layer", None) or make_gis_layer(unit),
        "data_format": "dwg",
        "charge_unit": "hectare",
        "unit_price": Decimal("125.50"),
        "kdv_rate": Decimal("20"),
        "note": "Hektar başına",
    }
    values.update(fields)
    return GisTariffLine.objects.create(**values)


@register_factory(GisDataSale)
def make_gis_sale(unit, **fields):
    application = fields.pop("application", None) or make_application(
        unit,
        type=sale_type(unit),
        subject="CBS verisi satın alma",
        applicant_kind="company",
        applicant_name="Kuzey Harita Ltd. Şti.",
        tc_kimlik_no="",
        tax_number="1234567890",
        form_data={"katmanlar": "Halihazır harita, DWG", "alan": "12 hektar"},
    )
    values = {"application": application, "area_description": "Ada 204, parsel 15 çevresi"}
    values.update(fields)
    return GisDataSale.objects.create(**values)


# Address numbering and street naming -------------------------------------------------------


def numbering_type(unit=None):
    """The shipped type ``numarataj`` (made here when the test loaded no types)."""
    from biys.applications.numarataj.selectors import REQUEST_TYPE_CODE

    existing = ApplicationType.objects.filter(code=REQUEST_TYPE_CODE).first()
    if existing is not None:
        return existing
    return make_application_type(
        unit,
        code=REQUEST_TYPE_CODE,
        name="Numarataj (adres, kapı numarası) belgesi talebi",
        law="5490 sayılı Nüfus Hizmetleri Kanunu; 3071 sayılı Dilekçe Kanunu",
        legal_article="3071 md. 7",
        citations="trabzon-bb MADDE 9 (1) k, p ve ş",
        period=30,
        period_unit=PeriodUnit.DAYS,
        extended_period=None,
        form_fields=[{"name": "ada_parsel", "label": "Ada / parsel", "required": True}],
    )


@register_factory(NumberingTariff)
def make_numbering_tariff(unit=None, **fields):
    """A row of the council's numbering tariff (the whole municipality's: ``unit`` unused)."""
    n = next(_numbers)
    values = {
        "kind": "certificate",
        "valid_from": date(2020, 1, 1) + timedelta(days=n),
        "amount": Decimal("150.00"),
        "council_decision": f"Meclisin {n} sayılı kararı",
    }
    values.update(fields)
    return NumberingTariff.objects.create(**values)


@register_factory(Street)
def make_street(unit, **fields):
    n = next(_numbers)
    values = {
        "name": f"Gül {n}",
        "kind": "sokak",
        "neighbourhood": "Kemerkaya",
        "unit": unit,
    }
    values.update(fields)
    return Street.objects.create(**values)


@register_factory(Building)
def make_building(unit, **fields):
    n = next(_numbers)
    values = {
        "street": fields.pop("street", None) or make_street(unit),
        "door_number": str(n),
        "block": "204",
        "parcel": str(n),
        "building_name": f"Deniz Apartmanı {n}",
    }
    values.update(fields)
    return Building.objects.create(**values)


@register_factory(NumberingRequest)
def make_numbering_request(unit, **fields):
    application = fields.pop("application", None) or make_application(
        unit,
        type=numbering_type(unit),
        subject="Numarataj belgesi talebi",
        form_data={"ada_parsel": "204 / 15"},
    )
    values = {
        "application": application,
        "street": fields.pop("street", None) or make_street(unit),
        "block": "204",
        "parcel": "15",
        "building_description": "Yeni yapılan iki katlı konut",
    }
    values.update(fields)
    return NumberingRequest.objects.create(**values)


@register_factory(StreetNamingProposal)
def make_naming_proposal(unit, **fields):
    values = {
        "proposed_name": "Şehit Ahmet Yılmaz",
        "kind": "sokak",
        "neighbourhood": "Kemerkaya",
        "area_description": "Yeni imar yolu, 204 ada doğusu",
        "justification": "Mahalle sakinlerinin talebi",
        "unit": unit,
    }
    values.update(fields)
    return StreetNamingProposal.objects.create(**values)


# Base-station sites ------------------------------------------------------------------------


def site_permit_type(unit=None, code=None):
    """The shipped type ``baz-istasyonu-yer-secim`` (or another of the module's codes; made here
    when the test loaded no types)."""
    from biys.applications.basestation import selectors

    code = code or selectors.PERMIT_TYPE_CODE
    existing = ApplicationType.objects.filter(code=code).first()
    if existing is not None:
        return existing
    values = {
        selectors.PERMIT_TYPE_CODE: {
            "name": "Baz istasyonu yer seçim belgesi talebi",
            "form_fields": [
                {"name": "isletmeci", "label": "İşletmeci", "required": True},
                {"name": "konum", "label": "Konum", "required": True},
            ],
            "documents": ["Başvuru dilekçesi", "BTK yetkilendirme belgesi", "Vaziyet planı"],
        },
        selectors.MOBILE_TYPE_CODE: {"name": "Mobil baz istasyonu kurulum talebi"},
        selectors.COMPLAINT_TYPE_CODE: {"name": "Baz istasyonu şikâyeti", "public": True},
    }[code]
    return make_application_type(
        unit,
        code=code,
        law="5809 sayılı Elektronik Haberleşme Kanunu; 3071 sayılı Dilekçe Kanunu",
        legal_article="3071 md. 7",
        citations="mersin-bb MADDE 9 (3) f; trabzon-bb MADDE 11 ü",
        period=30,
        period_unit=PeriodUnit.DAYS,
        extended_period=None,
        **values,
    )


@register_factory(Operator)
def make_operator(unit, **fields):
    n = next(_numbers)
    values = {"name": f"Anadolu Telekom {n}", "tax_number": "1234567890", "unit": unit,
              "authorisation": f"BTK-{n}"}  # fmt: skip
    values.update(fields)
    return Operator.objects.create(**values)


@register_factory(BaseStationSite)
def make_site(unit, **fields):
    operator = fields.pop("operator", None) or make_operator(unit)
    application = fields.pop("application", None) or make_application(
        unit,
        type=site_permit_type(unit),
        subject="Baz istasyonu yer seçimi",
        applicant_kind="company",
        applicant_name=operator.name,
        tc_kimlik_no="",
        tax_number=operator.tax_number,
        form_data={"isletmeci": operator.name, "konum": "36.8, 34.6"},
    )
    values = {
        "application": application,
        "operator": operator,
        "kind": "rooftop",
        "latitude": Decimal("36.812345"),
        "longitude": Decimal("34.641234"),
        "neighbourhood": "Çankaya",
        "block": "204",
        "parcel": "15",
    }
    values.update(fields)
    return BaseStationSite.objects.create(**values)


@register_factory(SiteAccrual)
def make_site_accrual(unit, **fields):
    n = next(_numbers)
    values = {
        "site": fields.pop("site", None) or make_site(unit, state="contracted"),
        "year": 2026,
        "amount": Decimal("12000.00"),
        "accrual_number": f"BAZ-TAH-2026-{n:05d}",
        "accrued_on": date(2026, 1, 15),
    }
    values.update(fields)
    return SiteAccrual.objects.create(**values)


@register_factory(SiteComplaint)
def make_site_complaint(unit, **fields):
    site = fields.pop("site", None) or make_site(unit)
    application = fields.pop("application", None) or make_application(
        unit,
        type=site_permit_type(unit, code="baz-istasyonu-sikayet"),
        subject="Baz istasyonu şikâyeti",
    )
    values = {"application": application, "site": site}
    values.update(fields)
    return SiteComplaint.objects.create(**values)
