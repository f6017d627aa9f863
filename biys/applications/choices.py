from django.db import models
from django.utils.translation import gettext_lazy as _


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


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")
    INSTITUTION = "institution", _("Public institution")


class State(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    PARTLY = "partly", _("Partly answered")
    REFUSED = "refused", _("Refused")
    FORWARDED = "forwarded", _("Forwarded to another institution")


OUTCOMES = (State.ANSWERED, State.PARTLY, State.REFUSED, State.FORWARDED)
