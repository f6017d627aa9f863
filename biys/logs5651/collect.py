"""The watched folder: ``BIYS_LOGS5651_INCOMING/<source name>/<file>``, where rsyslog writes
one file per source and day (``deploy/rsyslog/biys-5651.conf``) and where exported files (a
Windows DHCP server's log, a leases file) are dropped. A file is taken once its day has ended:
its day is the date in its name (``2026-11-30``, ``20261130``), else the day it was last
written. A taken file is stored compressed and removed from the folder; one that is refused
(received before, of a sealed day) is moved to ``.rejected/`` with the reason beside it.
"""

import re
import shutil
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from biys.logs5651.models import LogSource

DAY_IN_NAME = re.compile(r"(20\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])")
PARTIAL = (".tmp", ".part", ".swp")


@dataclass
class Collected:
    source: str
    file: str
    day: str | None
    outcome: str  # received, rejected, open (its day has not ended), unknown_source
    detail: str = ""
    log_file: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def incoming() -> Path:
    return Path(settings.BIYS_LOGS5651_INCOMING)


def day_of(path: Path) -> date:
    match = DAY_IN_NAME.search(path.name)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    written = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.get_current_timezone())
    return written.date()


def _reject(path: Path, root: Path, reason: str) -> None:
    target = root / ".rejected" / path.parent.name
    target.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    moved = target / f"{stamp}-{path.name}"
    shutil.move(str(path), moved)
    moved.with_name(moved.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")


def collect(*, now: datetime | None = None) -> list[Collected]:
    """Take every closed file of the watched folder."""
    from biys.logs5651.services import ingest_file

    root = incoming()
    today = timezone.localdate(now or timezone.now())
    sources = {source.name: source for source in LogSource.objects.filter(active=True)}
    results = []
    if not root.is_dir():
        return results
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        source = sources.get(folder.name)
        files = sorted(
            p
            for p in folder.iterdir()
            if p.is_file() and not p.name.startswith(".") and not p.name.endswith(PARTIAL)
        )
        for path in files:
            day = day_of(path)
            entry = Collected(folder.name, path.name, day.isoformat(), "open")
            results.append(entry)
            if source is None:
                entry.outcome = "unknown_source"
                continue
            if day >= today:
                continue
            try:
                log_file = ingest_file(source=source, path_or_bytes=path, day=day, name=path.name)
            except ValidationError as error:
                entry.outcome, entry.detail = "rejected", "; ".join(error.messages)
                _reject(path, root, entry.detail)
                continue
            entry.outcome, entry.log_file = "received", log_file.pk
            path.unlink()
    return results
