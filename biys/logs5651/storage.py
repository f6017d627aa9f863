"""Where the received files are kept: ``BIYS_LOGS5651_DIR/<source id>/<YYYY>/<MM>/<DD>/``,
compressed with gzip (level 1, no name or time in the header, so the same bytes always give
the same compressed file and digest)."""

import gzip
import hashlib
import os
import re
import zlib
from pathlib import Path

from django.conf import settings


def root() -> Path:
    return Path(settings.BIYS_LOGS5651_DIR)


def absolute(relative: str) -> Path:
    return root() / relative


def safe_name(name: str) -> str:
    name = Path(name.replace("\\", "/")).name
    name = re.sub(r"[^\w.\-]+", "_", name, flags=re.ASCII).strip("._") or "log"
    return name[:200]


def relative_path(*, source_id: int, day, name: str, digest: str) -> str:
    return f"{source_id}/{day:%Y/%m/%d}/{digest[:12]}-{safe_name(name)}.gz"


def compress(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=1, mtime=0)


def write_file(relative: str, data: bytes) -> None:
    """Written once (a file of the same name is never overwritten), read-only afterwards."""
    path = absolute(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    path.chmod(0o440)


def store(relative: str, data: bytes) -> tuple[int, str]:
    """Compress ``data`` and write it once under ``relative``: (compressed size, its SHA-256)."""
    compressed = compress(data)
    write_file(relative, compressed)
    return len(compressed), hashlib.sha256(compressed).hexdigest()


def remove(relative: str) -> None:
    """Take back a file just written (its database rows could not be saved)."""
    path = absolute(relative)
    if path.exists():
        path.chmod(0o640)
        path.unlink(missing_ok=True)


def sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def read_raw(relative: str) -> bytes:
    """The file as received (decompressed)."""
    try:
        return gzip.decompress(absolute(relative).read_bytes())
    except (OSError, EOFError, zlib.error) as error:
        raise OSError(f"cannot decompress {relative}: {error}") from error
