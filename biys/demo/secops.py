"""Findings demo activity: the SOME lead's login (some.uzmani) over the IT department, and a
few scanner reports imported through the module's service from the parser samples (DefectDojo's
fixtures, BSD-3): a Trivy image scan and an OpenVAS scan of six weeks ago (so some findings are
past their date to fix by), a Nuclei and a Nessus scan of last week, and today's Trivy scan
again, which updates what it finds and reopens the one finding marked fixed since. Some
findings are in remediation, one is a false positive and one a risk accepted by the lead. Last
month's penetration test has its report and three findings typed in (one the scanners knew)."""

import random
from datetime import timedelta
from pathlib import Path

from biys.demo.builder import DemoLogin, DemoResult, register_demo_step

USERNAME = "some.uzmani"
SAMPLES = Path(__file__).resolve().parent.parent / "secops" / "tests" / "samples"
# (file, days ago)
REPORTS = [
    ("scheme_2_many_vulns.json", 42),
    ("report_detail_v2.xml", 40),
    ("many_findings_new.json", 8),
    ("nessus_many_vuln.xml", 6),
]


def _backdate(scan_import, days: int) -> None:
    """As if the import had run ``days`` ago: its findings first seen then, their date to fix
    by counted from then."""
    from django.utils import timezone

    from biys.secops import due_summary, selectors
    from biys.secops.models import Finding, ScanImport

    moment = timezone.now() - timedelta(days=days)
    ScanImport.objects.filter(pk=scan_import.pk).update(
        created=moment, started_at=moment, finished_at=moment + timedelta(seconds=3)
    )
    targets = selectors.remediation_days()
    units = set()
    for finding in Finding.objects.filter(first_import=scan_import):
        fix_days = targets.get(finding.severity)
        Finding.objects.filter(pk=finding.pk).update(
            first_seen=moment,
            last_seen=moment,
            state_changed_at=moment,
            due_date=timezone.localdate(moment) + timedelta(days=fix_days) if fix_days else None,
        )
        units.add(finding.unit_id)
    due_summary.rebuild(units)  # update() bypassed the overdue summary


