"""Every write of the acknowledgements: asking a document's audience for them, a person's own
acknowledgement, withdrawing the requests of a document that no longer asks, and reminders.

The document (any model) is the caller's: the caller decides who must acknowledge it and
checks that the user may ask for it. Functions take keyword arguments only and run in one
transaction; a refusal is a ``ValidationError`` (or ``PermissionDenied``).
"""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from biys.acknowledgements.models import Acknowledgement
from biys.acknowledgements.selectors import attach_targets
from biys.calendar.selectors import get_calendar

DEFAULT_STATEMENT = gettext_noop("I have read and understood this document and I accept it.")


def due_on(*, requested_on: date, start_date: date | None, working_days: int) -> date:
    """``working_days`` working days after the later of the request and the person's first
    day (mersin MADDE 10 (3, 4): within five working days of starting)."""
    start = max(requested_on, start_date) if start_date else requested_on
    return get_calendar().add_working_days(start, working_days)


@transaction.atomic
def request_acknowledgements(
    *, target, people, working_days: int = 5, today: date | None = None, notify: bool = True
) -> dict:
    """Ask ``people`` (a Person queryset: the document's audience) to acknowledge ``target``:
    a row for each who has none yet, due ``working_days`` working days after today or after
    their start date, each told (``notify``) in the app and by e-mail. The pending rows of
    those no longer in the audience are withdrawn; rows already acknowledged stay as the
    record they are."""
    today = today or timezone.localdate()
    content_type = ContentType.objects.get_for_model(target)
    existing = Acknowledgement.objects.filter(content_type=content_type, object_id=str(target.pk))
    audience = list(people.values_list("pk", "start_date"))
    audience_ids = {pk for pk, _start in audience}
    have = set(existing.values_list("person_id", flat=True))
    rows = [
        Acknowledgement(
            content_type=content_type,
            object_id=str(target.pk),
            person_id=pk,
            requested_on=today,
            due_on=due_on(requested_on=today, start_date=start, working_days=working_days),
        )
        for pk, start in audience
        if pk not in have
    ]
    Acknowledgement.objects.bulk_create(rows, batch_size=500)
    withdrawn, _count = existing.pending().exclude(person_id__in=audience_ids).delete()
    told = 0
    if notify and rows:
        for row in rows:
            row.target = target
        told = _notify(rows, today)
    return {"requested": len(rows), "withdrawn": withdrawn, "notified": told}


@transaction.atomic
def withdraw_requests(*, target) -> int:
    """The document no longer asks (a newer version replaced it): its pending rows go, the
    acknowledgements given stay."""
    deleted, _count = Acknowledgement.objects.of(target).pending().delete()
    return deleted


@transaction.atomic
def acknowledge(*, acknowledgement: Acknowledgement, user, statement: str = "") -> Acknowledgement:
    """The person's own "read and accepted": only they, through their own login, while the
    document still accepts acknowledgements (``accepts_acknowledgements`` on the document)."""
    row = Acknowledgement.objects.select_for_update().get(pk=acknowledgement.pk)
    if not user.is_authenticated or user.person_id is None or user.person_id != row.person_id:
        raise PermissionDenied
    if row.acknowledged_at is not None:
        raise ValidationError(_("You have already acknowledged it."))
    target = row.target
    if target is None or not getattr(target, "accepts_acknowledgements", True):
        raise ValidationError(_("This document no longer asks for acknowledgement."))
    row.acknowledged_at = timezone.now()
    row.acknowledged_by = user
    row.statement = (statement or _(DEFAULT_STATEMENT)).strip()[:2000]
    row.save()
    return row


def remind_days() -> int:
    return max(1, int(getattr(settings, "BIYS_ACKNOWLEDGEMENT_REMIND_DAYS", 7)))


def _notify(rows: list[Acknowledgement], today: date) -> int:
    """A notification (and an e-mail) to each row's person, through their active login; the
    rows' ``target`` is set."""
    from biys.accounts.models import User
    from biys.notifications.services import notify

    logins = {
        user.person_id: user
        for user in User.objects.filter(
            person_id__in={row.person_id for row in rows}, is_active=True
        )
    }
    # One notification call per document and due date: the same words to everyone in it.
    groups: dict[tuple, tuple[Acknowledgement, list]] = {}
    for row in rows:
        user = logins.get(row.person_id)
        if user is None or row.target is None:
            continue
        key = (row.content_type_id, row.object_id, row.due_on)
        groups.setdefault(key, (row, []))[1].append(user)
    for row, users in groups.values():
        if row.due_on < today:
            title = _("Please acknowledge %(document)s: it was due on %(date)s")
        else:
            title = _("Please acknowledge %(document)s by %(date)s")
        notify(
            recipients=users,
            title=title % {"document": row.target, "date": row.due_on.strftime("%d.%m.%Y")},
            url=row.get_absolute_url(),
        )
    return sum(len(users) for _row, users in groups.values())


def _remind(rows: list[Acknowledgement], today: date) -> int:
    attach_targets(rows)
    sent = _notify(rows, today)
    Acknowledgement.objects.filter(pk__in=[row.pk for row in rows]).update(reminded_on=today)
    return sent


@transaction.atomic
def remind_pending(*, target, today: date | None = None) -> int:
    """Remind now everyone who has not acknowledged ``target`` (the keeper's button; the
    caller checks they may). Returns how many were told."""
    today = today or timezone.localdate()
    rows = list(Acknowledgement.objects.of(target).pending())
    return _remind(rows, today)


def send_reminders(*, today: date | None = None) -> dict:
    """The beat job: each pending acknowledgement past its due date is reminded, then again
    every ``BIYS_ACKNOWLEDGEMENT_REMIND_DAYS`` days (7) until it is given."""
    today = today or timezone.localdate()
    since = date.fromordinal(today.toordinal() - remind_days())
    rows = Acknowledgement.objects.overdue(today).exclude(reminded_on__gt=since).order_by("pk")
    sent = reminded = 0
    batch: list[Acknowledgement] = []
    for row in rows.iterator(chunk_size=500):
        batch.append(row)
        if len(batch) == 500:
            with transaction.atomic():
                sent += _remind(batch, today)
            reminded += len(batch)
            batch = []
    if batch:
        with transaction.atomic():
            sent += _remind(batch, today)
        reminded += len(batch)
    return {"reminded": reminded, "notified": sent}
