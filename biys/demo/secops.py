"""Findings demo activity: the SOME lead's login (some.uzmani) over the IT department, and a
few scanner reports imported through the module's service from the parser samples (DefectDojo's
fixtures, BSD-3): a Trivy image scan and an OpenVAS scan of six weeks ago (so some findings are
past their date to fix by), a Nuclei and a Nessus scan of last week, and today's Trivy scan
again, which updates what it finds and reopens the one finding marked fixed since. Some
findings are in remediation, one is a false positive and one a risk accepted by the lead."""

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

    from biys.secops import selectors
    from biys.secops.models import Finding, ScanImport

    moment = timezone.now() - timedelta(days=days)
    ScanImport.objects.filter(pk=scan_import.pk).update(
        created=moment, started_at=moment, finished_at=moment + timedelta(seconds=3)
    )
    targets = selectors.remediation_days()
    for finding in Finding.objects.filter(first_import=scan_import):
        fix_days = targets.get(finding.severity)
        Finding.objects.filter(pk=finding.pk).update(
            first_seen=moment,
            last_seen=moment,
            state_changed_at=moment,
            due_date=timezone.localdate(moment) + timedelta(days=fix_days) if fix_days else None,
        )


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
    result.findings = {
        "imports": len(imports) + 1,
        "findings": Finding.objects.count(),
        "reopened": again.reopened_count,
        "risk_accepted": Finding.objects.filter(state=State.RISK_ACCEPTED).count(),
    }


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
    result.incidents = {"incidents": Incident.objects.count(), "clocks_running": 2}
