"""The shipped application types: every one cites its law and articles, and each preset's
duties resolve to a unit of that department."""

import pytest

from biys.applications.models import ApplicationType
from biys.applications.types_loader import load_types, read_types
from biys.org.presets import load_preset


def test_every_shipped_type_cites_its_law_and_articles():
    types = read_types()
    codes = {spec["code"] for spec in types}
    assert {"bilgi-edinme", "bilgi-edinme-itiraz", "dilekce", "cimer", "alo-153"} <= codes
    bilgi = next(spec for spec in types if spec["code"] == "bilgi-edinme")
    assert (bilgi["period"], bilgi["period_unit"], bilgi["extended_period"]) == (
        15,
        "working_days",
        30,
    )
    assert all(spec["citations"] and spec["law"] for spec in types)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["trabzon-bb", "kocaeli-bb", "mersin-bb", "odunpazari"])
def test_loading_a_preset_loads_the_types_with_their_units(slug):
    load_preset(slug)  # runs the types' preset extension
    types = {t.code: t for t in ApplicationType.objects.select_related("unit", "duty")}
    assert len(types) == len(read_types())
    assert all(t.unit is not None and t.unit.is_it_department for t in types.values())
    if slug == "trabzon-bb":
        assert types["bilgi-edinme"].unit.name == "İletişim ve Koordinasyon Şube Müdürlüğü"
        assert types["bilgi-edinme"].duty.reference == "MADDE 13 o"
        assert types["cbs-veri-satisi"].unit.name == "Akıllı Şehirler Şube Müdürlüğü"
    if slug == "kocaeli-bb":
        assert types["cimer"].duty.reference == "MADDE 4 a"
    # Loading again changes nothing an administrator made.
    types["dilekce"].period = 31
    types["dilekce"].save()
    assert load_types(preset=slug).created == 0
    assert ApplicationType.objects.get(code="dilekce").period == 31
