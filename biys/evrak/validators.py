"""Identifiers of senders: DETSİS (public institutions), VKN and MERSİS (companies). The TC
kimlik number is checked by ``biys.org.validators`` (shared with people and applicants)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from biys.core.validators import validate_vkn  # noqa: F401 - shared with other modules

# DETSİS (Devlet Teşkilatı Merkezi Kayıt Sistemi) gives each public body an 8-digit number;
# the e-Yazışma schema's 14-character hexadecimal form is accepted too (NOTES.md, gotcha 4).
_DETSIS = re.compile(r"[0-9]{8}|[A-Fa-f0-9]{14}", re.ASCII)
_MERSIS = re.compile(r"[0-9]{16}", re.ASCII)


def validate_detsis_no(value: str) -> None:
    if not _DETSIS.fullmatch(value or ""):
        raise ValidationError(_("A DETSİS number has 8 digits."), code="invalid_detsis_no")


def validate_mersis_no(value: str) -> None:
    if not _MERSIS.fullmatch(value or ""):
        raise ValidationError(_("A MERSİS number has 16 digits."), code="invalid_mersis_no")


_SDP = re.compile(r"[0-9]{3}(\.[0-9]{2})*", re.ASCII)


def validate_sdp_code(value: str) -> None:
    """Standart Dosya Planı: a three-digit main code, then two-digit levels (``030.04.02``)."""
    if not _SDP.fullmatch(value or ""):
        raise ValidationError(
            _("An SDP code is three digits, then two-digit levels: 030.04.02."),
            code="invalid_sdp_code",
        )
