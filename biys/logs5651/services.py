"""Every write of the 5651 module: receiving a file, logging a search; sealing and verifying
live in ``sealing`` and ``verification`` and are re-exported here."""

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import assets
from biys.core.access import get_scope
from biys.logs5651 import records, storage
from biys.logs5651.models import DailySeal, LogFile, LogSource, SearchRequest
from biys.logs5651.parsers import get_parser, parse_data
from biys.logs5651.sealing import retry_seal, seal_day, seal_pending  # noqa: F401
from biys.logs5651.verification import verify  # noqa: F401


def _read(path_or_bytes) -> tuple[bytes, str]:
    if isinstance(path_or_bytes, bytes | bytearray):
        return bytes(path_or_bytes), ""
    if hasattr(path_or_bytes, "read"):  # an uploaded file
        return path_or_bytes.read(), getattr(path_or_bytes, "name", "") or ""
    path = Path(path_or_bytes)
    return path.read_bytes(), path.name


def ingest_file(
    *,
    source: LogSource,
    path_or_bytes,
    day: date,
    name: str = "",
    received_at: datetime | None = None,
) -> LogFile:
    """Store a day's file from ``source`` compressed under the data directory, parse it into
    access records (one per lease, login or NAT session) and load them in bulk. Refuses a file
    already received, a day already sealed and an inactive source; nothing is half-saved (the
    stored file is removed when the database write fails)."""
    data, file_name = _read(path_or_bytes)
    name = storage.safe_name(name or file_name or f"{source.name}-{day:%Y%m%d}.log")
    if not source.active:
        raise ValidationError(_("The source %(source)s is not active.") % {"source": source})
    if day > timezone.localdate():
        raise ValidationError({"day": _("A log file cannot be of a day in the future.")})
    if DailySeal.objects.filter(unit_id=source.unit_id, day=day).exists():
        raise ValidationError(
            {"day": _("%(day)s is already sealed; its files can no longer change.") % {"day": day}}
        )
    digest = hashlib.sha256(data).hexdigest()
    if LogFile.objects.filter(source=source, sha256=digest).exists():
        raise ValidationError(_("This file has already been received from this source."))

    relative = storage.relative_path(source_id=source.pk, day=day, name=name, digest=digest)
    parser = get_parser(source.parser)(day=day)

    def create(file_id, records_sha256, count) -> LogFile:
        compressed_size, compressed_sha256 = stored.result()  # its error if not written
        return LogFile.objects.create(
            pk=file_id,
            source=source,
            day=day,
            name=name,
            size=len(data),
            sha256=digest,
            gz_path=relative,
            gz_size=compressed_size,
            gz_sha256=compressed_sha256,
            lines=result.lines,
            records=count,
            records_sha256=records_sha256,
            skipped=result.skipped,
            unreadable=result.unreadable,
            parsed=True,
            received_at=received_at or timezone.now(),
        )

    # The file is compressed and written in a thread beside the parsing (zlib and hashlib let
    # go of the interpreter lock), and the records are loaded as they are parsed (COPY on
    # PostgreSQL): on two cores the three overlap.
    with ThreadPoolExecutor(max_workers=1) as pool:
        stored = pool.submit(storage.store, relative, data)
        try:
            with transaction.atomic(), records.Loader(source_id=source.pk) as loader:
                result = parse_data(parser, data, sink=loader.add, row_sink=loader.row_sink)
                return loader.finish(create)
        except BaseException:
            if stored.exception() is None:  # written by us: take it back
                storage.remove(relative)
            raise


SOURCE_PERMISSIONS = ("logs5651.add_logsource", "logs5651.change_logsource")


def _source_units(user) -> set[int] | None:
    """The units where ``user`` may add or change sources (None: everywhere)."""
    scope = get_scope(user)
    unit_ids: set[int] = set()
    for perm in SOURCE_PERMISSIONS:
        units = scope.units_for(perm)
        if units is None:
            return None
        unit_ids |= set(units)
    return unit_ids


def device_choices(user, *, current: int | None = None) -> list[assets.NetworkDeviceSummary]:
    """The network devices (``biys.core.assets``) a source ``user`` keeps may name: those of
    the units where they may add or change sources, and the source's ``current`` device."""
    if not assets.network_devices_installed():
        return []
    devices = assets.network_devices(unit_ids=_source_units(user))
    if current and all(device.pk != current for device in devices):
        kept = assets.find_network_device(current)
        if kept is not None:
            devices.append(kept)
    return devices


def check_network_device(*, user, device_id: int | None, current: int | None = None) -> None:
    """A source names a device of the inventory in the user's units (or keeps the one it
    names); refused with a field error otherwise. Nothing to check without the inventory."""
    if not device_id or device_id == current:
        return
    device = assets.find_network_device(device_id)
    units = _source_units(user)
    if device is None or (units is not None and device.unit_id not in units):
        raise ValidationError(
            {"network_device": _("Choose a network device of a unit whose sources you keep.")}
        )


@transaction.atomic
def log_search(*, user, request_number: str, ip: str, at: datetime, results: int) -> SearchRequest:
    """Every search of the access records is written down: who, on which request, for what."""
    request_number = (request_number or "").strip()
    if not request_number:
        raise ValidationError(
            {"request_number": _("Give the number of the request (yazı sayısı) you answer.")}
        )
    return SearchRequest.objects.create(
        user=user,
        user_name=(user.get_full_name() or user.get_username())[:150],
        request_number=request_number[:100],
        ip=ip,
        at=at,
        results=results,
    )


class SearchAnswer(NamedTuple):
    search: SearchRequest
    records: list


def search_access_records(*, user, ip: str, at: datetime, request_number: str) -> SearchAnswer:
    """Who had ``ip`` at ``at``, among the records ``user`` may see; the search is logged first
    (in the same transaction), so no answer is ever given unrecorded."""
    from biys.logs5651.selectors import who_had

    with transaction.atomic():
        found = list(who_had(ip=ip, at=at, user=user))
        search = log_search(
            user=user, request_number=request_number, ip=ip, at=at, results=len(found)
        )
    return SearchAnswer(search, found)
