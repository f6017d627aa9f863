"""Every write of the third parties and their confidentiality agreements, and the reminder of
agreements about to end.

Functions take keyword arguments only and run in one transaction; a refusal is a
``ValidationError`` naming the field (or ``PermissionDenied``), and nothing is half-written.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.bgys.third_party_models import ConfidentialityAgreement, ThirdParty, expiry_warning_days
from biys.core.access import check_save


@transaction.atomic
def save_third_party(*, third_party: ThirdParty, user) -> ThirdParty:
    check_save(user, third_party, third_party.unit_id, system=False)
    third_party.name = third_party.name.strip()
    third_party.tax_number = third_party.tax_number.strip()
    third_party.full_clean()
    third_party.save()
    return third_party


@transaction.atomic
def save_agreement(*, agreement: ConfidentialityAgreement, user) -> ConfidentialityAgreement:
    """An agreement of a third party the user may change; a new end date is reminded anew."""
    unit_id = ThirdParty.objects.values_list("unit_id", flat=True).get(pk=agreement.third_party_id)
    check_save(user, agreement, unit_id, system=False)
    agreement.signatory = agreement.signatory.strip()
    agreement.full_clean()
    if agreement.reminded_for != agreement.expires_on:
        agreement.reminded_for = None
    agreement.save()
    return agreement


def reminder_recipients(unit) -> list:
    """Active logins holding the BGYS manager role over ``unit`` (or an ancestor with its
    sub-units)."""
    from biys.accounts.models import User

    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]
    return list(
        User.objects.filter(
            Q(role_assignments__role__slug="bgys_manager")
            & (
                Q(role_assignments__unit=unit)
                | Q(role_assignments__unit__in=ancestors, role_assignments__include_subtree=True)
            ),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def send_agreement_reminders(*, today: date | None = None) -> dict:
    """Once per agreement and end date: the BGYS managers of the third party's unit are told
    that an agreement of a party still working with us ends within the warning period. Each
    agreement in its own transaction."""
    from biys.notifications.services import notify

    today = today or timezone.localdate()
    horizon = today + timedelta(days=expiry_warning_days())
    due = (
        ConfidentialityAgreement.objects.filter(
            expires_on__gte=today, expires_on__lte=horizon, third_party__is_active=True
        )
        .exclude(reminded_for=F("expires_on"))
        .select_related("third_party__unit")
        .order_by("expires_on", "pk")
    )
    result = {"notified": 0}
    for agreement in due.iterator():
        with transaction.atomic():
            claimed = ConfidentialityAgreement.objects.filter(
                pk=agreement.pk, expires_on=agreement.expires_on
            ).exclude(reminded_for=agreement.expires_on)
            if not claimed.update(reminded_for=agreement.expires_on):
                continue  # reminded meanwhile, or its end date changed
            third_party = agreement.third_party
            notify(
                recipients=reminder_recipients(third_party.unit),
                title=_("Confidentiality agreement ends on %(date)s: %(party)s")
                % {"date": agreement.expires_on.strftime("%d.%m.%Y"), "party": third_party},
                body=_("Signed by %(signatory)s. Renew it before their people reach our systems.")
                % {"signatory": agreement.signatory},
                url=agreement.get_absolute_url(),
            )
            result["notified"] += 1
    return result
