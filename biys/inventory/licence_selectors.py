"""Reads of software and licences: the compliance of each title (installed against entitled
seats), forbidden software found on assets, and an asset's installed software.

Counts are of what the reader may see: installations on the assets of their units' registers,
licences of their units. Each figure is a subquery of the title's row, so a page of titles is one
query whatever its size.
"""

from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.inventory.models import (
    FINAL_STATUSES,
    Installation,
    Licence,
    SoftwareStatus,
    SoftwareTitle,
)

VIEW_LICENCE = "inventory.view_licence"


class Compliance:
    """A title's state on the compliance page, worst first."""

    FORBIDDEN = "forbidden"
    OVER_DEPLOYED = "over_deployed"
    UNREVIEWED = "unreviewed"
    COMPLIANT = "compliant"

    choices = [
        (FORBIDDEN, _("Forbidden software installed")),
        (OVER_DEPLOYED, _("Over-deployed")),
        (UNREVIEWED, _("Not reviewed")),
        (COMPLIANT, _("Compliant")),
    ]
    labels = dict(choices)
    rank = {FORBIDDEN: 0, OVER_DEPLOYED: 1, UNREVIEWED: 2, COMPLIANT: 3}


def current_installations(user=None):
    """Installations still on an asset that is still on the register."""
    installations = Installation.objects.filter(removed_at__isnull=True).exclude(
        asset__status__in=FINAL_STATUSES
    )
    return installations.restrict(user, "view") if user is not None else installations


def licences_in_effect(user=None, *, today: date | None = None):
    today = today or timezone.localdate()
    licences = Licence.objects.filter(starts_on__lte=today).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    return licences.restrict(user, "view") if user is not None else licences


def titles_with_compliance(user=None, *, today: date | None = None, queryset=None):
    """Titles annotated with ``installed`` (current installations), ``entitled`` (seats of the
    licences in effect today), ``shortfall`` (installations beyond the seats, for a title that
    needs a licence), ``compliance`` (a ``Compliance`` value) and ``compliance_rank``."""
    queryset = SoftwareTitle.objects.all() if queryset is None else queryset
    installed = (
        current_installations(user)
        .filter(title=OuterRef("pk"))
        .order_by()
        .values("title")
        .annotate(n=Count("pk"))
        .values("n")
    )
    entitled = (
        licences_in_effect(user, today=today)
        .filter(title=OuterRef("pk"))
        .order_by()
        .values("title")
        .annotate(n=Sum("seats"))
        .values("n")
    )
    zero = Value(0)
    queryset = queryset.annotate(
        installed=Coalesce(Subquery(installed, output_field=IntegerField()), zero),
        entitled=Coalesce(Subquery(entitled, output_field=IntegerField()), zero),
    )
    over = Q(licence_required=True, installed__gt=F("entitled"))
    return queryset.annotate(
        shortfall=Case(
            When(over, then=F("installed") - F("entitled")),
            default=zero,
            output_field=IntegerField(),
        ),
        compliance=Case(
            When(
                Q(status=SoftwareStatus.FORBIDDEN, installed__gt=0),
                then=Value(Compliance.FORBIDDEN),
            ),
            When(status=SoftwareStatus.UNREVIEWED, then=Value(Compliance.UNREVIEWED)),
            When(over, then=Value(Compliance.OVER_DEPLOYED)),
            default=Value(Compliance.COMPLIANT),
            output_field=CharField(),
        ),
    ).annotate(
        compliance_rank=Case(
            *(When(compliance=value, then=Value(rank)) for value, rank in Compliance.rank.items()),
            output_field=IntegerField(),
        ),
    )


def forbidden_installations(user, *, limit: int | None = None):
    """Forbidden software found on the register's assets, with the asset's custodian: the list
    the officer acts on."""
    rows = (
        current_installations(user)
        .filter(title__status=SoftwareStatus.FORBIDDEN)
        .select_related("title", "asset", "asset__item_model", "asset__custodian", "asset__unit")
        .order_by("title__sort_name", "asset__inventory_number", "pk")
    )
    return rows[:limit] if limit else rows


def installations_of_asset(asset, *, user):
    return (
        Installation.objects.restrict(user, "view")
        .filter(asset=asset)
        .select_related("title")
        .order_by("removed_at", "title__sort_name", "pk")
    )


def may_see_compliance(user) -> bool:
    from biys.core.access import get_scope

    return get_scope(user).has_perm(VIEW_LICENCE)
