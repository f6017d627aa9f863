"""Reads of the third parties' confidentiality agreements: their state (in force, ending soon,
ended) as a query condition, so lists filter and count it in the database."""

from datetime import date, timedelta

from django.db.models import Q

from biys.bgys.third_party_models import AgreementState, expiry_warning_days


def state_q(state: str, day: date) -> Q:
    soon = day + timedelta(days=expiry_warning_days())
    if state == AgreementState.VALID:
        return Q(expires_on__isnull=True) | Q(expires_on__gt=soon)
    if state == AgreementState.EXPIRING:
        return Q(expires_on__gte=day, expires_on__lte=soon)
    if state == AgreementState.EXPIRED:
        return Q(expires_on__lt=day)
    return Q()
