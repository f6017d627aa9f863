"""Reads of GIS data sales: the tariff valid on a day, the quote (the one definition of the
price: Decimal arithmetic, each line rounded to the kuruş, KDV per line and shown apart), the
sales a user may see and the period report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from biys.applications.gis.choices import SaleState
from biys.applications.gis.models import (
    GisDataSale,
    GisDelivery,
    GisSaleItem,
    GisTariff,
    GisTariffLine,
)

KURUS = Decimal("0.01")
SALE_TYPE_CODE = "cbs-veri-satisi"


def kurus(value: Decimal) -> Decimal:
    """Rounded to the kuruş, halves up (as the accrual and the receipt are)."""
    return Decimal(value).quantize(KURUS, rounding=ROUND_HALF_UP)


def tariff_on(day: date) -> GisTariff | None:
    """The tariff valid on ``day``: of those started by then and not ended before it, the one
    that started last (a new tariff replaces the one in force from its first day)."""
    return (
        GisTariff.objects.filter(valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from", "-id")
        .first()
    )


def tariff_lines(tariff: GisTariff) -> dict[tuple[int, str], GisTariffLine]:
    """The tariff's lines by (layer id, format), read once."""
    return {
        (line.layer_id, line.data_format): line
        for line in GisTariffLine.objects.filter(tariff=tariff).select_related("layer")
    }


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    kdv: Decimal
    total: Decimal
    minimum_applied: bool


def line_amounts(
    *, unit_price: Decimal, quantity: Decimal, kdv_rate: Decimal, minimum_charge=None
) -> LineAmounts:
    """The price of one requested layer: unit price × quantity rounded to the kuruş, raised to
    the minimum charge when it comes to less; KDV on that, rounded to the kuruş."""
    net = kurus(Decimal(unit_price) * Decimal(quantity))
    minimum_applied = minimum_charge is not None and net < Decimal(minimum_charge)
    if minimum_applied:
        net = kurus(minimum_charge)
    kdv = kurus(net * Decimal(kdv_rate) / Decimal(100))
    return LineAmounts(net, kdv, net + kdv, minimum_applied)


@dataclass
class QuoteLine:
    item: object
    line: GisTariffLine | None
    amounts: LineAmounts | None


@dataclass
class Quote:
    tariff: GisTariff | None
    day: date
    lines: list[QuoteLine] = field(default_factory=list)
    net: Decimal = Decimal("0.00")
    kdv: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")
    kdv_by_rate: dict = field(default_factory=dict)

    @property
    def unpriced(self) -> list:
        """The requested layers the tariff has no price for."""
        return [quote_line.item for quote_line in self.lines if quote_line.line is None]


def compute_quote(items, *, day: date, tariff: GisTariff | None = None) -> Quote:
    """Price ``items`` (objects with ``layer_id``, ``data_format``, ``quantity``) by the tariff
    valid on ``day``: the one definition the quote, the API preview and the PDF use."""
    tariff = tariff if tariff is not None else tariff_on(day)
    quote = Quote(tariff=tariff, day=day)
    lines = tariff_lines(tariff) if tariff is not None else {}
    by_rate: dict = defaultdict(lambda: Decimal("0.00"))
    for item in items:
        line = lines.get((item.layer_id, item.data_format))
        amounts = None
        if line is not None:
            amounts = line_amounts(
                unit_price=line.unit_price,
                quantity=item.quantity,
                kdv_rate=line.kdv_rate,
                minimum_charge=line.minimum_charge,
            )
            quote.net += amounts.net
            quote.kdv += amounts.kdv
            by_rate[line.kdv_rate] += amounts.kdv
        quote.lines.append(QuoteLine(item, line, amounts))
    quote.total = quote.net + quote.kdv
    quote.kdv_by_rate = dict(sorted(by_rate.items()))
    return quote


def sales_for(user):
    return GisDataSale.objects.restrict(user, "view")


LIST_RELATED = ("application", "application__responsible_unit")


# Deliveries -----------------------------------------------------------------------------------


def quantity_text(value) -> str:
    """A quantity without its trailing zeros, in the reader's number format ("12,5"; "10",
    never "1E+1")."""
    from django.utils.formats import number_format

    return number_format(Decimal(format(Decimal(value).normalize(), "f")))


