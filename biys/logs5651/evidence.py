"""The evidence package of a logged search, for the court or prosecutor: a ZIP with the matching
access records (CSV), the original daily files they came from (as stored and sealed), each
day's manifest, timestamp request and token, the authority's CA certificates, and a PDF report
(the request, the records, the files and their digests, the seals and a verification of those
days). ``README.txt`` says how to check it without BİYS (``openssl ts -verify``)."""

import csv
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core.pdf_fonts import BOLD_FONT_NAME as BOLD
from biys.core.pdf_fonts import FONT_NAME as FONT
from biys.core.pdf_fonts import register_fonts
from biys.logs5651 import storage
from biys.logs5651.models import DailySeal, LogFile, SearchRequest
from biys.logs5651.selectors import who_had
from biys.logs5651.verification import Report, verify


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S %z") if value else "—"


def package_name(search: SearchRequest) -> str:
    safe = storage.safe_name(search.request_number.replace("/", "-"))
    return f"5651-{safe}-{search.ip.replace(':', '_')}-{search.at:%Y%m%d%H%M}"


def evidence_package(*, user, search: SearchRequest) -> bytes:
    records = list(who_had(ip=search.ip, at=search.at, user=user))
    files = LogFile.objects.select_related("source").in_bulk({r.file_id for r in records})
    seals = {}
    for log_file in files.values():
        key = (log_file.source.unit_id, log_file.day)
        if key not in seals:
            seals[key] = DailySeal.objects.filter(unit_id=key[0], day=key[1]).first()
    days = sorted(day for _unit, day in seals)
    report = (
        verify(
            date_from=days[0],
            date_to=days[-1],
            unit_ids={unit for unit, _day in seals},
        )
        if days
        else None
    )
    name = package_name(search)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/records.csv", _records_csv(records))
        for log_file in files.values():
            path = storage.absolute(log_file.gz_path)
            if path.is_file():
                archive.write(
                    path, f"{name}/files/{log_file.day}/{log_file.source.name}/{log_file.name}.gz"
                )
        for (_unit, day), seal in sorted(seals.items(), key=lambda item: item[0][1]):
            if seal is None:
                continue
            folder = f"{name}/seals/{day}-{seal.unit_id}"
            archive.writestr(f"{folder}/manifest.json", seal.manifest)
            if seal.tsa_request:
                archive.writestr(f"{folder}/request.tsq", bytes(seal.tsa_request))
            if seal.tsa_token:
                archive.writestr(f"{folder}/token.tsr", bytes(seal.tsa_token))
        ca_file = settings.BIYS_TSA_CA_FILE
        if ca_file and Path(ca_file).is_file():
            archive.write(ca_file, f"{name}/tsa-ca.pem")
        archive.writestr(f"{name}/README.txt", _readme())
        archive.writestr(f"{name}/report.pdf", report_pdf(search, records, files, seals, report))
    return buffer.getvalue()


def _records_csv(records) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["ip", "mac", "user", "hostname", "start", "end", "kind", "nat_ip", "nat_port",
         "source", "day", "file", "line", "offset"]
    )  # fmt: skip
    for r in records:
        writer.writerow(
            [r.ip, r.mac, r.identity, r.hostname, _local(r.start), _local(r.end), r.kind,
             r.nat_ip or "", r.nat_port or "", r.source.name, r.file.day, r.file.name, r.line,
             r.offset]
        )  # fmt: skip
    return out.getvalue()


def _readme() -> str:
    return "\n".join(
        [
            _("Evidence package of an internet access record search (Law 5651), made by BİYS."),
            "",
            _("report.pdf: the request, the records found, their files, seals and verification."),
            _("records.csv: the records found; files/: the daily files as received (gzip)."),
            _("seals/DAY-UNIT/: the day's manifest, timestamp request and token (RFC 3161)."),
            "",
            _("To check a day without BİYS:"),
            "  openssl ts -verify -data seals/DAY-UNIT/manifest.json "
            "-in seals/DAY-UNIT/token.tsr -CAfile tsa-ca.pem",
            "  sha256sum files/DAY/SOURCE/FILE.gz",
            _("The file's SHA-256 must be the gz_sha256 the manifest lists for it."),
            "",
        ]
    )


