"""The compliance dashboard's cells: one tag renders a tally's seven cells (counts, the rate and
its bar) in Python, once per row; an ``include`` per row and Django's number localisation and
escaping per cell cost more than the queries on a dashboard of every unit (bench/bgys.py). The
values are whole numbers, written as they are."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _colour(rate: int) -> str:
    return "bg-green" if rate >= 80 else "bg-yellow" if rate >= 50 else "bg-red"


@register.simple_tag
def tally_cells(tally) -> str:
    counts = (int(tally.applicable), int(tally.fully), int(tally.partly))
    cells = [f'<td class="text-end">{n}</td>' for n in counts]
    none = int(tally.none)
    cells.append(
        f'<td class="text-end"><span class="badge bg-red-lt">{none}</span></td>'
        if none
        else '<td class="text-end">0</td>'
    )
    cells += [
        f'<td class="text-end">{int(n)}</td>' for n in (tally.not_assessed, tally.not_applicable)
    ]
    rate = tally.rate
    if rate is None:
        cells.append('<td class="text-end text-nowrap">—</td>')
    else:
        rate = int(rate)
        cells.append(
            '<td class="text-end text-nowrap" style="min-width: 8rem">'
            f'<div class="d-flex align-items-center gap-2"><span class="w-25">{rate}</span>'
            f'<div class="progress progress-sm flex-fill" role="img" aria-label="%{rate}">'
            f'<div class="progress-bar {_colour(rate)}" style="width: {rate}%"></div></div></div>'
            "</td>"
        )
    return mark_safe("".join(cells))  # whole numbers and fixed markup only
