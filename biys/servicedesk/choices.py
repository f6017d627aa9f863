from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketKind(models.TextChoices):
    FAULT = "fault", _("Fault (arıza)")
    REQUEST = "request", _("Request (talep)")
    ACCESS = "access", _("Access / authorisation request")
    ESIGNATURE = "esignature", _("E-signature / mobile signature")
    EVENT = "event", _("Event support")
    ALERT = "alert", _("Monitoring alert")


class TicketState(models.TextChoices):
    NEW = "new", _("New")
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (
    TicketState.NEW,
    TicketState.PENDING_APPROVAL,
    TicketState.ASSIGNED,
    TicketState.IN_PROGRESS,
    TicketState.ON_HOLD,
)
# The technicians' queue: open and past approval (one definition, and the predicate of the
# queue's partial indexes, so it is spelled out rather than derived from OPEN_STATES).
QUEUE_STATES = (
    TicketState.NEW,
    TicketState.ASSIGNED,
    TicketState.IN_PROGRESS,
    TicketState.ON_HOLD,
)
SLA_STOPPED_STATES = (TicketState.RESOLVED, TicketState.CLOSED, TicketState.CANCELLED)


class HoldReason(models.TextChoices):
    REQUESTER = "requester", _("Waiting for the requester")
    SUPPLIER = "supplier", _("Waiting for the supplier")
    SPARE_PART = "spare_part", _("Waiting for a spare part")


class Level(models.IntegerChoices):
    """Impact and urgency share one scale."""

    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class Priority(models.IntegerChoices):
    CRITICAL = 1, _("Critical")
    HIGH = 2, _("High")
    MEDIUM = 3, _("Medium")
    LOW = 4, _("Low")


# ITIL-style matrix: impact x urgency -> priority.
PRIORITY_MATRIX = {
    (Level.HIGH, Level.HIGH): Priority.CRITICAL,
    (Level.HIGH, Level.MEDIUM): Priority.HIGH,
    (Level.MEDIUM, Level.HIGH): Priority.HIGH,
    (Level.HIGH, Level.LOW): Priority.MEDIUM,
    (Level.MEDIUM, Level.MEDIUM): Priority.MEDIUM,
    (Level.LOW, Level.HIGH): Priority.MEDIUM,
    (Level.MEDIUM, Level.LOW): Priority.LOW,
    (Level.LOW, Level.MEDIUM): Priority.LOW,
    (Level.LOW, Level.LOW): Priority.LOW,
}


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    MONITORING = "monitoring", _("Monitoring")
    RECURRING = "recurring", _("Recurring")
    API = "api", _("API")


class AssignmentRule(models.TextChoices):
    MANUAL = "manual", _("By hand")
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_LOADED = "least_loaded", _("Least loaded")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