def report_pdf(search, records, files, seals, report: Report | None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_fonts()
    text = ParagraphStyle("text", fontName=FONT, fontSize=8.5, leading=11)
    head = ParagraphStyle("head", parent=text, fontName=BOLD, fontSize=13, leading=17)
    sub = ParagraphStyle("sub", parent=text, fontName=BOLD, fontSize=10, leading=14)

    def p(value, style=text):
        return Paragraph(escape(str(value if value not in (None, "") else "—")), style)

    def table(headers, rows, widths):
        data = [[p(h, ParagraphStyle("th", parent=text, fontName=BOLD)) for h in headers]]
        data += [[p(cell) for cell in row] for row in rows]
        result = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        result.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#adb5bd")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return result

    story = [
        p(_("Internet access record search: evidence report"), head),
        Spacer(0, 6),
        table(
            [_("Request number"), _("IP address"), _("Time asked about"), _("Asked by"),
             _("Searched at"), _("Report made")],
            [[search.request_number, search.ip, _local(search.at), search.user_name,
              _local(search.time), _local(timezone.now())]],
            [110, 90, 120, 140, 120, 120],
        ),
        Spacer(0, 10),
        p(_("Records found"), sub),
    ]  # fmt: skip
    story.append(
        table(
            [_("IP address"), _("MAC address"), _("User"), _("Start of use"), _("End of use"),
             _("Source"), _("File, line")],
            [[r.ip + (f" (NAT {r.nat_ip}:{r.nat_port})" if r.nat_ip else ""), r.mac,
              r.identity, _local(r.start), _local(r.end), r.source.name,
              f"{r.file.day} {r.file.name}, {r.line}"] for r in records]
            or [[_("No records."), "", "", "", "", "", ""]],
            [110, 95, 90, 115, 115, 90, 145],
        )
    )  # fmt: skip
    story += [Spacer(0, 10), p(_("Files and their digests"), sub)]
    story.append(
        table(
            [_("Day"), _("Source"), _("File name"), _("SHA-256 of the compressed file"),
             _("SHA-256 of the records")],
            [[f.day, f.source.name, f.name, f.gz_sha256, f.records_sha256] for f in files.values()]
            or [["—", "", "", "", ""]],
            [60, 80, 100, 260, 260],
        )
    )  # fmt: skip
    story += [Spacer(0, 10), p(_("Daily seals"), sub)]
    story.append(
        table(
            [_("Day"), _("Status"), _("Manifest SHA-256"), _("Timestamp time"), _("Authority")],
            [[day, seal.get_status_display() if seal else _("No seal"),
              seal.manifest_sha256 if seal else "", _local(seal.stamped_at) if seal else "",
              seal.tsa_url if seal else ""] for (_unit, day), seal in sorted(seals.items(), key=lambda i: i[0][1])]
            or [["—", "", "", "", ""]],
            [60, 80, 260, 140, 220],
        )
    )  # fmt: skip
    story += [Spacer(0, 10), p(_("Verification of these days"), sub)]
    if report is None:
        story.append(p(_("Nothing to verify.")))
    elif report.ok:
        story.append(
            p(
                _(
                    "Intact: %(days)s days, %(files)s files and %(records)s records checked; "
                    "every file, manifest, chain link and timestamp verifies."
                )
                % {"days": report.days, "files": report.files, "records": report.records}
            )
        )
    else:
        story.append(p(_("FAILED: the records of these days are not as they were sealed.")))
        story.append(
            table(
                [_("Day"), _("Source"), _("File"), _("Check"), _("What differs")],
                [[f.day, f.source, f.file, f.check, f"{f.message} {f.expected} {f.found}"]
                 for f in report.failures],
                [60, 80, 100, 60, 460],
            )
        )  # fmt: skip
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=36,
        rightMargin=36,
        topMargin=36,
        bottomMargin=36,
        title=_("Evidence report"),
        author="BİYS",
    )
    document.build(story)
    return buffer.getvalue()
