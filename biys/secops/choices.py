from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Severity(models.IntegerChoices):
    """Ordered, so the list sorts the worst first."""

    INFO = 0, _("Informational")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


# Default remediation targets in days (editable data: ``RemediationTarget``).
DEFAULT_TARGET_DAYS = {
    Severity.CRITICAL: 7,
    Severity.HIGH: 30,
    Severity.MEDIUM: 90,
    Severity.LOW: 180,
}


class State(models.TextChoices):
    OPEN = "open", _("Open")
    IN_REMEDIATION = "in_remediation", _("In remediation")
    RISK_ACCEPTED = "risk_accepted", _("Risk accepted")
    FALSE_POSITIVE = "false_positive", _("False positive")
    FIXED = "fixed", _("Fixed")
    REOPENED = "reopened", _("Reopened")


# States in which a finding still waits for a fix (and can be overdue).
ACTIVE_STATES = (State.OPEN, State.IN_REMEDIATION, State.REOPENED)


class Format(models.TextChoices):
    OPENVAS = "openvas", _("OpenVAS / Greenbone XML")
    NESSUS = "nessus", _("Nessus (.nessus)")
    TRIVY = "trivy", _("Trivy JSON")
    NUCLEI = "nuclei", _("Nuclei JSON / JSONL")


class FindingSource(models.TextChoices):
    """Where a finding came from: a scanner's report, or a penetration test typed in."""

    OPENVAS = Format.OPENVAS.value, Format.OPENVAS.label
    NESSUS = Format.NESSUS.value, Format.NESSUS.label
    TRIVY = Format.TRIVY.value, Format.TRIVY.label
    NUCLEI = Format.NUCLEI.value, Format.NUCLEI.label
    PENTEST = "pentest", _("Penetration test")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")


# Incidents (SOME) -----------------------------------------------------------------------


class IncidentState(models.TextChoices):
    OPEN = "open", _("Open")
    CONTAINED = "contained", _("Contained")
    RECOVERED = "recovered", _("Recovered")
    CLOSED = "closed", _("Closed")


class TaskState(models.TextChoices):
    OPEN = "open", pgettext_lazy("incident task", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("incident task", "In progress")
    DONE = "done", pgettext_lazy("incident task", "Done")
    CANCELLED = "cancelled", pgettext_lazy("incident task", "Cancelled")


class DetectionSource(models.TextChoices):
    MONITORING = "monitoring", _("Monitoring alert (service-desk ticket)")
    REPORT = "report", pgettext_lazy("incident detection", "Report")
    USOM = "usom", _("USOM notice")
    OTHER = "other", _("Other")


class Classification(models.TextChoices):
    MALWARE = "malware", _("Malware")
    PHISHING = "phishing", _("Phishing")
    UNAUTHORISED_ACCESS = "unauthorised_access", _("Unauthorised access")
    DOS = "dos", _("Denial of service")
    DATA_BREACH = "data_breach", _("Data breach")
    DEFACEMENT = "defacement", _("Defacement")
    OTHER = "other", pgettext_lazy("incident classification", "Other")


class IndicatorKind(models.TextChoices):
    IP = "ip", _("IP address")
    DOMAIN = "domain", _("Domain")
    URL = "url", _("URL")
    HASH = "hash", _("File hash")
    EMAIL = "email", _("E-mail address")


class RuleCondition(models.TextChoices):
    ALWAYS = "always", _("Every incident")
    PERSONAL_DATA = "personal_data", _("Personal data involved")
    SEVERE = "severe", _("High or critical severity")


# USOM's malicious address list ------------------------------------------------------------


class UsomListFormat(models.TextChoices):
    TEXT = "txt", _("Text, one address a line (url-list.txt)")
    JSON = "json", _("JSON (USOM's address API)")


class UsomListSource(models.TextChoices):
    UPLOAD = "upload", pgettext_lazy("usom list", "Uploaded")
    SCHEDULE = "schedule", _("Fetched on schedule")
