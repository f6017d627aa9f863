"""Reads of the applications module that are more than a filter: the list, the deadline
clock, who hears of a deadline, and the report."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, Q
from django.utils import timezone

from biys.applications.choices import State
from biys.applications.deadlines import working_days_left
from biys.applications.models import Application, ApplicationType
from biys.core.text import sort_key

LIST_RELATED = ("type", "responsible_unit")


def today() -> date:
    return timezone.localdate()


def week_bounds(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week of ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def late_q(day: date) -> Q:
    """Late: open past its deadline, or answered after it."""
    return Q(state=State.OPEN, due_date__lt=day) | (
        ~Q(state=State.OPEN) & Q(answered_on__gt=F("due_date"))
    )


def applications_for(user):
    return Application.objects.restrict(user, "view")


def applications_answered_by(user, document) -> list:
    """The applications the user may see that the outgoing document ``document`` answers."""
    from django.utils.translation import gettext as _

    from biys.core.correspondence import LinkedRecord

    return [
        LinkedRecord(
            kind=_("Answer to the application"),
            label=f"{application.number} — {application.subject}",
            url=application.get_absolute_url(),
            state=application.get_state_display(),
        )
        for application in applications_for(user)
        .filter(answer_document_id=document.pk)
        .only("pk", "number", "subject", "state")
        .order_by("pk")
    ]


def visible_by_number(user, number: str):
    """The application of that number the user may see, or None."""
    return (
        applications_for(user).select_related("type").filter(number=number.strip().upper()).first()
    )


@dataclass(frozen=True)
class Clock:
    """The deadline clock of an application: what the list and the detail show."""

    due: date
    left: int | None  # working days left while open (0: due today; negative: late)
    state: str  # ok | soon | today | late | done | done_late

    @property
    def late_by(self) -> int:
        return -self.left if self.left is not None and self.left < 0 else 0

    @property
    def colour(self) -> str:
        return {
            "ok": "green",
            "soon": "orange",
            "today": "red",
            "late": "red",
            "done": "secondary",
            "done_late": "red",
        }[self.state]


SOON_WORKING_DAYS = 3


def clock(application, *, calendar, day: date | None = None) -> Clock:
    day = day or today()
    if application.state != State.OPEN:
        answered = application.answered_on
        late = answered is not None and answered > application.due_date
        return Clock(application.due_date, None, "done_late" if late else "done")
    left = working_days_left(application.due_date, day, calendar)
    if application.due_date < day:
        state = "late"
    elif application.due_date == day:
        state = "today"
    elif left <= SOON_WORKING_DAYS:
        state = "soon"
    else:
        state = "ok"
    return Clock(application.due_date, left, state)


def unit_ancestors(unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]


def role_holders(unit, slugs) -> list:
    """Active logins holding one of the roles ``slugs`` over ``unit`` (directly, or over an
    ancestor with its sub-units)."""
    from biys.accounts.models import User

    ancestors = unit_ancestors(unit)
    return list(
        # One filter() call: the role and its unit must be the same assignment.
        User.objects.filter(
            Q(role_assignments__role__slug__in=slugs)
            & (
                Q(role_assignments__unit=unit)
                | Q(role_assignments__unit__in=ancestors, role_assignments__include_subtree=True)
            ),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


# Report ------------------------------------------------------------------------------------


@dataclass
class ReportRow:
    type_name: str
    unit_name: str
    period: str = ""  # YYYY-MM when the report is by month
    received: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    open: int = 0
    open_late: int = 0
    # The outcomes, as the yearly bilgi edinme report to the Board counts them (4982 md. 30).
    answered: int = 0
    partly: int = 0
    refused: int = 0
    forwarded: int = 0
    _days: list = field(default_factory=list, repr=False)

    @property
    def late(self) -> int:
        return self.answered_late + self.open_late

    @property
    def average_days(self) -> float | None:
        return round(sum(self._days) / len(self._days), 1) if self._days else None


OUTCOME_FIELDS = {
    State.ANSWERED: "answered",
    State.PARTLY: "partly",
    State.REFUSED: "refused",
    State.FORWARDED: "forwarded",
}


def report(
    *, user, date_from: date, date_to: date, by_month: bool = False, day: date | None = None
) -> list[ReportRow]:
    """Per type and responsible unit (and month of receipt, ``by_month``), the applications
    received in the period: received,
    answered on time, late (answered late or open past the deadline), open, the average
    days from receipt to answer, and the outcomes (answered, partly, refused, forwarded) the
    yearly report to the Board asks for. Read as plain rows, one query."""
    day = day or today()
    rows = (
        applications_for(user)
        .filter(received_on__gte=date_from, received_on__lte=date_to)
        .order_by()
        .values_list(
            "type__name",
            "responsible_unit__name",
            "state",
            "received_on",
            "answered_on",
            "due_date",
        )
    )
    groups: dict[tuple, ReportRow] = {}
    for type_name, unit_name, state, received_on, answered_on, due in rows.iterator():
        period = f"{received_on:%Y-%m}" if by_month else ""
        row = groups.get((period, type_name, unit_name))
        if row is None:
            row = groups[(period, type_name, unit_name)] = ReportRow(type_name, unit_name, period)
        row.received += 1
        if state == State.OPEN:
            row.open += 1
            row.open_late += due < day
        elif answered_on is not None:
            if answered_on > due:
                row.answered_late += 1
            else:
                row.answered_on_time += 1
            row._days.append((answered_on - received_on).days)
        if state in OUTCOME_FIELDS:
            setattr(row, OUTCOME_FIELDS[state], getattr(row, OUTCOME_FIELDS[state]) + 1)
    return sorted(
        groups.values(), key=lambda r: (r.period, sort_key(r.type_name), sort_key(r.unit_name))
    )


def report_totals(rows: list[ReportRow]) -> ReportRow:
    total = ReportRow("", "")
    for row in rows:
        total.received += row.received
        total.answered_on_time += row.answered_on_time
        total.answered_late += row.answered_late
        total.open += row.open
        total.open_late += row.open_late
        for name in OUTCOME_FIELDS.values():
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total._days.extend(row._days)
    return total


def responsibility_history(application) -> list:
    return list(application.responsibilities.select_related("unit", "changed_by").all())


def by_tracking_code(typed: str):
    """The application a tracking code from the public form names, or None (also for text that
    cannot be a code: the page says the same either way)."""
    from biys.applications import tracking

    code = tracking.normalised(typed)
    if code is None:
        return None
    return (
        Application.objects.select_related("type")
        .filter(tracking_digest=tracking.digest(code))
        .first()
    )


def public_types():
    return ApplicationType.objects.filter(active=True, public=True).order_by("name")
