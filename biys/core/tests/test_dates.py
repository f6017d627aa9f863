"""format_datetime gives date_format's text, in every language and format the product uses."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import formats, timezone, translation

from biys.core.dates import format_datetime

FORMATS = ("SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "DATE_FORMAT")


@pytest.mark.parametrize("language", ["tr", "en"])
def test_same_text_as_date_format(language):
    rng = random.Random(6)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with translation.override(language):
        for _ in range(300):
            value = start + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            for name in FORMATS:
                assert format_datetime(value, name) == formats.date_format(
                    timezone.localtime(value), name
                )
        assert format_datetime(date(2026, 1, 5), "SHORT_DATE_FORMAT") == formats.date_format(
            date(2026, 1, 5), "SHORT_DATE_FORMAT"
        )


def test_turkish_month_and_escapes(settings):
    with translation.override("tr"):
        assert format_datetime(datetime(2026, 8, 30, 9, 5, tzinfo=UTC)) == "30 Ağu 2026 12:05"
    settings.SHORT_DATETIME_FORMAT = r"\Y\m: Y-m"
    settings.USE_L10N = True
    with translation.override(None):
        assert format_datetime(datetime(2026, 8, 30, 9, 5, tzinfo=UTC)).endswith("2026-08")
