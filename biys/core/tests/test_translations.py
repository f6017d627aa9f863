"""Turkish is the default language: every catalogue is complete and its compiled .mo current."""

from pathlib import Path

import polib
import pytest

BIYS = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(BIYS.glob("*/locale/tr/LC_MESSAGES/django.po"))


def test_every_app_with_strings_has_a_turkish_catalogue():
    assert CATALOGUES, "no Turkish catalogues found"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete_and_compiled(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:10]}"

    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run make messages"
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(mo_path))
    }
    for entry in catalogue.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        expected = entry.msgstr or {int(k): v for k, v in entry.msgstr_plural.items()}
        got = compiled.get(key)
        if isinstance(expected, dict) and isinstance(got, dict):
            got = {int(k): v for k, v in got.items()}
        assert got == expected, f"{mo_path} is stale for {entry.msgid!r}: run make messages"
