"""Daily sealing: a manifest of a unit's files of one day (each file's name, size and SHA-256,
compressed and raw, and the digest of its access records), chained to the previous day's
manifest, timestamped once by the RFC 3161 authority (one paid stamp a day).

The manifest is written once, at the first attempt, and never changes; a failed timestamp
leaves the day "not sealed" and it is retried with backoff; after ``BIYS_TSA_MAX_ATTEMPTS`` it
is "failed" until someone retries it. Every failure is reported to the unit's log officers. No
token is ever made up.
"""

import hashlib
import json
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import tsa
from biys.logs5651.models import DailySeal, LogFile, LogSource, SealStatus

logger = logging.getLogger(__name__)
MANIFEST_FORMAT = "biys-5651-manifest/1"


def backoff(attempts: int) -> timedelta:
    """5 minutes after the first failure, doubling up to 6 hours."""
    return timedelta(minutes=min(5 * 2 ** max(attempts - 1, 0), 360))


def manifest_files(unit_id: int, day: date) -> list[dict]:
    files = (
        LogFile.objects.filter(source__unit_id=unit_id, day=day)
        .select_related("source")
        .order_by("pk")
    )
    return [
        {
            "id": f.pk,
            "source": f.source.name,
            "name": f.name,
            "path": f.gz_path,
            "size": f.size,
            "sha256": f.sha256,
            "gz_size": f.gz_size,
            "gz_sha256": f.gz_sha256,
            "lines": f.lines,
            "unreadable": f.unreadable,
            "records": f.records,
            "records_sha256": f.records_sha256,
        }
        for f in files
    ]


def build_manifest(*, unit, day: date, previous: DailySeal | None) -> str:
    document = {
        "format": MANIFEST_FORMAT,
        "unit": unit.name,
        "unit_id": unit.pk,
        "day": day.isoformat(),
        "previous_day": previous.day.isoformat() if previous else None,
        "previous_sha256": previous.manifest_sha256 if previous else "",
        "files": manifest_files(unit.pk, day),
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def ensure_manifest(*, unit, day: date) -> DailySeal:
    """The day's seal row with its manifest, written once. Days missing between the unit's last
    manifest and ``day`` get theirs first, so the chain has no gap."""
    if day >= timezone.localdate():
        raise ValidationError({"day": _("Only a day that has ended can be sealed.")})
    existing = DailySeal.objects.select_for_update().filter(unit=unit, day=day).first()
    if existing:
        return existing
    previous = DailySeal.objects.filter(unit=unit, day__lt=day).order_by("-day").first()
    if previous and previous.day < day - timedelta(days=1):
        previous = ensure_manifest(unit=unit, day=day - timedelta(days=1))
    manifest = build_manifest(unit=unit, day=day, previous=previous)
    return DailySeal.objects.create(
        unit=unit,
        day=day,
        manifest=manifest,
        manifest_sha256=digest(manifest),
        previous_sha256=previous.manifest_sha256 if previous else "",
        status=SealStatus.NOT_SEALED,
    )


def timestamp_seal(seal: DailySeal, *, now: datetime | None = None) -> DailySeal:
    """One attempt at the authority (outside any transaction: it is a network call), then the
    outcome saved. A sealed day is left as it is."""
    if seal.status == SealStatus.SEALED:
        return seal
    now = now or timezone.now()
    url = settings.BIYS_TSA_URL
    try:
        stamp = tsa.request_timestamp(seal.manifest.encode(), url=url)
    except tsa.TimestampError as error:
        return _record_failure(seal.pk, str(error), now)
    with transaction.atomic():
        seal = DailySeal.objects.select_for_update().get(pk=seal.pk)
        if seal.status == SealStatus.SEALED:  # sealed meanwhile by another worker
            return seal
        seal.status = SealStatus.SEALED
        seal.tsa_url = url[:300]
        seal.tsa_request = stamp.request
        seal.tsa_token = stamp.token
        seal.stamped_at = stamp.time
        seal.attempts += 1
        seal.next_retry_at = None
        seal.last_error = ""
        seal.save()
    return seal


def _record_failure(seal_pk: int, error: str, now: datetime) -> DailySeal:
    logger.warning("5651 seal %s: %s", seal_pk, error)
    with transaction.atomic():
        seal = DailySeal.objects.select_for_update().get(pk=seal_pk)
        seal.attempts += 1
        seal.last_error = error[:2000]
        if seal.attempts >= settings.BIYS_TSA_MAX_ATTEMPTS:
            seal.status = SealStatus.FAILED
            seal.next_retry_at = None
        else:
            seal.status = SealStatus.NOT_SEALED
            seal.next_retry_at = now + backoff(seal.attempts)
        seal.save()
        if seal.attempts == 1 or seal.status == SealStatus.FAILED:
            _notify_failure(seal)
    return seal


def _notify_failure(seal: DailySeal) -> None:
    from biys.notifications.services import notify

    title = _("Logs of %(day)s are not sealed (%(unit)s)") % {"day": seal.day, "unit": seal.unit}
    body = _(
        "The time-stamping authority did not seal the day: %(error)s. Attempts: %(attempts)s."
    ) % {"error": seal.last_error, "attempts": seal.attempts}
    notify(recipients=log_officers(seal.unit), title=title, body=body, target=seal)


def log_officers(unit) -> list:
    """Users who may change the unit's seals (the 5651 log officers over it)."""
    from biys.accounts.models import RoleAssignment

    assignments = RoleAssignment.objects.filter(
        role__permissions__content_type__app_label="logs5651",
        role__permissions__codename="change_dailyseal",
    ).select_related("user", "unit")
    users = {}
    for assignment in assignments:
        holds = assignment.unit_id == unit.pk or (
            assignment.include_subtree and unit.path.startswith(assignment.unit.path)
        )
        if holds:
            users[assignment.user_id] = assignment.user
    return list(users.values())


def seal_day(*, unit, day: date, now: datetime | None = None) -> DailySeal:
    """Write the day's manifest (once) and try to timestamp it."""
    return timestamp_seal(ensure_manifest(unit=unit, day=day), now=now)


def retry_seal(*, seal: DailySeal, now: datetime | None = None) -> DailySeal:
    """A retry asked for by a person (a failed day included)."""
    return timestamp_seal(seal, now=now)


def seal_pending(*, now: datetime | None = None) -> list[DailySeal]:
    """Every unit with sources: a manifest for each ended day since its last one (from its
    first file's day), then a timestamp attempt for every unsealed day that is due."""
    now = now or timezone.now()
    yesterday = timezone.localdate(now) - timedelta(days=1)
    for unit_id in LogSource.objects.values_list("unit_id", flat=True).distinct():
        last = DailySeal.objects.filter(unit_id=unit_id).order_by("-day").first()
        if last:
            first_day = last.day + timedelta(days=1)
        else:
            first = LogFile.objects.filter(source__unit_id=unit_id).order_by("day").first()
            if first is None:
                continue
            first_day = first.day
        day = first_day
        while day <= yesterday:
            unit = LogSource.objects.filter(unit_id=unit_id).first().unit
            ensure_manifest(unit=unit, day=day)
            day += timedelta(days=1)
    due = DailySeal.objects.filter(status=SealStatus.NOT_SEALED).exclude(next_retry_at__gt=now)
    return [timestamp_seal(seal, now=now) for seal in due.order_by("day", "pk")]
