"""The seam between the security operations module (``biys.secops``, which keeps USOM's list
of malicious addresses) and the internet access logs of Law 5651 (``biys.logs5651``, which
keeps who reached which address): sibling domain apps that never import each other.

The log module plugs in a matcher at start-up (``register_access_matcher``); secops asks
``match_access_records(addresses, user=…)``. Without the log module installed the answer is
``None`` (``matcher_installed()`` False) and the caller shows nothing of it.

Access records are personal data kept for the courts: only whoever holds the log module's
view permission on access records (the 5651 log officer over their units, the auditor) gets
the rows, restricted to the units they hold it over. Anyone else who asks (a SOME member) gets
the number of matching records alone (``visible`` False, no row): enough to know that someone
reached a listed address and to ask the log officer, nothing about who.

The log module also names that permission (``reader_permission``), so that a page built on the
seam admits the log officer, whose records they are, as well as the SOME (``may_read_records``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class AccessMatch:
    """An access record whose destination is a listed address."""

    address: str  # the listed address reached
    internal_ip: str  # the address given out inside (the device that reached it)
    identity: str
    mac: str
    hostname: str
    start: datetime
    end: datetime | None
    dst_port: int | None
    source: str  # the log source's name (the DHCP server, hotspot or firewall)
    day: object  # the day of the file it came from


@dataclass(frozen=True)
class AccessMatches:
    """``count``: matching records, capped (``capped`` when there are more); ``rows``: the
    newest of them when ``visible``, else none."""

    count: int
    capped: bool
    visible: bool
    rows: list[AccessMatch] = field(default_factory=list)


Matcher = Callable[..., AccessMatches]
_matcher: Matcher | None = None
_reader_permission: str | None = None


def register_access_matcher(matcher: Matcher, *, reader_permission: str | None = None) -> None:
    """``matcher(addresses, *, user, limit)``: the access records whose destination is one of
    ``addresses`` (IP addresses), as ``AccessMatches`` for ``user``; ``reader_permission``: the
    permission that lets a user read access records (over the units it is held over)."""
    global _matcher, _reader_permission
    _matcher = matcher
    _reader_permission = reader_permission


def may_read_records(user) -> bool:
    """Does ``user`` read access records over some unit (the log officer, the auditor)?"""
    if _matcher is None or _reader_permission is None:
        return False
    from biys.core.access import get_scope

    return get_scope(user).has_perm(_reader_permission)


def matcher_installed() -> bool:
    return _matcher is not None


def match_access_records(addresses: Iterable[str], *, user, limit: int = 100):
    """``AccessMatches`` for ``user``, or ``None`` when no access log module is installed."""
    if _matcher is None:
        return None
    return _matcher(list(addresses), user=user, limit=limit)
