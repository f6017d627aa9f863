"""Nuclei JSON lines (``-jsonl``, v2 and v3) and the JSON array of ``-json-export``; old 2.x
keys (``templateID``, ``matched``) too. The asset is the IP address (else the host name), the
rule the template (and its matcher)."""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from biys.secops.choices import Format
from biys.secops.parsers.base import (
    ParsedFinding,
    Parser,
    ReportError,
    cves_in,
    entry_error,
    score,
    severity_word,
    text,
)
from biys.secops.parsers.json_reader import decode, load, read_all

DEFAULT_PORTS = {"http": 80, "https": 443}


def _strings(value) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value if item]
    return [str(value)] if value else []


def locate(host: str, matched: str) -> tuple[str, int | None, str]:
    """(host name, port, path) from ``matched-at`` (a URL or ``host:port``) or ``host``."""
    for candidate in (matched, host):
        candidate = (candidate or "").strip()
        if not candidate:
            continue
        if "://" in candidate:
            parts = urlsplit(candidate)
            try:
                port = parts.port or DEFAULT_PORTS.get(parts.scheme)
            except ValueError:
                port = None
            path = parts.path if parts.path not in ("", "/") else ""
            return (parts.hostname or "", port, path)
        name, sep, port = candidate.rpartition(":")
        if sep and port.isdigit() and "]" not in port:
            return name.strip("[]"), int(port), ""
        return candidate, None, ""
    return "", None, ""


class NucleiParser(Parser):
    format = Format.NUCLEI

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        start = head.lstrip()[:4000]
        return start[:1] in (b"{", b"[") and (b'"template-id"' in start or b'"templateID"' in start)

    def parse(self, stream, *, size=0, progress=None):
        content = decode(read_all(stream, size=size, progress=progress))
        stripped = content.lstrip()
        if not stripped:
            raise ReportError(_("The file is empty."))
        if stripped.startswith("["):
            items = load(content)
            if not isinstance(items, list):
                raise ReportError(_("This is not a Nuclei JSON report."))
            numbered = list(enumerate(items, start=1))
        else:
            numbered = []
            for number, line in enumerate(content.splitlines(), start=1):
                if line.strip():
                    numbered.append((number, load(line, line_offset=number - 1)))
        for number, item in numbered:
            yield self.finding(item, number)

    def finding(self, item, number: int) -> ParsedFinding:
        if not isinstance(item, dict):
            raise ReportError(_("This is not a Nuclei JSON report."))
        template = item.get("template-id") or item.get("templateID")
        info = item.get("info")
        if not template or not isinstance(info, dict):
            raise ReportError(_("This is not a Nuclei JSON report."))
        matched = item.get("matched-at") or item.get("matched") or ""
        hostname, port, path = locate(str(item.get("host") or ""), str(matched))
        ip = text(item.get("ip"), 45)
        host = ip or hostname
        if not host:
            raise entry_error(number, _("the result names no host."))
        severity = severity_word(info.get("severity"))
        if severity is None:
            raise entry_error(
                number, _("unknown severity %(value)r.") % {"value": info.get("severity")}
            )
        classification = info.get("classification") or {}
        if not isinstance(classification, dict):
            classification = {}
        rule = str(template)
        if item.get("matcher-name"):
            rule = f"{rule}:{item['matcher-name']}"
        evidence = [str(matched), *_strings(item.get("extracted-results"))]
        return ParsedFinding(
            host=text(host, 255),
            ip=ip,
            hostname=text(hostname, 255),
            port=port if port and 0 < port < 65536 else None,
            protocol=text(item.get("type"), 20).lower(),
            component=text(path, 300),
            rule_id=text(rule, 200),
            title=text(info.get("name") or template, 500),
            severity=severity,
            cves=cves_in(_strings(classification.get("cve-id"))),
            cvss_score=score(classification.get("cvss-score")),
            cvss_vector=text(classification.get("cvss-metrics"), 200),
            description=text(info.get("description")),
            solution=text(info.get("remediation")),
            references="\n".join(_strings(info.get("reference"))),
            evidence=text("\n".join(e for e in evidence if e), 20000),
        )
