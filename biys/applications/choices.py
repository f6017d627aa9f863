from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("days")
    WORKING_DAYS = "working_days", _("working days")


class Channel(models.TextChoices):
    COUNTER = "counter", _("Counter (dilekçe)")
    CIMER = "cimer", _("CİMER")
    ALO153 = "alo153", _("Alo 153 call centre")
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    KEP = "kep", _("KEP (registered e-mail)")
    INSTITUTION = "institution", _("Another institution")
    WEB = "web", _("Public web form")


class ApplicantKind(models.TextChoices):
    # With a context: another catalogue translates "Person" as a member of staff.
    PERSON = "person", pgettext_lazy("applicant", "Person")
    COMPANY = "company", pgettext_lazy("applicant", "Company")
    INSTITUTION = "institution", pgettext_lazy("applicant", "Public institution")


class IdentityRule(models.TextChoices):
    """Whether a type's form asks a person applying for the TC kimlik number."""

    REQUIRED = "required", _("required from a person")
    OPTIONAL = "optional", _("optional")
    NOT_ASKED = "not_asked", _("not asked")


class State(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    PARTLY = "partly", _("Partly answered")
    REFUSED = "refused", _("Refused")
    FORWARDED = "forwarded", _("Forwarded to another institution")


OUTCOMES = (State.ANSWERED, State.PARTLY, State.REFUSED, State.FORWARDED)
