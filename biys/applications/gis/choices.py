"""Choices of GIS data sales (CBS veri satışı)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChargeUnit(models.TextChoices):
    HECTARE = "hectare", _("hectare")
    SHEET = "sheet", _("sheet (pafta)")
    ITEM = "item", pgettext_lazy("gis charge unit", "item")


class DataFormat(models.TextChoices):
    DWG = "dwg", "DWG"
    NCZ = "ncz", "NetCAD NCZ"
    SHP = "shp", "SHP"
    GEOTIFF = "geotiff", "GeoTIFF"
    PDF = "pdf", "PDF"


class SaleState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("gis sale", "Requested")
    QUOTED = "quoted", pgettext_lazy("gis sale", "Quoted")
    ACCRUED = "accrued", pgettext_lazy("gis sale", "Accrued")
    PAID = "paid", pgettext_lazy("gis sale", "Paid")
    PARTLY_DELIVERED = "partly_delivered", pgettext_lazy("gis sale", "Partly delivered")
    DELIVERED = "delivered", pgettext_lazy("gis sale", "Delivered")
    CANCELLED = "cancelled", pgettext_lazy("gis sale", "Cancelled")


class DeliveryMethod(models.TextChoices):
    MEDIA = "media", _("On a disc or USB stick, in person")
    DOWNLOAD = "download", _("Download link")
    EMAIL = "email", _("E-mail")
    KEP = "kep", _("KEP (registered e-mail)")


# Items change (and the quote with them) only before the accrual.
EDITABLE_STATES = (SaleState.REQUESTED, SaleState.QUOTED)
# Paid (and the undertaking on file): the data goes out in one delivery or in parts.
DELIVERABLE_STATES = (SaleState.PAID, SaleState.PARTLY_DELIVERED)
