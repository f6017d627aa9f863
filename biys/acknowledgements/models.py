"""Electronic acknowledgement ("read and accepted") of any document by members of staff.

A document that asks its readers to acknowledge it (a BGYS policy's published version, a
directive, a plan) gets one ``Acknowledgement`` row per person it is meant for when it is put
in front of them: who, by when, and, once done, when and by which login, with the statement
they accepted. The document decides its audience and when it accepts acknowledgements; this
app keeps the rows, their due dates, the reminders and the person's own list.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.models import ChangeLoggedModel
from biys.core.querysets import RestrictedQuerySet


class AcknowledgementQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """A person's own acknowledgements are theirs alone: the document's keepers read
        everyone's through the document's own pages (``selectors.for_target``)."""
        person_id = getattr(user, "person_id", None) if user and user.is_authenticated else None
        if not person_id or action not in ("view", "change"):
            return self.none()
        return self.filter(person_id=person_id)

    def pending(self):
        return self.filter(acknowledged_at__isnull=True)

    def done(self):
        return self.filter(acknowledged_at__isnull=False)

    def overdue(self, today=None):
        return self.pending().filter(due_on__lt=today or timezone.localdate())

    def of(self, target):
        return self.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
        )


class Acknowledgement(ChangeLoggedModel):
    """One person's acknowledgement of one document: asked for, due, done."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("document id"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    due_on = models.DateField(_("due on"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    statement = models.TextField(
        _("statement"),
        blank=True,
        help_text=_("The words the person accepted, as they were shown."),
    )
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)

    scope_path = None  # the person's own; the document's keepers read it through the document

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "person"], name="ack_one_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["person", "acknowledged_at"], name="ack_person_done"),
            models.Index(fields=["acknowledged_at", "due_on"], name="ack_pending_due"),
        ]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")

    def __str__(self) -> str:
        return f"{self.person} — {self.target}"

    @property
    def is_done(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.acknowledged_at is None and self.due_on < timezone.localdate()

    def get_absolute_url(self) -> str:
        """Where the person reads the document and acknowledges it."""
        target = self.target
        url = getattr(target, "acknowledgement_url", None)
        if callable(url):
            return url()
        return target.get_absolute_url() if target is not None else ""
