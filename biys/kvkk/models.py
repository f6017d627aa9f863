"""KVKK (6698 sayılı Kişisel Verilerin Korunması Kanunu, kocaeli MADDE 4 t): the processing
inventory in VERBİS's structure and the data subjects' requests.

- ``ListItem``: the pick-lists of the inventory (data categories, purposes, legal bases,
  data-subject and recipient groups, technical and administrative measures), shipped with
  VERBİS's and the KVKK Board's lists by a data migration and edited by whoever holds the
  permission over the whole municipality (the administrator, the municipality's KVKK contact).
- ``ProcessingActivity``: one processing activity (süreç) of a unit, with what VERBİS asks for
  each: the categories and the data, why, on which legal basis, whose, to whom, abroad or not,
  how long, and the measures.
- ``SubjectRequest``: an application of a data subject (md. 11 rights, md. 13 procedure) with
  its 30-day answer clock. The applicant's TC kimlik number is validated, shown masked and read
  unmasked only through the logged reveal (``biys.core.personal_data``).

Personal-data breaches are recorded on the incident they belong to (``biys.secops``), where
the KVKK Board's 72-hour clock already runs.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.models import ChangeLoggedModel
from biys.core.querysets import RestrictedQuerySet
from biys.kvkk.choices import Channel, ListKind, Outcome, RequestState, Right
from biys.org.validators import mask_tc_kimlik_no, validate_tc_kimlik_no


class ListItem(ChangeLoggedModel):
    """An entry of one of the inventory's pick-lists (data, not code: the lists change)."""

    kind = models.CharField(_("list"), max_length=30, choices=ListKind.choices)
    code = models.CharField(
        _("code"),
        max_length=20,
        blank=True,
        help_text=_("The article of a legal basis (5/2-ç, 6/3-a), empty for the other lists."),
    )
    name = models.CharField(pgettext_lazy("list item", "name"), max_length=500)
    special = models.BooleanField(
        _("special category"),
        default=False,
        help_text=_(
            "Data categories: a special category of personal data (KVKK md. 6). Legal bases:"
            " a condition of md. 6, which alone may allow processing special categories."
        ),
    )
    position = models.PositiveIntegerField(pgettext_lazy("list order", "position"), default=0)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive entry is no longer offered.")
    )

    scope_path = None
    visible_to_all_staff = True

    class Meta:
        ordering = ["kind", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code", "name"], name="kvkk_listitem_unique")
        ]
        verbose_name = _("KVKK list item")
        verbose_name_plural = _("KVKK list items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name


def _items(kind: str) -> dict:
    return {"kind": kind}


class ProcessingActivity(ChangeLoggedModel):
    """One processing activity (süreç) of a unit, in VERBİS's structure."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="processing_activities",
    )
    name = models.CharField(_("processing activity"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    personal_data = models.TextField(
        _("personal data processed"),
        help_text=_("The data items themselves: name, TC kimlik number, address, ..."),
    )
    data_categories = models.ManyToManyField(
        ListItem,
        verbose_name=_("data categories"),
        related_name="+",
        limit_choices_to=_items(ListKind.DATA_CATEGORY),
    )
    purposes = models.ManyToManyField(
        ListItem,
        verbose_name=_("processing purposes"),
        related_name="+",
        limit_choices_to=_items(ListKind.PURPOSE),
    )
    legal_bases = models.ManyToManyField(
        ListItem,
        verbose_name=_("legal bases"),
        related_name="+",
        limit_choices_to=_items(ListKind.LEGAL_BASIS),
    )
    subject_groups = models.ManyToManyField(
        ListItem,
        verbose_name=_("data-subject groups"),
        related_name="+",
        limit_choices_to=_items(ListKind.SUBJECT_GROUP),
    )
    recipient_groups = models.ManyToManyField(
        ListItem,
        verbose_name=_("recipient groups"),
        related_name="+",
        blank=True,
        limit_choices_to=_items(ListKind.RECIPIENT_GROUP),
    )
    transfer_abroad = models.BooleanField(_("transferred abroad"), default=False)
    transfer_countries = models.CharField(_("countries"), max_length=300, blank=True)
    transfer_basis = models.CharField(
        _("basis of the transfer abroad"),
        max_length=300,
        blank=True,
        help_text=_(
            "KVKK md. 9: an adequacy decision, appropriate safeguards (standard contract,"
            " binding corporate rules, a written undertaking approved by the Board) or an"
            " occasional transfer's condition."
        ),
    )
    retention_period = models.CharField(
        _("maximum retention period"),
        max_length=200,
        help_text=_("As VERBIS asks for it: 10 years after the end of the contract, ..."),
    )
    technical_measures = models.ManyToManyField(
        ListItem,
        verbose_name=_("technical measures"),
        related_name="+",
        blank=True,
        limit_choices_to=_items(ListKind.TECHNICAL_MEASURE),
    )
    administrative_measures = models.ManyToManyField(
        ListItem,
        verbose_name=_("administrative measures"),
        related_name="+",
        blank=True,
        limit_choices_to=_items(ListKind.ADMINISTRATIVE_MEASURE),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("A process no longer run stays in the history.")
    )

    scope_path = "unit"

    class Meta:
        ordering = ["unit__name", "name", "pk"]
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")

    def __str__(self) -> str:
        return self.name


class SubjectRequestQuerySet(RestrictedQuerySet):
    """By role over the assigned unit, and the person assigned to answer it, whatever their
    role (read only)."""

    def restrict(self, user, action: str = "view"):
        scoped = super().restrict(user, action)
        if action != "view" or user is None or not user.is_authenticated:
            return scoped
        return self.filter(models.Q(pk__in=scoped.values("pk")) | models.Q(assignee=user))


class SubjectRequest(ChangeLoggedModel):
    """A data subject's application to the municipality as data controller (KVKK md. 11 and
    13): answered in writing, free of charge, within 30 days of receipt."""

    number = models.CharField(_("request number"), max_length=30, unique=True, editable=False)
    received_on = models.DateField(
        _("received on"), help_text=_("The 30-day answer period counts from this day.")
    )
    channel = models.CharField(_("received by"), max_length=20, choices=Channel.choices)
    right = models.CharField(pgettext_lazy("kvkk", "request"), max_length=20, choices=Right.choices)
    request_text = models.TextField(_("what the applicant asks"))
    applicant_name = models.CharField(_("applicant"), max_length=200)
    tc_kimlik_no = models.CharField(
        _("TC kimlik number"), max_length=11, validators=[validate_tc_kimlik_no]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("assigned unit"),
        on_delete=models.PROTECT,
        related_name="kvkk_requests",
        help_text=_("The unit that holds the data and prepares the answer."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("answer by"), editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.RECEIVED
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(
        _("overdue notice sent"), null=True, blank=True, editable=False
    )

    scope_path = "unit"
    changelog_mask = ("tc_kimlik_no", "email", "phone", "address")
    personal_fields = ("tc_kimlik_no", "email", "phone", "address")
    personal_subject_field = "tc_kimlik_no"
    history_hidden = ("reminded_at", "overdue_notified_at")

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["state", "due_date"])]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        permissions = [
            ("reveal_subjectrequest", _("Can view an applicant's unmasked personal data")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_right_display()}"

    @property
    def masked_tc_kimlik_no(self) -> str:
        return mask_tc_kimlik_no(self.tc_kimlik_no or "")

    @property
    def is_open(self) -> bool:
        return self.state != RequestState.ANSWERED
