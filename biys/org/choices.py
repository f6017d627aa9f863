from django.db import models
from django.utils.translation import gettext_lazy as _


class MunicipalityKind(models.TextChoices):
    BUYUKSEHIR = "buyuksehir", _("Metropolitan municipality (büyükşehir)")
    IL = "il", _("Provincial municipality (il)")
    ILCE = "ilce", _("District municipality (ilçe)")
    BELDE = "belde", _("Town municipality (belde)")


class UnitKind(models.TextChoices):
    BELEDIYE = "belediye", _("Municipality (belediye)")
    DAIRE_BASKANLIGI = "daire_baskanligi", _("Department (daire başkanlığı)")
    MUDURLUK = "mudurluk", _("Directorate (müdürlük)")
    SUBE_MUDURLUGU = "sube_mudurlugu", _("Branch directorate (şube müdürlüğü)")
    SEFLIK = "seflik", _("Section (şeflik)")
    BIRIM = "birim", _("Unit (birim)")


class EmploymentType(models.TextChoices):
    MEMUR = "memur", _("Civil servant (memur)")
    SOZLESMELI = "sozlesmeli", _("Contracted (sözleşmeli)")
    ISCI = "isci", _("Worker (işçi)")
    HIZMET_ALIMI = "hizmet_alimi", _("Outsourced (hizmet alımı)")
    STAJYER = "stajyer", _("Intern (stajyer)")
    ISTIRAK = "istirak", _("Affiliate company (iştirak)")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    LEFT = "left", _("Left")
