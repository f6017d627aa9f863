"""Checkpoints: every chain head written to a file outside the database, signed with the audit
key. Removing the newest records and rewinding a head (or truncating everything) leaves a chain
that is consistent in itself; the latest checkpoint still names records that must exist.

``biys audit checkpoint`` and the beat task ``biys.core.tasks.write_audit_checkpoint`` write one;
``biys audit verify`` checks the database against the newest. Copy the directory off the host
(backup, syslog, WORM storage): a checkpoint is only as safe as the place it is kept. A trusted
timestamp (RFC 3161, the 5651 module) plugs in through ``BIYS_AUDIT_TIMESTAMPER``.
"""

import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from biys.core.auditkey import key_fingerprint, sign
from biys.core.models import AuditChainHead

PREFIX = "checkpoint-"


class CheckpointError(Exception):
    pass


@dataclass
class Checkpoint:
    name: str
    created: str
    heads: dict[str, dict]  # chain number (as text) -> {"sequence": n, "hash": h}
    timestamp_token: str = ""

    def entries(self) -> list[tuple[int, int, str]]:
        return [
            (int(chain), head["sequence"], head["hash"])
            for chain, head in sorted(self.heads.items(), key=lambda item: int(item[0]))
            if head["sequence"] > 0
        ]


def directory() -> Path:
    return Path(settings.BIYS_AUDIT_CHECKPOINT_DIR)


def _body(created: str, heads: dict) -> bytes:
    document = {"created": created, "heads": heads, "key": key_fingerprint(), "version": 1}
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _timestamp(body: bytes) -> str:
    """The seam for a trusted timestamp authority; empty until one is configured."""
    path = getattr(settings, "BIYS_AUDIT_TIMESTAMPER", "")
    return import_string(path)(body) if path else ""


def write_checkpoint(*, using: str = "default") -> Path:
    heads = {
        str(head.pk): {"sequence": head.sequence, "hash": head.last_hash}
        for head in AuditChainHead.objects.using(using).order_by("pk")
    }
    now = timezone.now()
    created = now.isoformat(timespec="microseconds")
    body = _body(created, heads)
    document = json.loads(body)
    document["signature"] = sign(body)
    document["timestamp_token"] = _timestamp(body)
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{PREFIX}{now.strftime('%Y%m%dT%H%M%S%fZ')}.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, indent=1, sort_keys=True))
    os.replace(temporary, path)  # a reader never sees half a checkpoint
    return path


def read_checkpoint(path: Path) -> Checkpoint:
    try:
        document = json.loads(path.read_text())
        body = _body(document["created"], document["heads"])
        signature = document["signature"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"{path.name} is unreadable: {error}") from error
    if not hmac.compare_digest(sign(body), signature):
        raise CheckpointError(f"{path.name} has a bad signature: forged, or another audit key")
    return Checkpoint(
        name=path.name,
        created=document["created"],
        heads=document["heads"],
        timestamp_token=document.get("timestamp_token", ""),
    )


def latest_checkpoint() -> Checkpoint | None:
    folder = directory()
    if not folder.is_dir():
        return None
    paths = sorted(folder.glob(f"{PREFIX}*.json"))
    return read_checkpoint(paths[-1]) if paths else None


def _written_at(path: Path) -> datetime | None:
    stamp = path.name.removeprefix(PREFIX).removesuffix(".json")
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ")
    except ValueError:
        return None


def prune_checkpoints(*, now: datetime | None = None, keep_days: int | None = None) -> int:
    """Thin out old checkpoints: all of the last ``keep_days`` days stay, and of every older day
    its last one (the evidence of that day), so the folder grows by one file a day, not ninety-six.
    Returns how many files were removed."""
    if keep_days is None:
        keep_days = settings.BIYS_AUDIT_CHECKPOINT_KEEP_DAYS
    folder = directory()
    if not folder.is_dir():
        return 0
    now = now or timezone.now()
    cutoff = now.replace(tzinfo=None) - timedelta(days=keep_days)
    last_of_day: dict = {}
    old = []
    for path in sorted(folder.glob(f"{PREFIX}*.json")):
        written = _written_at(path)
        if written is None or written >= cutoff:
            continue
        old.append(path)
        last_of_day[written.date()] = path  # sorted: the last one of the day wins
    keep = set(last_of_day.values())
    removed = 0
    for path in old:
        if path not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