@dataclass(frozen=True)
class ItemProgress:
    """One requested layer: ordered, delivered over all the sale's deliveries, still due."""

    item: GisSaleItem
    ordered: Decimal
    delivered: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(self.ordered - self.delivered, Decimal(0))

    @property
    def complete(self) -> bool:
        return self.delivered >= self.ordered


def delivery_progress(sale: GisDataSale) -> list[ItemProgress]:
    """Delivered against ordered for each requested layer of ``sale`` (one query)."""
    items = (
        GisSaleItem.objects.filter(sale=sale)
        .select_related("layer")
        .annotate(
            delivered_quantity=Coalesce(
                Sum("delivered_lines__quantity"),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=12, decimal_places=3),
            )
        )
        .order_by("id")
    )
    return [
        ItemProgress(item=item, ordered=item.quantity, delivered=Decimal(item.delivered_quantity))
        for item in items
    ]


def fully_delivered(progress: list[ItemProgress]) -> bool:
    return bool(progress) and all(line.complete for line in progress)


def deliveries_of(sale: GisDataSale) -> list[GisDelivery]:
    """The sale's deliveries, the latest first, with their lines, deliverer and file."""
    return list(
        GisDelivery.objects.filter(sale=sale)
        .select_related("delivered_by", "file")
        .prefetch_related("lines__item__layer")
        .order_by("-delivered_at", "-id")
    )


# Report ------------------------------------------------------------------------------------


@dataclass
class ReportFigures:
    requests: int = 0
    quoted: int = 0
    paid: int = 0
    undelivered: int = 0
    partly_delivered: int = 0
    delivered: int = 0
    cancelled: int = 0
    revenue: Decimal = Decimal("0.00")
    revenue_kdv: Decimal = Decimal("0.00")
    by_layer: list = field(default_factory=list)

    @property
    def revenue_total(self) -> Decimal:
        return self.revenue + self.revenue_kdv


@dataclass
class LayerRevenue:
    layer: str
    sales: int
    quantity: Decimal
    net: Decimal
    kdv: Decimal
    total: Decimal


def report(*, user, date_from: date, date_to: date) -> ReportFigures:
    """A period's figures over the sales ``user`` may see: requests received in the period,
    how many of them were quoted and paid, and of the paid ones how many are delivered in full,
    in part, or not at all yet (whenever), and the revenue collected in the period (by the day
    paid) per layer, before KDV and with it."""
    from django.db.models import Count, Sum

    from biys.applications.gis.models import GisSaleItem

    visible = sales_for(user)
    received = visible.filter(
        application__received_on__gte=date_from, application__received_on__lte=date_to
    )
    counts = received.aggregate(
        requests=Count("id"),
        quoted=Count("id", filter=Q(quoted_on__isnull=False)),
        paid=Count("id", filter=Q(paid_on__isnull=False)),
        undelivered=Count("id", filter=Q(state=SaleState.PAID)),
        partly_delivered=Count("id", filter=Q(state=SaleState.PARTLY_DELIVERED)),
        delivered=Count("id", filter=Q(state=SaleState.DELIVERED)),
        cancelled=Count("id", filter=Q(state=SaleState.CANCELLED)),
    )
    figures = ReportFigures(**counts)
    paid_items = GisSaleItem.objects.filter(
        sale__in=visible.filter(paid_on__gte=date_from, paid_on__lte=date_to).values("pk")
    )
    rows = (
        paid_items.values("layer__name", "layer__position")
        .annotate(
            sales=Count("sale", distinct=True),
            quantity=Sum("quantity"),
            net=Sum("net_amount"),
            kdv=Sum("kdv_amount"),
            total=Sum("total_amount"),
        )
        .order_by("layer__position", "layer__name")
    )
    zero = Decimal("0.00")
    for row in rows:
        # SQLite sums decimals as floats: back to the kuruş.
        net, kdv = kurus(row["net"] or zero), kurus(row["kdv"] or zero)
        figures.by_layer.append(
            LayerRevenue(
                row["layer__name"],
                row["sales"],
                Decimal(row["quantity"] or 0).quantize(Decimal("0.001")),
                net,
                kdv,
                net + kdv,
            )
        )
        figures.revenue += net
        figures.revenue_kdv += kdv
    return figures
