"""Policies and procedures of the BGYS as versioned documents (kocaeli MADDE 4: keep the
management system's documents and policies): each version is written, approved and published
to its audience (units with their sub-units, holders of roles, or all staff), and every member
of staff in the audience acknowledges the published version ("read and accepted", mersin
MADDE 10 (3, 4): within five working days of starting). The acknowledgement itself is the
shared ``biys.acknowledgements`` feature; the rules are in ``policy_services``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.models import ChangeLoggedModel


class PolicyKind(models.TextChoices):
    POLICY = "policy", _("Policy")
    PROCEDURE = "procedure", _("Procedure")
    INSTRUCTION = "instruction", _("Instruction")
    OTHER = "other", pgettext_lazy("policy kind", "Other")


class Policy(ChangeLoggedModel):
    """A policy or procedure: what it is, who keeps it, whom it is for. Its text is in its
    versions."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit whose BGYS team keeps it; it decides who changes it."),
    )
    code = models.CharField(_("document code"), max_length=40, unique=True)
    title = models.CharField(pgettext_lazy("bgys", "title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=PolicyKind.choices, default=PolicyKind.POLICY
    )
    description = models.TextField(_("description"), blank=True)
    audience_units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("audience units"),
        blank=True,
        related_name="+",
        help_text=_("Their staff (with the sub-units') acknowledge it."),
    )
    audience_roles = models.ManyToManyField(
        "accounts.Role",
        verbose_name=_("audience roles"),
        blank=True,
        related_name="+",
        help_text=_("Holders of these roles acknowledge it. No unit and no role: all staff."),
    )
    ack_working_days = models.PositiveSmallIntegerField(
        _("working days to acknowledge"),
        default=5,
        help_text=_("Counted from its publication, or from a newcomer's first day."),
    )

    scope_path = "unit"

    class Meta:
        ordering = ["code", "id"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self):
        super().clean()
        if self.ack_working_days is not None and not 1 <= self.ack_working_days <= 60:
            raise ValidationError({"ack_working_days": _("Give from 1 to 60 working days.")})


class VersionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("policy", "Draft")
    APPROVED = "approved", pgettext_lazy("policy", "Approved")
    PUBLISHED = "published", pgettext_lazy("policy", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("policy", "Superseded")


class PolicyVersion(ChangeLoggedModel):
    """One version of a policy: its text, what changed, its approval and publication. The
    published version is the one staff acknowledge; publishing the next supersedes it."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"), editable=False)
    text = models.TextField(_("text"))
    change_summary = models.TextField(_("what changed"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=VersionState.choices,
        default=VersionState.DRAFT,
        editable=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    published_on = models.DateField(_("published on"), null=True, blank=True, editable=False)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True, editable=False)

    scope_path = "policy__unit"
    acknowledgement_related = ("policy",)

    class Meta:
        ordering = ["policy", "-number"]
        permissions = [
            ("approve_policyversion", _("Can approve and publish a policy version")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="bgys_policy_version_number")
        ]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")

    def __str__(self) -> str:
        policy = self.policy if self.policy_id else None
        return _("%(policy)s, version %(number)s") % {"policy": policy, "number": self.number}

    @property
    def accepts_acknowledgements(self) -> bool:
        return self.state == VersionState.PUBLISHED

    def acknowledgement_url(self) -> str:
        return reverse("bgys:policy_read", kwargs={"pk": self.pk})
