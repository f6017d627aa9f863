"""Nessus ``.nessus`` (NessusClientData_v2, also Tenable WAS exports): ``ReportHost`` with its
``HostProperties`` and ``ReportItem`` rows; the rule is the plugin ID."""

import ipaddress

from django.utils.translation import gettext as _

from biys.secops.choices import Format, Severity
from biys.secops.parsers.base import (
    ParsedFinding,
    Parser,
    ReportError,
    cves_in,
    entry_error,
    score,
    text,
)
from biys.secops.parsers.xml import child_text, drop, events

SEVERITY = {
    "0": Severity.INFO,
    "1": Severity.LOW,
    "2": Severity.MEDIUM,
    "3": Severity.HIGH,
    "4": Severity.CRITICAL,
}


def is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def clean(value: str) -> str:
    return "" if value.strip().lower() in ("n/a", "none") else value.strip()


class NessusParser(Parser):
    format = Format.NESSUS

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        return b"<NessusClientData_v2" in head[:4000]

    def parse(self, stream, *, size=0, progress=None):
        number = 0
        host_name, properties = "", {}
        for event, element, stack in events(stream, size=size, progress=progress):
            tag = element.tag
            if event == "start":
                if len(stack) == 1 and tag != "NessusClientData_v2":
                    raise ReportError(_("This is not a Nessus (.nessus v2) report."))
                if tag == "ReportHost":
                    host_name, properties = (element.get("name") or "").strip(), {}
                continue
            if tag == "HostProperties":
                properties = {
                    tag_element.get("name"): (tag_element.text or "").strip()
                    for tag_element in element.iterfind("tag")
                }
            elif tag == "ReportItem":
                number += 1
                yield self.finding(element, number, host_name, properties)
                drop(element, stack)
            elif tag in ("ReportHost", "Policy"):
                drop(element, stack)

    def finding(self, item, number, host_name, properties) -> ParsedFinding:
        ip = properties.get("host-ip", "") or (host_name if is_ip(host_name) else "")
        hostname = properties.get("host-fqdn", "") or ("" if is_ip(host_name) else host_name)
        host = ip or hostname or host_name
        plugin = (item.get("pluginID") or "").strip()
        if not host:
            raise entry_error(number, _("the host has no name."))
        if not plugin:
            raise entry_error(number, _("the item has no plugin ID."))
        severity = SEVERITY.get((item.get("severity") or "").strip())
        if severity is None:
            raise entry_error(
                number, _("unknown severity %(value)r.") % {"value": item.get("severity")}
            )
        port_text = (item.get("port") or "").strip()
        port = int(port_text) if port_text.isdigit() and 0 < int(port_text) < 65536 else None
        value = (
            score(child_text(item, "cvss3_base_score"))
            or score(child_text(item, "cvssv3"))
            or score(child_text(item, "cvss_base_score"))
            or score(child_text(item, "cvss"))
        )
        vector = child_text(item, "cvss3_vector") or child_text(item, "cvss_vector")
        cves = cves_in(element.text for element in item.iterfind("cve"))
        synopsis = child_text(item, "synopsis")
        description = child_text(item, "description")
        references = [e.text.strip() for e in item.iterfind("see_also") if e.text]
        return ParsedFinding(
            host=text(host, 255),
            ip=ip[:45],
            hostname=text(hostname, 255),
            port=port,
            protocol=(item.get("protocol") or "").strip().lower()[:20],
            rule_id=plugin,
            title=text(item.get("pluginName") or child_text(item, "plugin_name") or plugin, 500),
            severity=severity,
            cves=cves,
            cvss_score=value,
            cvss_vector=text(vector, 200),
            description="\n\n".join(part for part in (synopsis, description) if part),
            solution=clean(child_text(item, "solution")),
            references="\n".join(references),
            evidence=text(child_text(item, "plugin_output"), 20000),
        )
