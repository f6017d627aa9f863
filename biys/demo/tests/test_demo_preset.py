"""``make demo``'s preset, built on its own (test_demo.py shares one smaller demo)."""

from biys.demo.builder import build_demo


def test_make_demos_preset_builds(db):
    """``make demo`` builds the ankara-bb preset (the other tests use odunpazari, smaller): a
    bigger organisation must not push any module's demo out of its valid values."""
    from biys.inventory.models import NetworkDevice

    result = build_demo(preset="ankara-bb")
    assert result.logins
    assert NetworkDevice.objects.filter(rack_unit__isnull=False).exists()
