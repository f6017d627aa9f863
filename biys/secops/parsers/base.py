"""What every scanner parser yields, and the refusal it raises.

A parser reads a file object (binary), yields ``ParsedFinding`` rows and calls ``progress`` with
the share of the file read so far. A file it cannot read to the end (not its format, truncated,
malformed) raises ``ReportError`` with a translated message: the importer then writes nothing.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.utils.translation import gettext as _

from biys.secops.choices import Severity

CVE_RE = re.compile(r"CVE-\d{4}-\d{4,}", re.IGNORECASE)
Progress = Callable[[float], None]


class ReportError(Exception):
    """The file is refused; the message says why (translated)."""


@dataclass
class ParsedFinding:
    host: str
    rule_id: str
    title: str
    severity: int
    ip: str = ""
    hostname: str = ""
    port: int | None = None
    protocol: str = ""
    component: str = ""
    cves: list[str] = field(default_factory=list)
    cvss_score: Decimal | None = None
    cvss_vector: str = ""
    description: str = ""
    solution: str = ""
    references: str = ""
    evidence: str = ""


class CountingReader:
    """A binary file wrapper that reports how much of the file was read."""

    def __init__(self, stream: BinaryIO, size: int, progress: Progress | None):
        self.stream, self.size, self.progress = stream, max(size, 1), progress
        self.read_bytes = 0
        self._reported = 0.0

    def read(self, n: int = -1) -> bytes:
        chunk = self.stream.read(n)
        self.read_bytes += len(chunk)
        if self.progress is not None:
            share = min(self.read_bytes / self.size, 1.0)
            if share - self._reported >= 0.02 or (share == 1.0 and self._reported < 1.0):
                self._reported = share
                self.progress(share)
        return chunk


class Parser:
    """One class per format: ``format`` (a ``Format`` value) and ``parse``."""

    format: str = ""

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        """Does the beginning of a file look like this format?"""
        raise NotImplementedError

    def parse(self, stream: BinaryIO, *, size: int = 0, progress: Progress | None = None
              ) -> Iterator[ParsedFinding]:  # fmt: skip
        raise NotImplementedError


# Helpers shared by the parsers -----------------------------------------------------------


def cves_in(values) -> list[str]:
    found: list[str] = []
    for value in values:
        for match in CVE_RE.findall(str(value or "")):
            cve = match.upper()
            if cve not in found:
                found.append(cve)
    return found


def score(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > 10:
        return None
    return number.quantize(Decimal("0.1"))


SEVERITY_WORDS = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "moderate": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.INFO,
    "informational": Severity.INFO,
    "none": Severity.INFO,
    "log": Severity.INFO,
    "unknown": Severity.INFO,
}


def severity_word(value, *, default: int | None = None) -> int | None:
    return SEVERITY_WORDS.get(str(value or "").strip().lower(), default)


def severity_of_score(value: Decimal | None) -> int:
    """CVSS v3 qualitative rating."""
    if value is None or value == 0:
        return Severity.INFO
    if value >= 9:
        return Severity.CRITICAL
    if value >= 7:
        return Severity.HIGH
    if value >= 4:
        return Severity.MEDIUM
    return Severity.LOW


def entry_error(number: int, problem: str) -> ReportError:
    return ReportError(
        _("Entry %(number)s of the report: %(problem)s") % {"number": number, "problem": problem}
    )


def text(value, limit: int = 0) -> str:
    result = str(value or "").replace("\x00", "").strip()
    return result[:limit] if limit else result
