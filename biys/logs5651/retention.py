"""Retention: files older than ``BIYS_LOGS5651_RETENTION_DAYS`` (two years by default) are
deleted with their access records by the daily job, once their day is sealed. The file's row
stays with ``deleted_at`` (the change log records who deleted it and when), and so do the
day's manifest and token: the chain still verifies and shows the lawful deletion. Nothing
younger can be deleted through the product."""

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from biys.logs5651 import storage
from biys.logs5651.models import AccessRecord, DailySeal, LogFile, SealStatus


@dataclass
class Deleted:
    file: int
    source: str
    day: str
    name: str
    records: int

    def as_dict(self) -> dict:
        return asdict(self)


def retention_limit(today: date) -> date:
    """Files of days before this one are past the retention period."""
    return today - timedelta(days=settings.BIYS_LOGS5651_RETENTION_DAYS)


def expired(log_file: LogFile, at: datetime) -> bool:
    return log_file.day < retention_limit(timezone.localdate(at))


def apply_retention(*, now: datetime | None = None) -> list[Deleted]:
    now = now or timezone.now()
    limit = retention_limit(timezone.localdate(now))
    sealed_days = DailySeal.objects.filter(status=SealStatus.SEALED, day__lt=limit)
    candidates = (
        LogFile.objects.filter(day__lt=limit, deleted_at__isnull=True)
        .select_related("source")
        .order_by("day", "pk")
    )
    deleted = []
    for log_file in candidates:
        if not sealed_days.filter(unit_id=log_file.source.unit_id, day=log_file.day).exists():
            continue  # an unsealed day is kept until it is sealed (or someone looks into it)
        with transaction.atomic():
            count, _ = AccessRecord.objects.filter(file=log_file).delete()
            log_file.deleted_at = now
            log_file.save(update_fields=["deleted_at", "last_updated"])
        path = storage.absolute(log_file.gz_path)
        if path.exists():
            path.chmod(0o640)
            path.unlink()
        deleted.append(
            Deleted(
                log_file.pk, log_file.source.name, log_file.day.isoformat(), log_file.name, count
            )
        )
    return deleted
