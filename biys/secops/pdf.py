"""The incident report as PDF, in Turkish whatever the reader's language (it goes to the
management and the authorities): the record, the timeline, the indicators, the notification
clocks with what was sent, the evidence with its SHA-256. ReportLab with the DejaVu fonts every
BİYS PDF embeds (``biys.core.pdf_fonts``)."""

import io
from html import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from biys.core.pdf_fonts import BOLD_FONT_NAME, FONT_NAME, register_fonts


def _date(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else "—"


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    text = ParagraphStyle("text", fontName=FONT_NAME, fontSize=9.5, leading=12.5)
    return {
        "text": text,
        "small": ParagraphStyle("small", parent=text, fontSize=8, leading=10),
        "bold": ParagraphStyle("bold", parent=text, fontName=BOLD_FONT_NAME),
        "heading": ParagraphStyle(
            "heading", parent=text, fontName=BOLD_FONT_NAME, fontSize=11, leading=15,
            spaceBefore=8, spaceAfter=3,
        ),
        "title": ParagraphStyle(
            "title", parent=text, fontName=BOLD_FONT_NAME, fontSize=13, leading=17, alignment=1
        ),
    }  # fmt: skip


def _para(text, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(rows, widths, *, header: bool = True):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#6c757d")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")))
    table.setStyle(TableStyle(style))
    return table


def incident_report(incident) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from biys.org.models import Municipality
    from biys.secops import selectors

    register_fonts()
    with translation.override("tr"):
        s = _styles()
        p = _para
        municipality = Municipality.objects.only("name").first()
        ticket = incident.ticket.number if incident.ticket_id else ""
        source = incident.get_source_display()
        if ticket or incident.source_reference:
            source += f" ({', '.join(x for x in (ticket, incident.source_reference) if x)})"
        record = [
            (_("Incident number"), incident.number),
            (pgettext("incident", "Title"), incident.title),
            (_("Responsible unit"), str(incident.unit)),
            (_("detected by").capitalize(), source),
            (_("Detected at"), _date(incident.detected_at)),
            (_("Classification"), incident.get_classification_display()),
            (_("Severity"), incident.get_severity_display()),
            (_("Personal data involved"), _("Yes") if incident.personal_data else _("No")),
            (_("Incident state"), incident.get_state_display()),
            (_("contained at").capitalize(), _date(incident.contained_at)),
            (_("recovered at").capitalize(), _date(incident.recovered_at)),
            (_("closed at").capitalize(), _date(incident.closed_at)),
            (
                _("affected units").capitalize(),
                ", ".join(str(unit) for unit in incident.affected_units.all()) or "—",
            ),
            (_("Affected assets"), ", ".join(incident.asset_list) or "—"),
        ]
        story = [
            p(municipality.name if municipality else "", s["text"]),
            p(_("Cyber security incident report"), s["title"]),
            Spacer(1, 4 * mm),
            _table(
                [[p(k, s["bold"]), p(v, s["text"])] for k, v in record],
                [50 * mm, 130 * mm],
                header=False,
            ),
        ]
        for label, text in (
            (_("description").capitalize(), incident.description),
            (_("containment steps").capitalize(), incident.containment),
            (_("recovery steps").capitalize(), incident.recovery),
            (_("lessons learnt").capitalize(), incident.lessons),
        ):
            story += [p(label, s["heading"]), p(text or "—", s["text"])]

        story.append(p(_("Timeline"), s["heading"]))
        rows = [
            [
                p(_("Time"), s["bold"]),
                p(_("Event"), s["bold"]),
                p(_("author").capitalize(), s["bold"]),
            ]
        ]
        for event in incident.events.select_related("author"):
            rows.append([p(_date(event.occurred_at), s["small"]), p(event.text, s["small"]),
                         p(event.author or "—", s["small"])])  # fmt: skip
        story.append(_table(rows, [30 * mm, 115 * mm, 35 * mm]))

        story.append(p(_("Notification clocks"), s["heading"]))
        rows = [[p(x, s["bold"]) for x in (pgettext("notification", "Authority"), pgettext("notification", "Deadline"),
                                           _("Sent at"), _("Sent by"), _("What was sent"))]]  # fmt: skip
        for clock in selectors.clocks(incident):
            first = clock.sent[0] if clock.sent else None
            rows.append(
                [
                    p(f"{clock.rule.authority}\n{clock.rule.name}", s["small"]),
                    p(_date(clock.deadline), s["small"]),
                    p(_date(first.sent_at) if first else _("not sent"), s["small"]),
                    p(first.sent_by if first and first.sent_by else "—", s["small"]),
                    p(first.content if first else "", s["small"]),
                ]
            )
        story.append(_table(rows, [40 * mm, 28 * mm, 28 * mm, 30 * mm, 54 * mm]))

        tasks = list(incident.tasks.select_related("assignee"))
        if tasks:
            story.append(p(pgettext("incident task", "Tasks"), s["heading"]))
            rows = [[p(x, s["bold"]) for x in (
                pgettext("incident task", "Task"), pgettext("incident task", "Assignee"),
                pgettext("incident task", "Due"), _("State"),
            )]]  # fmt: skip
            for task in tasks:
                who = (
                    task.assignee.get_full_name() or task.assignee.username
                    if task.assignee
                    else "—"
                )
                text = f"{task.title}\n{task.note}" if task.note else task.title
                rows.append([p(text, s["small"]), p(who, s["small"]), p(_date(task.due), s["small"]),
                             p(task.get_state_display(), s["small"])])  # fmt: skip
            story.append(_table(rows, [85 * mm, 35 * mm, 30 * mm, 30 * mm]))
        story += _breach_section(incident, s)

        indicators = selectors.indicators_of(incident)
        if indicators:
            story.append(p(_("Indicators"), s["heading"]))
            rows = [[p(_("Kind"), s["bold"]), p(_("Value"), s["bold"])]]
            listed = "\n" + _("On USOM's list")
            rows += [
                [p(i.get_kind_display(), s["small"]),
                 p(i.value + (listed if i.usom_address_id else ""), s["small"])]
                for i in indicators
            ]  # fmt: skip
            story.append(_table(rows, [35 * mm, 145 * mm]))
        evidence = list(incident.evidence.select_related("added_by"))
        if evidence:
            story.append(p(_("Evidence"), s["heading"]))
            rows = [[p(x, s["bold"]) for x in (_("file name").capitalize(), "SHA-256",
                                               _("added by").capitalize())]]  # fmt: skip
            rows += [[p(e.filename, s["small"]), p(e.sha256, s["small"]),
                      p(f"{e.added_by or '—'}\n{_date(e.added_at)}", s["small"])]
                     for e in evidence]  # fmt: skip
            story.append(_table(rows, [45 * mm, 95 * mm, 40 * mm]))
        story += [
            Spacer(1, 6 * mm),
            p(_("Printed on %(date)s.") % {"date": _date(timezone.now())}, s["small"]),
        ]
        buffer = io.BytesIO()
        SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
            bottomMargin=15 * mm, title=f"{incident.number} {incident.title}", author="BİYS",
        ).build(story)  # fmt: skip
        return buffer.getvalue()


def _breach_section(incident, s) -> list:
    """The personal-data breach record of the incident (what the KVKK Board's form asks), with
    what was sent to the Board: its clock is one of the incident's clocks above."""
    from reportlab.lib.units import mm

    from biys.secops.models import Breach

    if not incident.personal_data:
        return []
    breach = Breach.objects.filter(incident=incident).select_related("recorded_by").first()
    heading = _para(_("Personal data breach"), s["heading"])
    if breach is None:
        return [heading, _para(_("The breach record has not been made yet."), s["text"])]

    def number(value):
        return str(value) if value is not None else "—"

    rows = [
        (_("categories of personal data affected").capitalize(), breach.data_categories),
        (_("data subjects affected").capitalize(), breach.subject_groups),
        (_("people affected (approximately)").capitalize(), number(breach.subjects_affected)),
        (_("records affected (approximately)").capitalize(), number(breach.records_affected)),
        (_("likely consequences").capitalize(), breach.consequences or "—"),
        (_("measures taken or proposed").capitalize(), breach.measures or "—"),
        (_("reason for a late notification").capitalize(), breach.late_reason or "—"),
        (_("data subjects notified at").capitalize(), _date(breach.subjects_notified_at)),
        (
            _("how the data subjects were notified").capitalize(),
            breach.subjects_notification or "—",
        ),
    ]
    return [
        heading,
        _table(
            [[_para(k, s["bold"]), _para(v, s["text"])] for k, v in rows],
            [60 * mm, 120 * mm],
            header=False,
        ),
    ]
