"""The internal audit report as a PDF to print and sign, in Turkish whatever the reader's
language. The national guide sends its audits to the Bilgi ve İletişim Güvenliği Denetim
Rehberi (not among the shipped sources); the report follows the order of an audit report built
on the guide's own forms: the audit's identity (scope, units, team, period, method), the
summary of results per level, the findings with their corrective actions (DÖF), the checklist
per measure with the EK-C.3 columns (measure number, result, the auditor's explanation), the
conclusion, and the signatures, with the sources' attribution (CC BY 4.0). ReportLab with the
DejaVu fonts every BİYS PDF embeds."""

import io
from collections import Counter

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from biys.bgys.audit_models import NONCONFORMITIES, ChecklistResult, FindingKind
from biys.bgys.pdf import _para
from biys.core.dates import format_datetime
from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts


def _date(value) -> str:
    return format_datetime(value, "SHORT_DATE_FORMAT") if value else "—"


def audit_report(audit, *, items, findings, evidence_counts: dict, attribution: str) -> bytes:
    """``items`` the checklist (with measures), ``findings`` with their corrective actions,
    ``evidence_counts`` the number of evidence files per checklist item."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from biys.org.models import Municipality

    register_fonts()
    with translation.override("tr"):
        text = ParagraphStyle("text", fontName=FONT_NAME, fontSize=8.5, leading=11)
        bold = ParagraphStyle("bold", parent=text, fontName=BOLD_FONT_NAME)
        heading = ParagraphStyle(
            "heading", parent=bold, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3
        )
        title = ParagraphStyle(
            "title", parent=bold, fontSize=14, leading=18, alignment=1, spaceAfter=2
        )
        small = ParagraphStyle("small", parent=text, fontSize=7, leading=9)
        grid = TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#6c757d")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
        header_grid = TableStyle(
            [
                *grid.getCommands(),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ]
        )

        def table(rows, widths, style=header_grid):
            result = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
            result.setStyle(style)
            return result

        def row(cells, style=text):
            return [_para(cell, style) for cell in cells]

        municipality = Municipality.objects.only("name").first()
        team = [str(audit.lead_auditor)] if audit.lead_auditor_id else []
        team += [str(p) for p in audit.auditors.all() if p.pk != audit.lead_auditor_id]
        story = [
            _para(municipality.name if municipality else "", bold),
            _para(_("Internal audit report"), title),
            _para(audit.title, ParagraphStyle("sub", parent=bold, alignment=1)),
            Spacer(1, 4 * mm),
            _para(_("1. The audit"), heading),
        ]
        period = _("%(start)s – %(end)s") % {
            "start": _date(audit.started_on or audit.planned_start),
            "end": _date(audit.ended_on or audit.planned_end),
        }
        identity = [
            (_("Internal audit plan"), audit.plan or "—"),
            (_("Responsible unit"), audit.unit),
            (_("Audited units"), ", ".join(str(u) for u in audit.audited_units.all()) or "—"),
            (_("Audit scope"), audit.scope),
            (_("Framework"), audit.framework),
            (_("Lead auditor"), audit.lead_auditor or "—"),
            (_("Audit team"), ", ".join(team) or "—"),
            (_("Audit period"), period),
            (_("Method"), audit.method or "—"),
            (_("State"), audit.get_state_display()),
            (_("Report date"), _date(audit.reported_at)),
        ]
        story.append(table([row([label, value]) for label, value in identity], [45, 135], grid))

        # Summary: results per level, findings per kind.
        story.append(_para(_("2. Summary of results"), heading))
        counts = Counter((item.measure.level, item.result) for item in items)
        results = [
            ChecklistResult.CONFORMING,
            ChecklistResult.NONCONFORMING,
            ChecklistResult.NOT_APPLICABLE,
            ChecklistResult.NOT_CHECKED,
        ]
        summary = [
            row(
                [pgettext("bgys", "Level")]
                + [ChecklistResult(r).label for r in results]
                + [_("Conformity rate")],
                bold,
            )
        ]
        levels = sorted({item.measure.level for item in items}, key=lambda v: v or 0)
        for level in [*levels, "all"]:
            if level == "all":
                cells = [sum(counts[(lv, r)] for lv in levels) for r in results]
                label = _("Total")
            else:
                cells = [counts[(level, r)] for r in results]
                label = level or "—"
            judged = cells[0] + cells[1]
            rate = f"%{round(100 * cells[0] / judged)}" if judged else "—"
            summary.append(row([label, *cells, rate], bold if level == "all" else text))
        story.append(table(summary, [25, 30, 30, 30, 30, 35]))
        kinds = Counter(finding.kind for finding in findings)
        story.append(Spacer(1, 2 * mm))
        story.append(
            _para(
                "; ".join(
                    f"{label}: {kinds.get(value, 0)}" for value, label in FindingKind.choices
                ),
                text,
            )
        )

        # Findings and their corrective actions.
        story.append(_para(_("3. Findings and corrective actions"), heading))
        if findings:
            rows = [
                row(
                    [
                        _("No."),
                        _("Kind"),
                        _("Measure"),
                        _("Finding and objective evidence"),
                        _("Corrective action (DÖF)"),
                    ],
                    bold,
                )
            ]
            for finding in findings:
                body = finding.description
                if finding.evidence:
                    body += "\n" + _("Evidence: %(evidence)s") % {"evidence": finding.evidence}
                action = getattr(finding, "corrective_action", None)
                if finding.kind in NONCONFORMITIES and action is not None:
                    follow = "\n".join(
                        part
                        for part in (
                            f"{action} · {action.get_state_display()}",
                            _("Owner: %(owner)s") % {"owner": action.owner or "—"},
                            _("Due: %(date)s") % {"date": _date(action.due_date)},
                            _("Root cause: %(text)s") % {"text": action.root_cause}
                            if action.root_cause
                            else "",
                            _("Actions: %(text)s") % {"text": action.actions}
                            if action.actions
                            else "",
                        )
                        if part
                    )
                else:
                    follow = "—"
                rows.append(
                    row(
                        [
                            finding.number,
                            finding.get_kind_display(),
                            f"{finding.measure.number} {finding.measure.title}",
                            body,
                            follow,
                        ]
                    )
                )
            story.append(table(rows, [10, 25, 40, 55, 50]))
        else:
            story.append(_para(_("No findings."), text))

        # The checklist.
        story.append(_para(_("4. Checklist"), heading))
        rows = [
            row(
                [
                    _("Measure no."),
                    pgettext("bgys", "Level"),
                    _("Measure"),
                    _("Result"),
                    _("Explanation"),
                    pgettext("bgys", "Evidence"),
                ],
                bold,
            )
        ]
        for item in items:
            rows.append(
                row(
                    [
                        item.measure.number,
                        item.measure.level or "",
                        item.measure.title,
                        item.get_result_display(),
                        item.notes,
                        evidence_counts.get(item.pk, 0),
                    ]
                )
            )
        story.append(table(rows, [20, 12, 58, 25, 50, 15]))

        story.append(_para(_("5. Conclusion"), heading))
        story.append(_para(audit.conclusion or "—", text))
        story.append(Spacer(1, 6 * mm))
        signatures = [
            row([_("Lead auditor"), _("Auditors"), _("BGYS manager")], bold),
            row(
                [
                    str(audit.lead_auditor or ""),
                    ", ".join(p for p in team[1:]) if len(team) > 1 else "",
                    "",
                ]
            ),
            row([_("Signature"), _("Signature"), _("Signature")], small),
        ]
        signature_style = TableStyle(
            [*header_grid.getCommands(), ("BOTTOMPADDING", (0, 2), (-1, 2), 18 * mm)]
        )
        story.append(table(signatures, [60, 60, 60], signature_style))
        story.append(Spacer(1, 4 * mm))
        story.append(
            _para(
                _("Printed %(date)s by BİYS.")
                % {"date": timezone.localtime().strftime("%d.%m.%Y %H:%M")},
                small,
            )
        )
        if attribution:
            story.append(_para(f"{_('Source and licence')}: {attribution}", small))
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=14 * mm,
            bottomMargin=14 * mm,
            title=f"{_('Internal audit report')}: {audit.title}",
            author="BİYS",
        )
        document.build(story)
        return buffer.getvalue()
