"""Reading USOM's list of malicious addresses (USOM zararlı bağlantılar listesi) and the one
spelling of an address used to match it against indicators.

Two shapes are read (from USOM's own publications; no sample file is shipped with BİYS):

- ``url-list.txt``: the whole list, one address a line: a domain, an IP address or a URL,
  usually without its scheme (``example.com/giris.php``); blank lines and ``#`` comments are
  skipped;
- the address API's JSON (``/api/address/index``): ``{"models": [{"id", "url", "type", "desc",
  "criticality_level", "date", ...}], "totalCount", ...}``, one page or a saved archive of
  pages; a bare list of such objects is read too. A page is not the whole list.

A line or an entry that is not an address is skipped and counted; a file with no address at all,
not UTF-8, or a JSON that does not parse is refused with ``UsomListError``.
"""

import ipaddress
import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

MAX_LENGTH = 500
_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")


class UsomListError(ValueError):
    """The file is not a USOM list we can read."""


@dataclass(frozen=True)
class UsomEntry:
    kind: str  # ip | domain | url
    value: str
    usom_id: int | None = None
    category: str = ""
    criticality: int | None = None
    listed_at: datetime | None = None


@dataclass
class UsomList:
    format: str
    entries: list[UsomEntry]
    skipped: int
    complete: bool


def _host(host: str) -> tuple[str, str] | None:
    """("ip" | "domain", canonical host) or None."""
    host = host.strip().strip(".").lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return "ip", str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if ":" in host:  # host:port
        name, _sep, port = host.rpartition(":")
        if port.isdigit():
            return _host(name)
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return ("domain", host) if _DOMAIN.fullmatch(host) else None


def classify(address: str) -> tuple[str, str] | None:
    """The kind and canonical value of an address as USOM lists it: an IP address, a domain
    (lower case, punycode, no trailing dot) or a URL written ``host/path`` (no scheme, the host
    canonical, no trailing slash). None when it is none of them."""
    if not isinstance(address, str):
        return None
    address = address.strip()
    if not address or len(address) > MAX_LENGTH or any(c.isspace() for c in address):
        return None
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", address, flags=re.IGNORECASE)
    host, slash, path = rest.partition("/")
    host = host.rpartition("@")[2]  # user:password@host
    found = _host(host)
    if found is None:
        return None
    path = path.split("#", 1)[0].rstrip("/")
    if not slash or not path:
        return found
    return "url", f"{found[1]}/{path}"[:MAX_LENGTH]


def candidates(kind: str, value: str) -> set[str]:
    """The USOM values an indicator matches: itself, and for a domain, a URL or an e-mail
    address the listed domains it belongs to (``mail.kotu.example`` is on the list when
    ``kotu.example`` is)."""
    if kind == "email":
        value = value.rpartition("@")[2]
        kind = "domain"
    if kind in ("hash",):
        return set()
    found = classify(value)
    if found is None:
        return set()
    found_kind, canonical = found
    values = {canonical, canonical.split("?", 1)[0]}
    host = canonical.split("/", 1)[0]
    values.add(host)
    if found_kind != "ip" and _host(host) and _host(host)[0] == "domain":
        labels = host.split(".")
        values.update(".".join(labels[i:]) for i in range(1, len(labels) - 1))
    return values


def _date(text) -> datetime | None:
    if not text or not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    if not 1990 <= moment.year <= 2200:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _int(value, limit: int = 2**63 - 1) -> int | None:
    """A whole number from 0 to ``limit`` (the column's range), else None."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 <= number <= limit else None


def _json_entries(data) -> tuple[list, bool]:
    if isinstance(data, list):
        return data, False
    if isinstance(data, dict) and isinstance(data.get("models"), list):
        models = data["models"]
        total = _int(data.get("totalCount"))
        return models, total is not None and total == len(models)
    raise UsomListError(_('This JSON is not USOM\'s address list (no "models").'))


def parse(content: bytes) -> UsomList:
    """Read a whole file (``bytes``) or raise ``UsomListError``."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsomListError(_("The file is not UTF-8 text.")) from error
    if not text.strip():
        raise UsomListError(_("The file is empty."))
    entries: dict[tuple[str, str], UsomEntry] = {}
    skipped = 0
    stripped = text.lstrip()
    if stripped[:1] in "[{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise UsomListError(
                _("The JSON file is broken or cut short (line %(line)s).") % {"line": error.lineno}
            ) from error
        items, complete = _json_entries(data)
        format = "json"
        for item in items:
            found = classify(item.get("url", "")) if isinstance(item, dict) else None
            if found is None:
                skipped += 1
                continue
            entry = UsomEntry(
                kind=found[0],
                value=found[1],
                usom_id=_int(item.get("id")),
                category=str(item.get("desc") or "")[:20],
                criticality=_int(item.get("criticality_level"), 32767),
                listed_at=_date(item.get("date")),
            )
            if (entry.kind, entry.value) in entries:
                skipped += 1
            entries[(entry.kind, entry.value)] = entry
    else:
        format, complete = "txt", True
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            found = classify(line)
            if found is None or found in entries:
                skipped += 1
                continue
            entries[found] = UsomEntry(kind=found[0], value=found[1])
    if not entries:
        raise UsomListError(_("The file holds no address USOM's list could carry."))
    return UsomList(format, list(entries.values()), skipped, complete)
