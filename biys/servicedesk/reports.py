"""Excel and PDF of the service desk statistics, as the annual activity report quotes them.

Headers are translated in the active language (Turkish by default). The PDF embeds DejaVu Sans,
which has every Turkish letter (``biys.core.pdf_fonts``).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts
from biys.core.report_files import page_decorator, pdf_table, sheet_title, write_table
from biys.servicedesk.stats import TicketStatistics, rating_distribution


def report_title(statistics: TicketStatistics) -> str:
    unit = str(statistics.unit) if statistics.unit is not None else _("All units")
    title = _("Fault and request statistics")
    return f"{title} — {unit} — {statistics.period}"


def report_filename(statistics: TicketStatistics, extension: str) -> str:
    # Translators: a file name: lower case, words joined by hyphens.
    name = pgettext("file name", "service-desk-statistics")
    return f"{name}-{statistics.period.first:%Y%m%d}-{statistics.period.last:%Y%m%d}.{extension}"


def summary_rows(statistics: TicketStatistics) -> list[tuple[str, object]]:
    totals = statistics.totals
    return [
        (pgettext("statistics", "Opened"), totals["opened"]),
        (pgettext("statistics", "Resolved"), totals["resolved"]),
        (_("Backlog at the end of the period"), totals["backlog"]),
        (_("Of which past the resolution due time"), totals["overdue"]),
        (_("First-response SLA compliance (%)"), totals["response_compliance"]),
        (_("Resolution SLA compliance (%)"), totals["resolution_compliance"]),
        (_("Mean time to first response (office hours)"), totals["response_hours_mean"]),
        (_("Mean time to resolution (office hours)"), totals["resolution_hours_mean"]),
        (_("Mean satisfaction rating (1–5)"), totals["rating_mean"]),
        (_("Rated tickets"), totals["rated"]),
        (_("Rating response rate (%)"), totals["rating_response_rate"]),
    ]


def series_headers(statistics: TicketStatistics) -> list[str]:
    bucket = _("Week") if statistics.series["granularity"] == "week" else _("Month")
    return [
        bucket,
        pgettext("statistics", "Opened"),
        pgettext("statistics", "Resolved"),
        _("Resolution SLA %"),
    ]


def series_rows(statistics: TicketStatistics) -> list[list]:
    return [
        [point["label"], point["opened"], point["resolved"], point["sla"]]
        for point in statistics.series["points"]
    ]


# Excel ---------------------------------------------------------------------------------------


def build_xlsx(statistics: TicketStatistics) -> bytes:
    """One sheet for the summary, one for the weekly series, one per breakdown."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = sheet_title(_("Summary"))
    summary.append([report_title(statistics)])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([_("Prepared"), timezone.localtime().strftime("%d.%m.%Y %H:%M")])
    summary.append([])
    write_table(summary, [_("Figure"), _("Value")], [list(row) for row in summary_rows(statistics)])
    summary.freeze_panes = None

    series = workbook.create_sheet(sheet_title(_("Opened and resolved")))
    write_table(series, series_headers(statistics), series_rows(statistics))

    for breakdown in statistics.breakdowns:
        sheet = workbook.create_sheet(sheet_title(breakdown.title))
        write_table(
            sheet,
            [header for _field, header in breakdown.columns],
            [[row[name] for name, _header in breakdown.columns] for row in breakdown.rows],
        )

    satisfaction = workbook.create_sheet(sheet_title(_("Satisfaction")))
    write_table(
        satisfaction,
        [_("Rating"), _("Tickets")],
        [[row["rating"], row["count"]] for row in rating_distribution(statistics)],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# PDF -----------------------------------------------------------------------------------------


def _municipality_name() -> str:
    from biys.org.models import Municipality

    municipality = Municipality.objects.only("name").first()
    return municipality.name if municipality else ""


def _series_chart(statistics: TicketStatistics, width: float):
    """Opened vs resolved bars, drawn as vectors in the PDF."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    points = statistics.series["points"]
    drawing = Drawing(width, 170)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, width - 140, 120
    chart.data = [[p["opened"] for p in points] or [0], [p["resolved"] for p in points] or [0]]
    chart.categoryAxis.categoryNames = [p["label"] for p in points] or [""]
    chart.categoryAxis.labels.fontName = FONT_NAME
    chart.categoryAxis.labels.fontSize = 6 if len(points) > 12 else 7
    chart.categoryAxis.labels.angle = 45 if len(points) > 12 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(points) > 12 else "n"
    chart.valueAxis.labels.fontName = FONT_NAME
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#206bc4")
    chart.bars[1].fillColor = colors.HexColor("#2fb344")
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 100, 140
    legend.fontName, legend.fontSize = FONT_NAME, 8
    legend.colorNamePairs = [
        (colors.HexColor("#206bc4"), pgettext("statistics", "Opened")),
        (colors.HexColor("#2fb344"), pgettext("statistics", "Resolved")),
    ]
    drawing.add(legend)
    return drawing


def build_pdf(statistics: TicketStatistics) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    register_fonts()
    title = report_title(statistics)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="BİYS",
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=2.0 * cm,
        bottomMargin=1.8 * cm,
    )
    heading = ParagraphStyle("heading", fontName=BOLD_FONT_NAME, fontSize=14, leading=18)
    subheading = ParagraphStyle(
        "subheading", fontName=BOLD_FONT_NAME, fontSize=11, leading=14, spaceBefore=10
    )
    small = ParagraphStyle("small", fontName=FONT_NAME, fontSize=8, leading=10)
    width = document.width
    prepared = _("Prepared")
    story = [
        Paragraph(escape(title), heading),
        Paragraph(f"{prepared}: {timezone.localtime():%d.%m.%Y %H:%M}", small),
        Spacer(1, 8),
        pdf_table([_("Figure"), _("Value")], summary_rows(statistics), [width * 0.7, width * 0.3]),
        Paragraph(_("Opened and resolved"), subheading),
        _series_chart(statistics, width),
        pdf_table(
            series_headers(statistics),
            series_rows(statistics),
            _even_widths(width, len(series_headers(statistics))),
        ),
    ]
    for breakdown in statistics.breakdowns:
        columns = breakdown.columns
        first = width * 0.4
        rest = (width - first) / (len(columns) - 1)
        story += [
            Paragraph(escape(breakdown.title), subheading),
            pdf_table(
                [header for _field, header in columns],
                [[row[name] for name, _h in columns] for row in breakdown.rows]
                or [[_("No tickets")] + [""] * (len(columns) - 1)],
                [first] + [rest] * (len(columns) - 1),
            ),
        ]
    story += [
        Paragraph(_("Satisfaction"), subheading),
        pdf_table(
            [_("Rating"), _("Tickets")],
            [[row["rating"], row["count"]] for row in rating_distribution(statistics)],
            [width * 0.3, width * 0.2],
        ),
        Spacer(1, 10),
        Paragraph(
            _(
                "Times are measured in office hours on the working calendar (elapsed hours for "
                "round-the-clock services). Compliance: first response by its due time among the "
                "tickets opened in the period; resolution by its due time among those resolved "
                "in it."
            ),
            small,
        ),
    ]
    municipality = _municipality_name()
    header = f"{municipality} — {_('IT department')}" if municipality else _("IT department")
    document.build(story, canvasmaker=page_decorator(header, title))
    return buffer.getvalue()


def _even_widths(width: float, count: int) -> list[float]:
    first = width * 0.25 if count > 2 else width / max(count, 1)
    rest = (width - first) / max(count - 1, 1)
    return [first] + [rest] * (count - 1)
