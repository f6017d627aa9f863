"""The PDF fonts are shipped in the core layer, where every module's PDF finds them."""

import pytest

from biys.core import pdf_fonts


def test_the_shipped_fonts_are_found_first(monkeypatch):
    monkeypatch.delenv("BIYS_PDF_FONT_DIR", raising=False)
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        assert pdf_fonts.font_path(name) == pdf_fonts.SHIPPED / name
    assert (pdf_fonts.SHIPPED / "LICENSE-DejaVu.txt").is_file()


def test_a_configured_directory_wins_and_a_missing_font_is_named(monkeypatch, tmp_path):
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"x")
    monkeypatch.setenv("BIYS_PDF_FONT_DIR", str(tmp_path))
    assert pdf_fonts.font_path("DejaVuSans.ttf") == tmp_path / "DejaVuSans.ttf"
    with pytest.raises(RuntimeError, match=r"Nothing\.ttf"):
        pdf_fonts.font_path("Nothing.ttf")
