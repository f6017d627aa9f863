"""OpenVAS / Greenbone (GMP) XML reports: ``<report>`` with ``<results><result>`` rows; the
asset is the result's host, the rule the NVT's OID."""

from django.utils.translation import gettext as _

from biys.secops.choices import Format
from biys.secops.parsers.base import (
    ParsedFinding,
    Parser,
    ReportError,
    entry_error,
    score,
    severity_of_score,
    severity_word,
    text,
)
from biys.secops.parsers.xml import child_text, drop, events

ROOTS = ("report", "get_reports_response")
DESCRIPTION_TAGS = ("summary", "insight", "affected", "impact", "vuldetect")


def parse_tags(value: str) -> dict[str, str]:
    tags = {}
    for part in (value or "").split("|"):
        key, sep, rest = part.partition("=")
        if sep:
            tags[key.strip()] = rest.strip()
    return tags


def parse_port(value: str) -> tuple[int | None, str]:
    """``42/tcp`` → (42, "tcp"); ``general/tcp`` → (None, "tcp")."""
    number, _sep, protocol = (value or "").strip().partition("/")
    port = int(number) if number.isdigit() and 0 < int(number) < 65536 else None
    return port, protocol.strip().lower()[:20]


class OpenVASParser(Parser):
    format = Format.OPENVAS

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        start = head.lstrip()[:2000].lower()
        return start.startswith(b"<") and (b"<report" in start or b"<get_reports_response" in start)

    def parse(self, stream, *, size=0, progress=None):
        number = 0
        for event, element, stack in events(stream, size=size, progress=progress):
            if event == "start":
                if len(stack) == 1 and element.tag not in ROOTS:
                    raise ReportError(_("This is not an OpenVAS/Greenbone XML report."))
                continue
            if element.tag != "result" or element.find("nvt") is None:
                continue
            number += 1
            yield self.finding(element, number)
            drop(element, stack)

    def finding(self, result, number: int) -> ParsedFinding:
        nvt = result.find("nvt")
        host_element = result.find("host")
        ip = text(host_element.text if host_element is not None else "", 45)
        hostname = child_text(result, "host/hostname")
        host = ip or hostname
        oid = (nvt.get("oid") or "").strip()
        if not host:
            raise entry_error(number, _("the result names no host."))
        if not oid:
            raise entry_error(number, _("the result names no NVT."))
        tags = parse_tags(child_text(nvt, "tags"))
        value = score(child_text(result, "severity")) or score(child_text(nvt, "cvss_base"))
        threat = child_text(result, "threat")
        if value is not None and value > 0:
            severity = severity_of_score(value)
        else:
            severity = severity_word(threat, default=severity_of_score(value))
        vector = child_text(nvt, "severities/severity/value") or tags.get("cvss_base_vector", "")
        cves, urls = [], []
        for ref in nvt.iterfind("refs/ref"):
            kind, ref_id = ref.get("type", ""), (ref.get("id") or "").strip()
            if kind == "cve" and ref_id and ref_id.upper() not in cves:
                cves.append(ref_id.upper())
            elif kind == "url" and ref_id:
                urls.append(ref_id)
        port, protocol = parse_port(child_text(result, "port"))
        description = "\n\n".join(tags[key] for key in DESCRIPTION_TAGS if tags.get(key))
        solution = child_text(nvt, "solution") or tags.get("solution", "")
        return ParsedFinding(
            host=host,
            ip=ip,
            hostname=hostname,
            port=port,
            protocol=protocol,
            rule_id=oid,
            title=text(child_text(result, "name") or child_text(nvt, "name") or oid, 500),
            severity=severity,
            cves=cves,
            cvss_score=value if value else score(child_text(nvt, "cvss_base")),
            cvss_vector=text(vector, 200),
            description=description,
            solution=solution,
            references="\n".join(urls),
            evidence=text(child_text(result, "description"), 20000),
        )
