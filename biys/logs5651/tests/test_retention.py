"""Retention: sealed files past the period are deleted with their records, their manifests and
tokens stay and the chain still verifies; nothing younger (or unsealed) is deleted."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from biys.core.models import ObjectChange
from biys.logs5651 import storage
from biys.logs5651.models import AccessRecord, LogFile
from biys.logs5651.retention import apply_retention
from biys.logs5651.services import ingest_file, seal_day, verify
from biys.logs5651.tests.conftest import DAY
from biys.logs5651.tests.factories import ISC_SYSLOG

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(source, tsa):
    old = ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY, name="eski.log")
    young = ingest_file(
        source=source,
        path_or_bytes=ISC_SYSLOG.replace(b"Nov 27", b"Nov 28"),
        day=DAY + timedelta(days=1),
        name="yeni.log",
    )
    seal_day(unit=source.unit, day=DAY)
    seal_day(unit=source.unit, day=DAY + timedelta(days=1))
    return old, young


def test_only_sealed_files_past_the_period_are_deleted(sealed, settings):
    old, young = sealed
    settings.BIYS_LOGS5651_RETENTION_DAYS = 730
    two_years_later = timezone.make_aware(timezone.datetime(2028, 11, 27, 3, 0))
    (deleted,) = apply_retention(now=two_years_later)
    assert (deleted.file, deleted.name, deleted.records) == (old.pk, "eski.log", 3)
    old.refresh_from_db()
    assert old.deleted_at == two_years_later
    assert not storage.absolute(old.gz_path).exists()
    assert storage.absolute(young.gz_path).exists()
    assert not AccessRecord.objects.filter(file=old).exists()
    assert AccessRecord.objects.filter(file=young).count() == 3
    # Recorded: who deleted what, and when (the change log of the file's row).
    assert ObjectChange.objects.filter(object_id=str(old.pk), action="update").exists()
    report = verify()
    assert report.ok and report.deleted_files == 1
    assert apply_retention(now=two_years_later) == []


def test_a_file_deleted_early_is_a_verification_failure(sealed):
    old, _young = sealed
    LogFile.objects.filter(pk=old.pk).update(deleted_at=timezone.now())
    report = verify()
    assert not report.ok
    assert {(f.day, f.check, f.file) for f in report.failures} == {
        ("2026-11-27", "file", "eski.log")
    }


def test_an_unsealed_day_is_kept(source, logs_dir, settings):
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY)
    assert apply_retention(now=timezone.now() + timedelta(days=3000)) == []
    out = io.StringIO()
    call_command("logs", "retention", stdout=out)
    assert json.loads(out.getvalue()) == {"deleted": []}
