"""Trivy JSON (SchemaVersion 2, and the legacy top-level list of results): vulnerabilities of
packages, failed misconfiguration checks and secrets. The asset is the scanned artifact (an
image, a repository, a file system), the component the package or file."""

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


def _cvss(vulnerability: dict) -> tuple:
    cvss = vulnerability.get("CVSS") or {}
    if not isinstance(cvss, dict):
        return None, ""
    sources = [vulnerability.get("SeveritySource"), "nvd", *cvss.keys()]
    for source in sources:
        entry = cvss.get(source) if source else None
        if isinstance(entry, dict):
            value = score(entry.get("V3Score")) or score(entry.get("V2Score"))
            vector = entry.get("V3Vector") or entry.get("V2Vector") or ""
            if value is not None or vector:
                return value, str(vector)
    return None, ""


def _list(value) -> list:
    return value if isinstance(value, list) else []


class TrivyParser(Parser):
    format = Format.TRIVY

    def __init__(self):
        self.skipped = 0

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        start = head.lstrip()[:4000]
        return start[:1] in (b"{", b"[") and (b'"SchemaVersion"' in start or b'"Target"' in start)

    def parse(self, stream, *, size=0, progress=None):
        data = load(decode(read_all(stream, size=size, progress=progress)))
        if isinstance(data, dict) and isinstance(data.get("Results", []), list | type(None)):
            artifact = text(data.get("ArtifactName"), 255)
            artifact = "" if artifact == "." else artifact  # a file system scan of "."
            results = data.get("Results") or []
            if "SchemaVersion" not in data and "Results" not in data:
                raise ReportError(_("This is not a Trivy JSON report."))
        elif isinstance(data, list):
            artifact, results = "", data
        else:
            raise ReportError(_("This is not a Trivy JSON report."))
        number = 0
        for result in results:
            if not isinstance(result, dict) or "Target" not in result:
                raise ReportError(_("This is not a Trivy JSON report."))
            target = text(result.get("Target"), 300)
            host = artifact or target
            os_packages = result.get("Class") == "os-pkgs"
            for vulnerability in _list(result.get("Vulnerabilities")):
                number += 1
                yield self.vulnerability(vulnerability, number, host, target, os_packages)
            for check in _list(result.get("Misconfigurations")):
                number += 1
                if str(check.get("Status", "FAIL")).upper() != "FAIL":
                    self.skipped += 1
                    continue
                yield self.misconfiguration(check, number, host, target)
            for secret in _list(result.get("Secrets")):
                number += 1
                yield self.secret(secret, number, host, target)

    def _severity(self, entry: dict, number: int) -> int:
        severity = severity_word(entry.get("Severity"))
        if severity is None:
            raise entry_error(
                number, _("unknown severity %(value)r.") % {"value": entry.get("Severity")}
            )
        return severity

    def vulnerability(self, entry, number, host, target, os_packages) -> ParsedFinding:
        if not isinstance(entry, dict) or not entry.get("VulnerabilityID"):
            raise entry_error(number, _("a vulnerability has no ID."))
        vulnerability_id = text(entry["VulnerabilityID"], 200)
        package = text(entry.get("PkgName") or entry.get("PkgPath"), 200)
        component = package if os_packages else " ".join(p for p in (target, package) if p)
        value, vector = _cvss(entry)
        installed, fixed = entry.get("InstalledVersion") or "", entry.get("FixedVersion") or ""
        details = _("Package %(package)s %(installed)s") % {
            "package": entry.get("PkgName") or package, "installed": installed
        }  # fmt: skip
        references = [entry.get("PrimaryURL") or "", *_list(entry.get("References"))]
        return ParsedFinding(
            host=host,
            component=text(component, 300),
            rule_id=vulnerability_id,
            title=text(entry.get("Title") or vulnerability_id, 500),
            severity=self._severity(entry, number),
            cves=cves_in([vulnerability_id]),
            cvss_score=value,
            cvss_vector=text(vector, 200),
            description=text(entry.get("Description")),
            solution=(
                _("Upgrade %(package)s to %(fixed)s.")
                % {"package": entry.get("PkgName") or package, "fixed": fixed}
                if fixed
                else ""
            ),
            references="\n".join(str(r) for r in references if r),
            evidence=details,
        )

    def misconfiguration(self, entry, number, host, target) -> ParsedFinding:
        if not isinstance(entry, dict) or not (entry.get("ID") or entry.get("AVDID")):
            raise entry_error(number, _("a misconfiguration has no ID."))
        rule = text(entry.get("ID") or entry.get("AVDID"), 200)
        return ParsedFinding(
            host=host,
            component=target,
            rule_id=rule,
            title=text(entry.get("Title") or rule, 500),
            severity=self._severity(entry, number),
            description="\n\n".join(
                text(entry.get(key)) for key in ("Description", "Message") if entry.get(key)
            ),
            solution=text(entry.get("Resolution")),
            references="\n".join(str(r) for r in _list(entry.get("References")) if r),
        )

    def secret(self, entry, number, host, target) -> ParsedFinding:
        if not isinstance(entry, dict) or not entry.get("RuleID"):
            raise entry_error(number, _("a secret has no rule ID."))
        rule = text(entry["RuleID"], 200)
        line = entry.get("StartLine")
        return ParsedFinding(
            host=host,
            component=text(f"{target}:{line}" if line else target, 300),
            rule_id=rule,
            title=text(entry.get("Title") or rule, 500),
            severity=self._severity(entry, number),
            description=text(entry.get("Category")),
            solution=_("Remove the secret from the file and revoke it."),
            evidence=text(entry.get("Match"), 2000),
        )
