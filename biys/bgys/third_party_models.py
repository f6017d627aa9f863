"""Third parties bound to confidentiality (kocaeli MADDE 4 (ee)): the suppliers whose people
reach the municipality's systems, and the confidentiality agreements they signed, with the
date each one ends. Every write is in ``third_party_services``; the agreements about to end
are read in ``third_party_selectors`` and reminded by the daily job."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.models import ChangeLoggedModel
from biys.core.validators import validate_vkn


class ThirdParty(ChangeLoggedModel):
    """A supplier (a company, or a person working on their own) whose people reach municipal
    systems: maintenance contractors, software vendors, consultants."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that works with them and keeps their agreements."),
    )
    name = models.CharField(_("name"), max_length=200)
    tax_number = models.CharField(
        _("tax number (VKN)"), max_length=10, blank=True, validators=[validate_vkn]
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    services = models.TextField(
        _("systems and services"),
        blank=True,
        help_text=_("Which municipal systems their people reach, and for what."),
    )
    contract = models.CharField(
        _("contract"),
        max_length=200,
        blank=True,
        help_text=_("The contract's number or name (linked when the procurement module exists)."),
    )
    is_active = models.BooleanField(_("working with us"), default=True)

    scope_path = "unit"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("third party")
        verbose_name_plural = _("third parties")

    def __str__(self) -> str:
        return self.name


class AgreementState(models.TextChoices):
    VALID = "valid", _("In force")
    EXPIRING = "expiring", _("Ends soon")
    EXPIRED = "expired", _("Expired")


def expiry_warning_days() -> int:
    return int(getattr(settings, "BIYS_CONFIDENTIALITY_WARNING_DAYS", 30))


class ConfidentialityAgreement(ChangeLoggedModel):
    """A confidentiality agreement signed by a third party, or by one of its people by name; the
    signed copy is the record's attachment."""

    third_party = models.ForeignKey(
        ThirdParty,
        verbose_name=_("third party"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    signatory = models.CharField(
        _("signed by"),
        max_length=150,
        help_text=_("The person who signed: the company's representative or one of its staff."),
    )
    signatory_role = models.CharField(_("their role"), max_length=150, blank=True)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Leave empty for an open-ended one.")
    )
    scope = models.TextField(_("what it covers"), blank=True)
    reminded_for = models.DateField(
        _("reminded of the end on"), null=True, blank=True, editable=False
    )

    scope_path = "third_party__unit"

    class Meta:
        ordering = ["third_party", "-signed_on", "-id"]
        indexes = [models.Index(fields=["expires_on"], name="bgys_agreement_expires")]
        verbose_name = _("confidentiality agreement")
        verbose_name_plural = _("confidentiality agreements")

    def __str__(self) -> str:
        return f"{self.third_party} — {self.signatory} ({self.signed_on:%d.%m.%Y})"

    def clean(self):
        super().clean()
        if self.signed_on and self.signed_on > timezone.localdate():
            raise ValidationError({"signed_on": _("An agreement is recorded once signed.")})
        if self.expires_on and self.signed_on and self.expires_on <= self.signed_on:
            raise ValidationError({"expires_on": _("It ends after the day it was signed.")})

    def state_on(self, day: date) -> str:
        if self.expires_on is None or self.expires_on > day + timedelta(days=expiry_warning_days()):
            return AgreementState.VALID
        if self.expires_on >= day:
            return AgreementState.EXPIRING
        return AgreementState.EXPIRED

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def get_state_display(self) -> str:
        return str(AgreementState(self.state).label)