@register_demo_step
def build_secops(result: DemoResult, rng: random.Random) -> None:
    from django.utils import timezone

    from biys.accounts.models import Role, RoleAssignment
    from biys.demo.builder import create_demo_user
    from biys.org.models import Unit
    from biys.secops import services
    from biys.secops.choices import State
    from biys.secops.models import Finding

    it_units = list(Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk"))
    if not it_units or not SAMPLES.is_dir():
        return
    top = it_units[0]
    branches = [unit for unit in it_units if unit.parent_id == top.pk] or [top]
    lead = create_demo_user(USERNAME, top)
    RoleAssignment.objects.create(
        user=lead, role=Role.objects.get(slug="some_lead"), unit=top, include_subtree=True
    )
    result.logins.append(DemoLogin(USERNAME, "some_lead", top.name))

    imports = []
    for n, (name, days) in enumerate(REPORTS):
        scan_import = services.import_content(
            user=lead,
            unit=branches[n % len(branches)],
            content=(SAMPLES / name).read_bytes(),
            filename=name,
        )
        _backdate(scan_import, days)
        imports.append(scan_import)

    # The team's work since the first scans.
    trivy = list(Finding.objects.filter(first_import=imports[0]).order_by("-severity", "pk"))
    today = timezone.localdate()
    if len(trivy) >= 4:
        services.change_state(user=lead, finding=trivy[0], action="start")
        services.change_state(user=lead, finding=trivy[1], action="fix")
        services.change_state(
            user=lead,
            finding=trivy[2],
            action="accept_risk",
            note="Görüntü yalnızca iç ağda çalışıyor; yeni sürüm Ocak bakım penceresinde.",
            until=today + timedelta(days=60),
        )
    openvas = list(Finding.objects.filter(first_import=imports[1]).order_by("-severity", "pk"))
    if openvas:
        services.change_state(user=lead, finding=openvas[0], action="start")
    if len(openvas) > 1:
        services.change_state(
            user=lead,
            finding=openvas[-1],
            action="false_positive",
            note="Sürüm başlığı yanlış okunmuş; paket güncel.",
        )
    # Today's scan of the same image finds the fixed one again: it is reopened.
    again = services.import_content(
        user=lead,
        unit=branches[0],
        content=(SAMPLES / REPORTS[0][0]).read_bytes(),
        filename=f"{Path(REPORTS[0][0]).stem}-{today:%Y%m%d}.json",
    )
    pentest = _demo_pentest(lead, branches[0], today)
    ticketed = _demo_remediation_ticket(lead)
    result.findings = {
        "pentest_findings": Finding.objects.filter(pentest=pentest).count(),
        "awaiting_verification": int(ticketed),
        "imports": len(imports) + 1,
        "findings": Finding.objects.count(),
        "reopened": again.reopened_count,
        "risk_accepted": Finding.objects.filter(state=State.RISK_ACCEPTED).count(),
    }


def _report_pdf(title: str) -> bytes:
    """A one-page stand-in for the tester's report."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from biys.core.pdf_fonts import FONT_NAME, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont(FONT_NAME, 14)
    page.drawString(60, 780, title)
    page.setFont(FONT_NAME, 10)
    page.drawString(60, 760, "Örnek Siber Güvenlik A.Ş. — gizli, yalnızca SOME için")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _demo_pentest(lead, unit, today):
    """Last month's external penetration test with its report and three findings typed in:
    two new, one the scanners had already found (the same finding, updated)."""
    from django.core.files.base import ContentFile

    from biys.secops import services
    from biys.secops.models import Finding

    title = "Dış ağ ve e-belediye sızma testi"
    pentest = services.create_pentest(
        user=lead,
        unit=unit,
        title=title,
        tester="Örnek Siber Güvenlik A.Ş.",
        started_on=today - timedelta(days=24),
        ended_on=today - timedelta(days=20),
        scope="Dış IP bloğu ve e-belediye uygulaması (gri kutu, iki test kullanıcısı)",
        report=ContentFile(_report_pdf(title), name="sizma-testi-raporu.pdf"),
        report_filename="sizma-testi-raporu.pdf",
    )
    typed = [
        {
            "host": "https://ebelediye.belediye.bel.tr", "title":
            "Başvuru sorgulamada SQL enjeksiyonu (kimlik doğrulamasız)", "severity": 4,
            "rule_id": "PT-2026-01", "cvss_score": "9.1", "port": 443, "protocol": "tcp",
            "description": "`basvuru_no` parametresi sorguya doğrudan ekleniyor.",
            "solution": "Parametreli sorgu kullanın; WAF kuralı geçici önlem.",
            "evidence": "GET /basvuru?basvuru_no=1' OR '1'='1 → 200, tüm kayıtlar",
        },
        {
            "host": "10.10.1.20", "title": "TLS 1.0 ve 1.1 açık", "severity": 2,
            "rule_id": "PT-2026-02", "port": 443, "protocol": "tcp",
            "solution": "Yalnızca TLS 1.2 ve 1.3'e izin verin.",
        },
    ]  # fmt: skip
    scanned = Finding.objects.exclude(cves="").order_by("-severity", "pk").first()
    if scanned is not None:
        typed.append(
            {
                "host": scanned.host, "component": scanned.component, "cves": scanned.cves,
                "port": scanned.port, "protocol": scanned.protocol, "title": scanned.title,
                "severity": scanned.severity, "rule_id": "PT-2026-03",
            }
        )  # fmt: skip
    for values in typed:
        services.add_pentest_finding(user=lead, pentest=pentest, **values)
    return pentest


def _demo_remediation_ticket(lead) -> bool:
    """The worst open finding gets a service-desk ticket for its fix, which a technician of the
    unit has resolved: the finding waits for the SOME to verify the fix."""
    from biys.accounts.models import User
    from biys.secops import services
    from biys.secops.choices import State
    from biys.secops.models import Finding
    from biys.servicedesk import services as desk

    finding = Finding.objects.filter(state=State.OPEN).order_by("-severity", "pk").first()
    if finding is None or not services.may_open_ticket(lead, finding):
        return False
    if lead.person_id is None:
        # A ticket needs its requester: the lead's personnel record, one of the IT department's
        # people without a login of their own (the demo's logins took the top unit's).
        from biys.org.models import Person

        person = (
            Person.objects.filter(unit__is_it_department=True, user__isnull=True)
            .order_by("unit__depth", "sort_name", "pk")
            .first()
        )
        if person is None:
            return False
        lead.person = person
        lead.save(update_fields=["person"])
    finding = services.open_finding_ticket(user=lead, finding=finding)
    ticket = finding.ticket
    technician = (
        User.objects.filter(
            role_assignments__role__slug="technician",
            role_assignments__unit=ticket.responsible_unit_id,
        )
        .order_by("pk")
        .first()
    )
    if technician is None:
        return False
    desk.take_ticket(ticket=ticket, user=technician)
    desk.resolve_ticket(
        ticket=ticket,
        user=technician,
        resolution="Paket güncellendi, servis yeniden başlatıldı.",
    )
    return True


@register_demo_step
def build_incidents(result: DemoResult, rng: random.Random) -> None:
    """Two SOME incidents worked by the lead: a monitoring alert (a service-desk ticket)
    escalated three days ago, contained, with USOM notified in time; and a phishing campaign
    detected this morning that reached personal data, open, its USOM and KVKK clocks running.
    One address is an indicator of both."""
    from django.utils import timezone

    from biys.accounts.models import User
    from biys.org.models import Unit
    from biys.secops import services
    from biys.secops.choices import Classification, Severity
    from biys.secops.models import Incident, NotificationRule
    from biys.servicedesk.models import Ticket

    lead = User.objects.filter(username=USERNAME).first()
    top = Unit.objects.filter(is_it_department=True).order_by("depth", "order", "pk").first()
    if lead is None or top is None:
        return
    now = timezone.now()
    usom = NotificationRule.objects.filter(applies_when="always").order_by("hours").first()
    ticket = Ticket.objects.order_by("pk").first()
    if ticket is not None:
        Ticket.objects.filter(pk=ticket.pk).update(created=now - timedelta(days=3, hours=2))
        ticket.refresh_from_db()
        first = services.escalate_ticket(
            user=lead,
            ticket=ticket,
            unit=top,
            classification=Classification.DOS,
            severity=Severity.HIGH,
            title="Belediye web sitesine olağan dışı trafik (DDoS)",
        )
    else:
        first = services.create_incident(
            user=lead,
            unit=top,
            title="Belediye web sitesine olağan dışı trafik (DDoS)",
            source="report",
            detected_at=now - timedelta(days=3, hours=2),
            classification=Classification.DOS,
            severity=Severity.HIGH,
        )
    first = services.update_incident(
        user=lead,
        incident=first,
        affected_assets="www.belediye.bel.tr\n10.10.1.20",
        containment="Saldırı trafiği yük dengeleyicide ülke ve oran sınırıyla kesildi;"
        " internet servis sağlayıcısına temizleme talebi iletildi.",
    )
    services.add_event(
        user=lead,
        incident=first,
        occurred_at=now - timedelta(days=3, hours=1),
        text="Güvenlik duvarı kayıtları incelendi; saniyede 40 bin istek, üç ağdan.",
    )
    for kind, value in (
        ("ip", "198.51.100.23"),
        ("ip", "203.0.113.77"),
        ("domain", "botnet-c2.example"),
    ):
        services.add_indicator(user=lead, incident=first, kind=kind, value=value)
    if usom is not None:
        services.record_notification(
            user=lead,
            incident=first,
            rule=usom,
            sent_at=now - timedelta(days=2, hours=20),
            content="USOM olay bildirim formu: hedef, saldırı türü, kaynak adresler.",
            reference="USOM-2026-1187",
        )
    services.change_incident_state(user=lead, incident=first, action="contain")

    second = services.create_incident(
        user=lead,
        unit=top,
        title="Personele oltalama e-postası; bir hesapla kişisel verilere erişildi",
        source="report",
        source_reference="Mali Hizmetler personelinin ihbarı",
        detected_at=now - timedelta(hours=20),
        classification=Classification.PHISHING,
        severity=Severity.CRITICAL,
        personal_data=True,
        description="Sahte e-Devlet giriş sayfasına yönlendiren e-posta; bir kullanıcı parolasını"
        " girdi ve hesabıyla vatandaş başvuru kayıtları görüntülendi.",
    )
    second.affected_units.set(Unit.objects.exclude(is_it_department=True).order_by("pk")[:1])
    services.add_event(
        user=lead,
        incident=second,
        occurred_at=now - timedelta(hours=19),
        text="Kullanıcının parolası sıfırlandı, oturumları kapatıldı.",
    )
    for kind, value in (
        ("email", "destek@e-devlet-dogrulama.example"),
        ("url", "https://e-devlet-dogrulama.example/giris"),
        ("ip", "198.51.100.23"),
    ):
        services.add_indicator(user=lead, incident=second, kind=kind, value=value)
    # The responders' tasks of the phishing incident: one done, one due this afternoon.
    reset = services.add_task(
        user=lead, incident=second, title="Etkilenen hesabın oturumlarını kapat, parolayı sıfırla",
        assignee=lead, due=now - timedelta(hours=18),
    )  # fmt: skip
    services.change_task(user=lead, task=reset, action="done", note="Yapıldı; MFA açıldı.")
    services.add_task(
        user=lead, incident=second,
        title="Aynı e-postayı alan personeli belirle ve uyar",
        assignee=lead, due=now + timedelta(hours=4),
    )  # fmt: skip
    usom = _demo_usom_list(lead)
    result.incidents = {
        "incidents": Incident.objects.count(),
        "clocks_running": 2,
        "usom_matches": usom.match_count if usom else 0,
    }


def _demo_usom_list(lead):
    """USOM's list as the lead uploaded it this morning (made-up addresses: reserved example
    domains and documentation ranges): the botnet address both incidents saw and the phishing
    site are on it, so the indicators show as matched and the timelines say so."""
    from django.core.files.base import ContentFile

    from biys.secops import services

    lines = [
        "botnet-c2.example", "198.51.100.23", "e-devlet-dogrulama.example/giris",
        "kargo-takip-sms.example", "fatura-iade-odeme.example", "203.0.113.200",
        "http://banka-guvenlik-dogrulama.example/login.php",
    ]  # fmt: skip
    content = ("\n".join(lines) + "\n").encode()
    return services.import_usom_list(
        user=lead, file=ContentFile(content, name="url-list.txt"), filename="url-list.txt",
        background=False,
    )  # fmt: skip
