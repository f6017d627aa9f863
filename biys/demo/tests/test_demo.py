"""The service desk's demo activity on top of the odunpazari demo organisation."""

import time

import pytest
from django.db import transaction
from django.test import override_settings

from biys.accounts.models import User
from biys.demo.builder import build_demo
from biys.servicedesk.catalog_loader import read_catalog
from biys.servicedesk.models import CatalogItem, Queue, Ticket, TimeEntry
from biys.servicedesk.selectors import tickets_visible_to

# Every test reads the same demo: it is built once for the module's tests (a minute or more
# of the suite's time each build), in a transaction rolled back after the last of them. Each
# test runs in a savepoint inside it (pytest-django's ``db``), so what one test changes is gone
# before the next. The group keeps the module's tests on one xdist worker: one build in all.
pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture(scope="module")
def demo_dirs(tmp_path_factory) -> dict:
    """The module's own directories for what the demo writes besides its rows."""
    return {
        "BIYS_AUDIT_CHECKPOINT_DIR": tmp_path_factory.mktemp("demo-audit-checkpoints"),
        "BIYS_LOGS5651_DIR": tmp_path_factory.mktemp("demo-logs5651"),
        "BIYS_LOGS5651_INCOMING": tmp_path_factory.mktemp("demo-logs5651-incoming"),
    }


@pytest.fixture(autouse=True)
def _private_audit_checkpoints(settings, demo_dirs):
    # the conftest's fixtures of these names give each test fresh directories; here the tests
    # read the files and checkpoints the module's one demo wrote
    settings.BIYS_AUDIT_CHECKPOINT_DIR = demo_dirs["BIYS_AUDIT_CHECKPOINT_DIR"]


@pytest.fixture(autouse=True)
def _private_logs5651_dirs(settings, demo_dirs):
    settings.BIYS_LOGS5651_DIR = demo_dirs["BIYS_LOGS5651_DIR"]
    settings.BIYS_LOGS5651_INCOMING = demo_dirs["BIYS_LOGS5651_INCOMING"]


@pytest.fixture(scope="module")
def built_demo(django_db_setup, django_db_blocker, demo_dirs):
    outer = transaction.atomic()
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast_hashing, **demo_dirs),
    ):
        outer.__enter__()
        try:
            started = time.monotonic()
            built = build_demo(preset="odunpazari"), time.monotonic() - started
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(built_demo, db):
    return built_demo


def test_demo_builds_two_months_of_tickets_in_every_state(demo):
    result, _seconds = demo
    assert result.preset == "odunpazari"
    assert CatalogItem.objects.count() == len(read_catalog("odunpazari")["items"])
    tickets = Ticket.objects.all()
    assert tickets.count() >= 150
    states = set(tickets.values_list("state", flat=True))
    assert states >= {
        "new",
        "pending_approval",
        "assigned",
        "in_progress",
        "on_hold",
        "resolved",
        "closed",
        "cancelled",
    }
    assert (
        tickets.filter(hold_reason="supplier").exists()
        or tickets.filter(sent_to_supplier_at__isnull=False).exists()
    )
    assert tickets.filter(rating__isnull=False).count() >= 20
    assert tickets.filter(merged_into__isnull=False).exists()
    transferred = [
        t for t in tickets.prefetch_related("responsibilities") if len(t.responsibilities.all()) > 1
    ]
    assert transferred
    assert TimeEntry.objects.exists()
    # Spread over the last two months, from many units.
    created = sorted(tickets.values_list("created", flat=True))
    assert (created[-1] - created[0]).days >= 40
    assert tickets.values("requesting_unit").distinct().count() >= 8
    resolved = tickets.filter(resolved_at__isnull=False).first()
    assert resolved.created < resolved.resolved_at


def test_every_demo_login_is_a_member_of_staff_of_its_own(demo):
    """A login without a person has no name, no e-mail, no custody and nothing to acknowledge:
    every README login gets a person, each a different one."""
    result, _seconds = demo
    usernames = [login.username for login in result.logins]
    assert len(usernames) >= 15
    users = list(User.objects.filter(username__in=usernames))
    assert len(users) == len(usernames)
    without = [user.username for user in users if user.person_id is None]
    assert not without
    assert len({user.person_id for user in users}) == len(users)
    assert all(user.get_full_name() != user.username for user in users)


def test_demo_logins_have_tickets_to_see(demo):
    talep = User.objects.get(username="talep")
    own = Ticket.objects.filter(requester=talep.person)
    assert own.count() >= 3
    visible = tickets_visible_to(talep)
    assert set(own) <= set(visible)
    assert not visible.exclude(requester=talep.person).exclude(created_by=talep).exists()

    teknisyen = User.objects.get(username="teknisyen")
    assert Queue.objects.filter(members=teknisyen).exists()
    assert Ticket.objects.filter(assignee=teknisyen).count() >= 3
    assert tickets_visible_to(User.objects.get(username="sube.muduru")).exists()


def test_demo_managers_have_requests_to_approve_and_a_busy_branch(demo):
    from biys.servicedesk import selectors

    chief = User.objects.get(username="sube.muduru")
    head = User.objects.get(username="daire.baskani")
    for manager, at_least in ((chief, 3), (head, 5)):
        pending = list(selectors.pending_approvals_for(manager))
        assert len(pending) >= at_least, manager
        for ticket in pending:
            assert selectors.can_view_ticket(manager, ticket)
            assert selectors.can_approve(manager, ticket)
    # the chief is the manager of the requesting unit (its position), and heads a busy branch
    branch = chief.role_assignments.get(role__slug="chief").unit
    assert branch.manager_position.holder == chief.person
    assert chief.person.unit == branch
    handled = Ticket.objects.filter(responsible_unit__path__startswith=branch.path)
    assert handled.count() >= 20


def test_the_log_officer_can_do_their_whole_job(demo):
    """The 5651 demo: the log officer's login over the network unit, its three sources, four
    days of files, searchable records, manifests that verify, days honestly not sealed."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from biys.demo import logs5651 as demo_logs
    from biys.logs5651 import verification
    from biys.logs5651.models import AccessRecord, DailySeal, LogFile, LogSource, SearchRequest
    from biys.logs5651.selectors import searches_for, who_had

    result, _seconds = demo
    officer = User.objects.get(username="log.sorumlusu")
    (assignment,) = officer.role_assignments.all()
    assert assignment.role.slug == "log_officer"
    assert ("log.sorumlusu", "log_officer") in {(x.username, x.role) for x in result.logins}
    sources = LogSource.objects.filter(unit=assignment.unit)
    assert set(sources.values_list("parser", flat=True)) == {
        "isc_dhcpd_syslog", "fortigate", "mikrotik_hotspot"
    }  # fmt: skip
    # each source names the network inventory's device that writes its logs
    from biys.inventory.models import NetworkDevice

    named = {source.name: NetworkDevice.objects.get(pk=source.network_device) for source in sources}
    assert named["merkez-dhcp"].name == "dhcp1"
    assert named["merkez-fw"].kind == "firewall"
    assert named["misafir-hotspot"].kind == "router"
    assert named["misafir-hotspot"].manufacturer == "MikroTik"
    files = LogFile.objects.filter(source__in=sources)
    assert files.values("day").distinct().count() == demo_logs.DAYS
    assert all(f.records > 0 and f.unreadable == 1 for f in files)  # rsyslog's start line

    # Who had an address at a time: a DHCP lease (with MAC and host name), the NAT sessions
    # of the public address, a hotspot user.
    day = timezone.localdate() - timedelta(days=2)
    noon = datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())
    leases = list(who_had(ip="10.10.1.20", at=noon, user=officer)) or list(
        who_had(ip="10.10.1.21", at=noon, user=officer)
    )
    assert leases and leases[0].mac and leases[0].hostname.startswith("PC-")
    assert who_had(ip=demo_logs.NAT_ADDRESS, at=noon, user=officer).exists()
    login = AccessRecord.objects.filter(kind="login").first()
    middle = login.start + (login.end - login.start) / 2
    assert [r.identity for r in who_had(ip=login.ip, at=middle, user=officer)] == [login.identity]
    assert login.identity.startswith("5") and len(login.identity) == 10
    assert not who_had(ip="10.10.1.20", at=noon, user=User.objects.get(username="teknisyen"))
    assert list(searches_for(officer).values_list("request_number", flat=True)) == [
        demo_logs.SEARCH_REQUEST
    ]
    assert SearchRequest.objects.get().results > 0

    # Every day has its manifest, chained; none is sealed (no paid or made-up token).
    seals = DailySeal.objects.filter(unit=assignment.unit).order_by("day")
    assert seals.count() == demo_logs.DAYS
    assert not seals.filter(status="sealed").exists()
    assert all(seal.last_error for seal in seals)  # no authority configured: the reason shown
    report = verification.verify(unit_ids=[assignment.unit_id])
    assert report.ok, report.failures
    assert (report.files, report.sealed_days) == (3 * demo_logs.DAYS, 0)


def test_the_inventory_officer_sees_software_compliance(demo):
    """The licence demo: the officer's compliance page flags a title over its seats, forbidden
    software found on computers and titles the agent found that nobody reviewed; the licence
    expiring within a month has been noticed."""
    from django.contrib.contenttypes.models import ContentType
    from django.test import Client
    from django.urls import reverse

    from biys.inventory.licence_selectors import Compliance, titles_with_compliance
    from biys.inventory.models import Licence
    from biys.notifications.models import Notification

    officer = User.objects.get(username="tasinir.yetkilisi")
    states = set(titles_with_compliance(officer).values_list("compliance", flat=True))
    assert {Compliance.OVER_DEPLOYED, Compliance.FORBIDDEN, Compliance.UNREVIEWED} <= states
    assert Notification.objects.filter(
        recipient=officer, target_content_type=ContentType.objects.get_for_model(Licence)
    ).exists()
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("inventory:software_compliance"))
    assert page.status_code == 200 and 'data-testid="forbidden-installed"' in page.content.decode()
    assert client.get(reverse("inventory:licence_list")).status_code == 200


def test_the_inventory_officer_can_do_their_whole_job(demo):
    """The inventory demo: the officer's login over the IT department sees its register, hands
    an asset over, transfers and takes it back; the requester acknowledges in "My custody";
    the service desk's hardware tickets name registered devices."""
    from django.test import Client
    from django.urls import reverse

    from biys.inventory.models import Asset, Custody
    from biys.org.models import Person
    from biys.servicedesk.models import Ticket

    result, _seconds = demo
    assert ("tasinir.yetkilisi", "inventory_officer") in {
        (x.username, x.role) for x in result.logins
    }
    officer = User.objects.get(username="tasinir.yetkilisi")
    visible = Asset.objects.restrict(officer, "view")
    assert visible.count() == Asset.objects.count() >= 300
    statuses = set(Asset.objects.values_list("status", flat=True))
    assert {"in_store", "in_custody", "faulty", "at_repair", "scrapped"} <= statuses
    assert Custody.objects.filter(ended_at__isnull=False).exists()
    assert Custody.objects.filter(acknowledged_at__isnull=False).exists()

    client = Client()
    client.force_login(officer)
    assert client.get(reverse("inventory:asset_list")).status_code == 200
    asset = visible.filter(status="in_store").first()
    someone, other = Person.objects.filter(status="active")[:2]
    assert (
        client.post(
            reverse("inventory:hand_over", args=[asset.pk]), {"person": someone.pk}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("inventory:transfer", args=[asset.pk]), {"person": other.pk}
        ).status_code
        == 302
    )
    custody = Custody.objects.get(asset=asset, ended_at__isnull=True)
    assert client.get(reverse("inventory:zimmet_fisi", args=[custody.pk])).status_code == 200
    assert client.get(reverse("inventory:person_custody", args=[other.pk])).status_code == 200
    assert client.post(reverse("inventory:take_back", args=[asset.pk]), {}).status_code == 302

    talep = User.objects.get(username="talep")
    mine = Custody.objects.filter(person=talep.person, ended_at__isnull=True)
    assert mine.count() == 2 and mine.filter(acknowledged_at__isnull=True).count() == 1
    client.force_login(talep)
    waiting = mine.get(acknowledged_at__isnull=True)
    assert (
        reverse("inventory:acknowledge", args=[waiting.pk])
        in client.get(reverse("inventory:my_custody")).content.decode()
    )

    hardware = Ticket.objects.filter(catalog_item__requires_asset=True)
    assert (
        hardware.exists()
        and not hardware.filter(asset_unregistered=True).exclude(asset_reference="").exists()
    )


def test_the_inventory_officer_links_older_tickets_to_the_register(demo):
    """The demo leaves work for *Envantere bağla*: older tickets whose link was never kept,
    linked in one run, and references to an old sticker the register does not know, listed
    and exported."""
    from django.test import Client
    from django.urls import reverse

    from biys.servicedesk.models import Ticket

    officer = User.objects.get(username="tasinir.yetkilisi")
    client = Client()
    client.force_login(officer)
    url = reverse("servicedesk:asset_links")
    html = client.get(url).content.decode()
    assert "BLD-DMB-2011/0457" in html and 'data-testid="asset-links-run"' in html
    unlinked = Ticket.objects.filter(asset_id__isnull=True).exclude(asset_reference="").count()
    assert client.post(url).status_code == 302
    left = Ticket.objects.filter(asset_id__isnull=True).exclude(asset_reference="")
    assert unlinked - left.count() >= 6
    assert set(left.values_list("asset_reference", flat=True)) >= {
        "BLD-DMB-2011/0457",
        "Zabıta 3. kat yazıcı",
    }
    response = client.get(reverse("servicedesk:asset_links_csv"))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff") and "BLD-DMB-2011/0457" in body


def test_the_store_has_stock_slips_and_a_pending_request(demo):
    """The stores demo: the IT department's store with stock (one item under its minimum),
    approved fişler (a purchase, a scrapping, an issue against a request), a draft waiting for
    the spending authority, whose login approves it, and a request waiting for the store."""
    from django.test import Client
    from django.urls import reverse

    from biys.inventory.models import Slip, StockItem, StockRequest

    result, _seconds = demo
    assert ("harcama.yetkilisi", "spending_authority") in {
        (x.username, x.role) for x in result.logins
    }
    stock = StockItem.objects.filter(store_id=result.inventory["store"])
    assert stock.filter(quantity__gt=0).count() >= 5
    assert any(row.is_low for row in stock)
    approved = Slip.objects.filter(state="approved")
    assert {"purchase", "consumption"} <= set(approved.values_list("kind", flat=True))
    assert StockRequest.objects.filter(state="submitted").exists()
    draft = Slip.objects.get(state="draft")
    officer = Client()
    officer.force_login(User.objects.get(username="tasinir.yetkilisi"))
    assert "CF259A" in officer.get(reverse("inventory:stockitem_list")).content.decode()
    authority = Client()
    authority.force_login(User.objects.get(username="harcama.yetkilisi"))
    authority.post(reverse("inventory:slip_approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == "approved"


def test_the_store_count_is_in_progress_and_a_scrapping_waits(demo):
    """The count demo: the store's year-end count in progress, with assets missing and surplus,
    which the officer's login goes on scanning; a scrapping proposal the spending authority's
    login approves into a scrapping fişi."""
    from django.test import Client
    from django.urls import reverse

    from biys.inventory import count_services
    from biys.inventory.models import Count, Disposal

    result, _seconds = demo
    count = Count.objects.get(pk=result.inventory["count"])
    assert count.state == "open"
    tally = count_services.count_result(count)
    assert tally.found and tally.shortages and len(tally.surpluses) >= 1
    officer = Client()
    officer.force_login(User.objects.get(username="tasinir.yetkilisi"))
    page = officer.get(count.get_absolute_url()).content.decode()
    assert 'id="id_code"' in page
    missing = tally.shortages[0].asset
    officer.post(
        reverse("inventory:count_scan", args=[count.pk]), {"code": missing.inventory_number}
    )
    assert len(count_services.count_result(count).shortages) == len(tally.shortages) - 1
    proposal = Disposal.objects.get(state="proposed", kind="scrapping")
    authority = Client()
    authority.force_login(User.objects.get(username="harcama.yetkilisi"))
    authority.post(reverse("inventory:disposal_approve", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.state == "approved" and proposal.slip.kind == "scrapping"


def test_the_applications_manager_can_do_their_whole_job(demo):
    """The applications demo: a login holding the applications manager role over the IT
    department; a few hundred applications of the shipped types, some late, some due this
    week, some routed and extended; the login may record, route, extend, answer, report."""
    from django.db.models import F
    from django.test import Client
    from django.urls import reverse

    from biys.applications import selectors
    from biys.applications.models import Application, ApplicationType
    from biys.core.access import get_scope

    result, _seconds = demo
    manager = User.objects.get(username="basvuru")
    assert ("basvuru", "applications_manager") in {(x.username, x.role) for x in result.logins}
    applications = Application.objects.all()
    assert applications.count() >= 300
    assert applications.values("type").distinct().count() >= 8
    assert applications.values("responsible_unit").distinct().count() >= 2
    assert ApplicationType.objects.count() >= 10
    day = selectors.today()
    monday, sunday = selectors.week_bounds(day)
    visible = selectors.applications_for(manager)
    assert visible.count() == applications.count()
    assert visible.filter(state="open", due_date__lt=day).exists()
    assert visible.filter(state="open", due_date__gte=monday, due_date__lte=sunday).exists()
    assert visible.filter(answered_on__gt=F("due_date")).exists()  # answered late
    assert visible.filter(state="refused").exclude(refusal_ground="").exists()
    assert visible.filter(extended=True).exists()
    assert any(a.responsibilities.count() > 1 for a in visible.filter(state="open")[:200])
    scope = get_scope(manager)
    for perm in (
        "add_application",
        "route_application",
        "extend_application",
        "answer_application",
        "reveal_applicant_data",
        "change_applicationtype",
    ):
        assert scope.has_perm(f"applications.{perm}", visible.first().responsible_unit_id)
    client = Client()
    client.force_login(manager)
    for url in (
        reverse("applications:application_list") + "?due=this_week",
        reverse("applications:application_list") + "?due=late",
        reverse("applications:report"),
        reverse("applications:application_add"),
        visible.filter(state="open").first().get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url


def test_the_applications_manager_sees_objections_mail_and_a_cimer_import(demo):
    """Beyond the counter: objections linked to answered bilgi edinme requests (one answered,
    one open, and a refused request still open to one), applications taken from the e-mail
    intake, and one finished CİMER import; the applications manager sees them all."""
    from django.test import Client
    from django.urls import reverse

    from biys.applications import selectors
    from biys.applications.models import ApplicationMailbox

    manager = User.objects.get(username="basvuru")
    visible = selectors.applications_for(manager)
    objections = visible.filter(objection_to__isnull=False)
    assert set(objections.values_list("state", flat=True)) == {"open", "answered"}
    assert all(o.objection_to.type.objection_type_id == o.type_id for o in objections)
    mailed = visible.filter(channel="email").exclude(message_id="")
    assert mailed.count() == 3 and all(a.email for a in mailed)
    assert ApplicationMailbox.objects.get().is_active is False  # nothing to poll in the demo
    imported = visible.filter(channel="cimer", channel_reference__startswith="CMR-")
    assert imported.count() == 4 and {a.created_by for a in imported} == {manager}
    assert all(a.channel_due_date for a in imported)
    client = Client()
    client.force_login(manager)
    waiting = visible.get(subject="Personel giriş-çıkış kayıtlarının istatistiği")
    assert (
        'data-testid="record-objection"' in client.get(waiting.get_absolute_url()).content.decode()
    )
    page = client.get(objections.get(state="open").get_absolute_url()).content.decode()
    assert 'data-testid="objection-to"' in page
    for url in (
        reverse("applications:import"),
        reverse("applications:application_list") + "?channel=email",
        reverse("applications:application_list") + "?channel=cimer",
    ):
        assert client.get(url).status_code == 200, url


def test_the_applications_manager_sells_gis_data(demo):
    """The GIS data sales demo: the layers and a tariff in force (last year's ended), sales in
    every state; the applications manager sees them, and the paid one waits only for its
    signed undertaking."""
    from django.test import Client
    from django.urls import reverse

    from biys.applications.gis import selectors, services
    from biys.applications.gis.models import GisDataSale, GisTariff

    manager = User.objects.get(username="basvuru")
    from biys.applications.selectors import today as local_today

    today = local_today()
    assert GisTariff.objects.count() == 2
    assert selectors.tariff_on(today) is not None
    sales = selectors.sales_for(manager)
    assert sales.count() == GisDataSale.objects.count() >= 10
    states = set(sales.values_list("state", flat=True))
    assert {"requested", "quoted", "accrued", "paid", "delivered", "cancelled",
            "partly_delivered"} <= states  # fmt: skip
    delivered = sales.filter(state="delivered").first()
    assert delivered.deliveries.get().files and delivered.undertaking_id
    assert delivered.application.state == "answered"
    # One sale delivered in part: open, with what is still due and the next part to record.
    partly = sales.get(state="partly_delivered")
    assert not selectors.fully_delivered(selectors.delivery_progress(partly))
    assert partly.application.state == "open" and "deliver" in services.sale_actions(
        manager, partly
    )
    paid = sales.get(state="paid")
    assert services.delivery_refusal(paid) and "undertaking" in services.sale_actions(manager, paid)
    accrued = sales.filter(state="accrued").first()
    assert accrued.accrual_number.startswith("CBS-TAH-")
    assert "pay" in services.sale_actions(manager, accrued)
    client = Client()
    client.force_login(manager)
    for url in (
        reverse("applications:gisdatasale_list"),
        reverse("applications:gisdatasale_add"),
        reverse("applications:gis_report"),
        reverse("applications:gistariff_list"),
        paid.get_absolute_url(),
        reverse("applications:gis_quote_pdf", args=[delivered.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_applications_manager_numbers_buildings_and_names_streets(demo):
    """The numarataj demo: requests in several steps, one certificate issued (its PDF opens),
    and a street renamed by the council's decision with a dated entry in its name history."""
    from django.test import Client
    from django.urls import reverse

    from biys.applications.numarataj import selectors, services
    from biys.applications.numarataj.models import Street, StreetNamingProposal

    manager = User.objects.get(username="basvuru")
    requests = selectors.requests_for(manager)
    states = set(requests.values_list("state", flat=True))
    assert {"received", "visited", "numbered", "accrued", "issued", "refused"} <= states
    accrued = requests.get(state="accrued")
    assert accrued.fee == accrued.tariff_fee and accrued.fee > 0  # priced by the tariff
    issued = requests.get(state="issued")
    assert issued.certificate_number.startswith("NUM-BLG-")
    assert issued.application.state == "answered" and issued.building.numbers.exists()
    assert "pay" in services.request_actions(manager, requests.get(state="accrued"))
    renamed = Street.objects.get(name="Lale")
    assert [entry.name for entry in selectors.street_names(renamed)] == ["Lale", "1245."]
    assert StreetNamingProposal.objects.filter(state="draft").exists()
    client = Client()
    client.force_login(manager)
    for url in (
        reverse("applications:numberingrequest_list"),
        reverse("applications:numberingrequest_add"),
        reverse("applications:street_list"),
        renamed.get_absolute_url(),
        issued.get_absolute_url(),
        issued.building.get_absolute_url(),
        reverse("applications:numarataj_certificate_pdf", args=[issued.pk]),
        reverse("applications:numberingtariff_list"),
    ):
        assert client.get(url).status_code == 200, url
    # The request waiting for its accrual shows the fee the tariff valid today comes to.
    page = client.get(requests.get(state="numbered").get_absolute_url()).content.decode()
    assert 'data-testid="fee-quote"' in page


def test_the_applications_manager_follows_base_station_sites(demo):
    """The base-station demo: sites in several steps, one under contract with its yearly
    accruals (past years paid), complaints tied to two sites, and the map showing them."""
    from django.test import Client
    from django.urls import reverse

    from biys.applications.basestation import selectors, services

    manager = User.objects.get(username="basvuru")
    sites = selectors.sites_for(manager)
    states = set(sites.values_list("state", flat=True))
    assert {"received", "inspected", "approved", "contracted", "refused"} <= states
    contracted = sites.get(state="contracted")
    accruals = list(contracted.accruals.order_by("year"))
    assert len(accruals) >= 2 and all(a.accrual_number.startswith("BAZ-TAH-") for a in accruals)
    assert accruals[0].paid_on and accruals[-1].paid_on is None
    assert "pay" in services.site_actions(manager, contracted)
    assert selectors.complaints_for(manager).filter(state="open").count() == 2
    features = selectors.map_features(manager)
    assert len(features["sites"]) == 5 and len(features["complaints"]) == 3
    client = Client()
    client.force_login(manager)
    for url in (
        reverse("applications:basestationsite_list"),
        reverse("applications:basestationsite_add"),
        reverse("applications:sitecomplaint_list"),
        reverse("applications:basestation_map"),
        reverse("applications:operator_list"),
        contracted.get_absolute_url(),
        contracted.complaints.first().get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url
    # A complaint from the public form with coordinates, not tied yet: its page suggests the
    # nearest registered site first, with the distance.
    from biys.applications.models import Application

    public = Application.objects.get(type__code=selectors.COMPLAINT_TYPE_CODE, channel="web")
    nearest = selectors.nearest_to_complaint(manager, public)
    assert nearest[0].site.site_code == "ESK0118" and nearest[0].distance_m == 126
    page = client.get(public.get_absolute_url()).content.decode()
    assert 'data-testid="nearest-site"' in page and "126 m" in page


def test_the_registry_clerk_can_do_their_whole_job(demo):
    """The evrak demo: a login holding the registry clerk role over the IT department, the
    sample file plan and some forty incoming documents of every sender kind; the login may
    register, reveal a person sender's number, and sees the Gizli document named to it."""
    from django.test import Client
    from django.urls import reverse

    from biys.core.access import get_scope
    from biys.evrak import selectors
    from biys.evrak.models import IncomingDocument, SdpCode

    result, _seconds = demo
    clerk = User.objects.get(username="evrak.memuru")
    assert ("evrak.memuru", "evrak_clerk") in {(x.username, x.role) for x in result.logins}
    documents = IncomingDocument.objects.all()
    assert documents.count() >= 40 and SdpCode.objects.filter(is_sample=True).exists()
    assert set(documents.values_list("sender_kind", flat=True)) == {
        "institution",
        "company",
        "person",
    }
    visible = selectors.documents_visible_to(clerk)
    assert visible.count() == documents.count()
    assert visible.filter(confidentiality="GZL").exists()
    assert visible.filter(urgency="GNL", due_date__isnull=False).exists()
    person = visible.filter(sender_kind="person").first()
    scope = get_scope(clerk)
    for perm in ("add_incomingdocument", "change_incomingdocument", "reveal_sender_data"):
        assert scope.has_perm(f"evrak.{perm}", person.receiving_unit_id)
    client = Client()
    client.force_login(clerk)
    for url in (
        reverse("evrak:incomingdocument_list"),
        reverse("evrak:incomingdocument_list") + "?urgency=GNL",
        reverse("evrak:incomingdocument_add"),
        reverse("evrak:sdpcode_list"),
        person.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url
    assert client.post(reverse("evrak:reveal", args=[person.pk])).status_code == 200
    # The newest paper document's scanned page, queued for text recognition, is read.
    from biys.evrak import services
    from biys.evrak.models import ScanText

    scan = ScanText.objects.get()
    services.recognise_scan(scan_text_id=scan.pk)
    scan.refresh_from_db()
    assert scan.status == "done" and "yazıcı arızası" in scan.text, scan.error
    found = client.get(reverse("evrak:incomingdocument_list"), {"q": "YAZICI ARIZASI"})
    assert scan.document.number in found.content.decode()


def test_the_routed_documents_wait_in_the_demo(demo):
    """Havale in the demo: routings to sube.muduru's branch, one overdue, one routed on to
    teknisyen and closed, the Gizli document handed over to sube.muduru awaiting receipt; the
    chief and the technician find them under Bekleyen evrak and can act on them."""
    from django.test import Client
    from django.urls import reverse

    from biys.evrak import selectors
    from biys.evrak.models import Routing

    chief = User.objects.get(username="sube.muduru")
    technician = User.objects.get(username="teknisyen")
    clerk = User.objects.get(username="evrak.memuru")
    assert Routing.objects.filter(state="closed").exists()
    handed = Routing.objects.get(assignee=chief, handed_over_at__isnull=False)
    assert handed.awaits_receipt and handed.document.confidentiality in ("GZL", "CGZ")
    units = selectors.buckets(selectors.waiting_in_units(chief))
    assert units["overdue"] and (units["this_week"] or units["waiting"])
    assert selectors.waiting_for_person(technician).exists()
    document = Routing.objects.filter(assignee__isnull=True, state="open").first().document
    assert selectors.may_route(clerk, document)
    client = Client()
    client.force_login(chief)
    page = client.get(reverse("evrak:waiting"))
    assert page.status_code == 200 and handed.document.number.encode() in page.content
    assert b"acknowledge-" in client.get(handed.document.get_absolute_url()).content
    client.force_login(technician)
    assert client.get(reverse("evrak:waiting")).status_code == 200


def test_the_some_lead_sees_and_works_the_findings(demo):
    """The findings demo: the SOME lead's login over the IT department, imports from every
    scanner format, overdue findings, a risk accepted and a fixed one reopened by a later scan;
    technicians and chiefs of the demo see none of it."""
    from django.test import Client
    from django.urls import reverse

    from biys.secops.models import Finding, PenTest, RemediationTarget, ScanImport
    from biys.secops.selectors import findings_for, overdue_findings

    result, _seconds = demo
    lead = User.objects.get(username="some.uzmani")
    assert ("some.uzmani", "some_lead") in {(x.username, x.role) for x in result.logins}
    assert set(ScanImport.objects.values_list("format", flat=True)) == {
        "trivy",
        "openvas",
        "nuclei",
        "nessus",
    }
    assert result.findings["reopened"] >= 1 and result.findings["risk_accepted"] >= 1
    assert result.findings["pentest_findings"] == 3
    assert result.findings["awaiting_verification"] == 1
    waiting = Finding.objects.get(ticket__isnull=False)
    assert waiting.state == "in_remediation" and waiting.ticket.state == "resolved"
    assert Finding.objects.filter(scanner="pentest").count() == 2  # one the scanners knew
    assert findings_for(lead).count() == Finding.objects.count()
    assert overdue_findings(lead).exists()
    client = Client()
    client.force_login(lead)
    finding = Finding.objects.filter(state="reopened").first()
    for url in (
        reverse("secops:finding_list"),
        reverse("secops:finding_list") + "?overdue=true",
        reverse("secops:overdue"),
        reverse("secops:scanimport_list"),
        reverse("secops:scanimport_add"),
        reverse("secops:remediationtarget_list"),
        reverse("secops:remediationtarget_edit", args=[RemediationTarget.objects.first().pk]),
        finding.get_absolute_url(),
        ScanImport.objects.first().get_absolute_url(),
        reverse("secops:pentest_list"),
        reverse("secops:finding_list") + "?awaiting_verification=true",
        waiting.get_absolute_url(),
        PenTest.objects.get().get_absolute_url(),
        reverse("secops:pentest_report", args=[PenTest.objects.get().pk]),
    ):
        assert client.get(url).status_code == 200, url
    for username in User.objects.filter(
        role_assignments__role__slug__in=["technician", "chief"]
    ).values_list("username", flat=True)[:3]:
        other = Client()
        other.force_login(User.objects.get(username=username))
        assert other.get(finding.get_absolute_url()).status_code == 404


def test_the_some_lead_sees_the_incidents_and_their_clocks(demo):
    """The incidents demo: two incidents visible to some.uzmani, one with the KVKK clock
    running; an indicator seen in both; technicians and chiefs see none of them."""
    from django.test import Client

    from biys.secops.models import Incident
    from biys.secops.selectors import clocks, incidents_for

    lead = User.objects.get(username="some.uzmani")
    assert incidents_for(lead).count() == Incident.objects.count() == 2
    breach = Incident.objects.get(personal_data=True)
    from django.urls import reverse

    running = [clock for clock in clocks(breach) if not clock.done and not clock.is_late()]
    assert any(clock.rule.hours == 72 for clock in running)
    client = Client()
    client.force_login(lead)
    for incident in Incident.objects.all():
        page = client.get(incident.get_absolute_url())
        assert page.status_code == 200
    assert 'data-seen="2"' in client.get(breach.get_absolute_url()).content.decode()
    # USOM's list: the botnet address and the phishing URL are on it.
    result, _seconds = demo
    assert result.incidents["usom_matches"] >= 2
    matches = client.get(reverse("secops:usom_matches")).content.decode()
    assert "198.51.100.23" in matches and "botnet-c2.example" in matches
    mine = client.get(reverse("secops:my_tasks")).content.decode()
    assert "Aynı e-postayı alan personeli" in mine and "oturumlarını kapat" not in mine
    stats = client.get(reverse("secops:incident_statistics")).content.decode()
    from django.utils import timezone

    this_year = Incident.objects.filter(detected_at__year=timezone.localdate().year).count()
    assert f'data-stat="incidents">{this_year}<' in stats
    report = client.get(reverse("secops:incident_report", args=[breach.pk]))
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"
    for username in User.objects.filter(
        role_assignments__role__slug__in=["technician", "chief"]
    ).values_list("username", flat=True)[:3]:
        other = Client()
        other.force_login(User.objects.get(username=username))
        assert other.get(breach.get_absolute_url()).status_code == 404


def test_the_bgys_manager_sees_the_guide_and_the_soa(demo):
    """The BGYS demo: the guide loaded with its 660 measures, one questionnaire answered
    (level 2), its applicable measures on the SoA, some recorded with evidence, one not
    applicable with its reason; the login (over the whole municipality) may load frameworks."""
    from django.test import Client
    from django.urls import reverse

    from biys.bgys.models import ApplicabilityEntry, Assessment, Framework
    from biys.core.access import get_scope

    result, _seconds = demo
    assert ("bgys.yoneticisi", "bgys_manager") in {(x.username, x.role) for x in result.logins}
    manager = User.objects.get(username="bgys.yoneticisi")
    guide = Framework.objects.get(slug="bilgi-ve-iletisim-guvenligi-rehberi")
    assert guide.measures.count() == 660
    assessment = Assessment.objects.get()
    assert assessment.level == 2 and assessment.score == 20
    entries = ApplicabilityEntry.objects.filter(assessment=assessment)
    assert (
        entries.count()
        == guide.measures.filter(section__number__startswith="3.1.", level__lte=2).count()
    )
    assert entries.filter(state="fully").exclude(evidence_links="").exists()
    assert entries.filter(applicable=False).exclude(reason="").exists()
    assert get_scope(manager).has_perm("bgys.add_framework", None)
    client = Client()
    client.force_login(manager)
    for url in (
        reverse("bgys:applicabilityentry_list"),
        reverse("bgys:applicabilityentry_list") + "?state=partly",
        reverse("bgys:assessment_list"),
        assessment.get_absolute_url() + "?tab=measures",
        reverse("bgys:measure_list") + f"?framework={guide.pk}&level=3",
        guide.get_absolute_url(),
        reverse("bgys:framework_load"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_bgys_manager_sees_the_assets_and_the_risk_register(demo):
    """Ten information assets across the guide's six asset groups, two on inventory devices;
    eight risks, treated, one awaiting the manager's approval; the heat map and the list."""
    from django.test import Client
    from django.urls import reverse

    from biys.bgys.models import InformationAsset, Risk
    from biys.core import assets

    information_assets = InformationAsset.objects.all()
    assert information_assets.count() == 10
    assert information_assets.values("asset_group__number").distinct().count() == 6
    on_devices = information_assets.exclude(platform_references="")
    assert on_devices.exists()
    assert all(assets.find_asset(ref) for a in on_devices for ref in a.references)
    risks = Risk.objects.all()
    assert risks.count() == 8
    assert risks.filter(status="pending").count() == 1
    assert risks.filter(status="approved").count() == 6
    assert risks.filter(measures__isnull=False).exists()
    client = Client()
    client.force_login(User.objects.get(username="bgys.yoneticisi"))
    heat = client.get(reverse("bgys:risk_heatmap"))
    assert heat.status_code == 200 and heat.context["maps"][0]["total"] == 8
    for url in (
        reverse("bgys:risk_list") + "?status=pending",
        reverse("bgys:informationasset_list"),
        risks.first().get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url


def test_the_bgys_audits_the_corrective_actions_and_the_review(demo):
    """The year's plan: a closed audit with its corrective action verified and closed, a
    reported one with a major nonconformity whose corrective action is open, a planned one; a
    management review with its actions. The internal auditor (bgys.denetci) reads the audits
    they are named on and changes nothing."""
    from django.test import Client
    from django.urls import reverse

    from biys.bgys.models import Audit, CorrectiveAction, Finding, ManagementReview

    result, _seconds = demo
    assert ("bgys.denetci", "bgys_auditor") in {(x.username, x.role) for x in result.logins}
    assert set(Audit.objects.values_list("state", flat=True)) == {"closed", "reported", "planned"}
    assert CorrectiveAction.objects.filter(state="closed").exclude(verified_by=None).count() == 1
    open_action = CorrectiveAction.objects.get(state="open")
    assert open_action.finding.kind == "major" and open_action.owner_id
    assert Finding.objects.filter(kind__in=["observation", "opportunity"]).count() == 2
    review = ManagementReview.objects.get()
    assert review.actions.count() == 2 and review.participants.exists()

    manager = Client()
    manager.force_login(User.objects.get(username="bgys.yoneticisi"))
    reported = Audit.objects.get(state="reported")
    for url in (
        reverse("bgys:audit_list"),
        reverse("bgys:correctiveaction_list") + "?state=open",
        reported.get_absolute_url() + "?tab=checklist",
        reported.get_absolute_url() + "?tab=findings",
        reverse("bgys:audit_report", args=[reported.pk]),
        open_action.get_absolute_url(),
        review.get_absolute_url() + "?tab=actions",
    ):
        assert manager.get(url).status_code == 200, url

    auditor = Client()
    auditor.force_login(User.objects.get(username="bgys.denetci"))
    mine = auditor.get(reverse("bgys:audit_assigned"))
    assert mine.status_code == 200 and reported.title in mine.content.decode()
    assert auditor.get(reported.get_absolute_url() + "?tab=findings").status_code == 200
    assert auditor.get(open_action.get_absolute_url()).status_code == 200
    assert auditor.get(reverse("bgys:audit_report", args=[reported.pk])).status_code == 200
    edit = reverse("bgys:correctiveaction_edit", args=[open_action.pk])
    assert auditor.get(edit).status_code == 404

    # The policies: the security policy's second version published, some of the demo logins
    # have acknowledged it, the technician has not and finds it on their own page.
    from biys.acknowledgements.models import Acknowledgement
    from biys.bgys.models import PolicyVersion

    current = PolicyVersion.objects.get(policy__code="BGYS-POL-01", state="published")
    assert current.number == 2
    rows = Acknowledgement.objects.of(current)
    assert rows.done().count() >= 2 and rows.overdue().exists()
    assert set(PolicyVersion.objects.values_list("state", flat=True)) == {
        "draft", "approved", "published", "superseded",
    }  # fmt: skip
    for url in (
        reverse("bgys:policy_compliance"),
        current.get_absolute_url() + "?tab=acknowledgements",
        reverse("bgys:policyversion_csv", args=[current.pk]),
    ):
        assert manager.get(url).status_code == 200, url
    technician = Client()
    technician.force_login(User.objects.get(username="teknisyen"))
    mine = technician.get(reverse("acknowledgements:mine")).content.decode()
    assert current.policy.title in mine
    assert technician.get(reverse("bgys:policy_read", args=[current.pk])).status_code == 200

    # Awareness training: two sessions, part of the IT department trained, the rest listed.
    from biys.bgys.models import TrainingAttendance, TrainingSession

    assert TrainingSession.objects.count() == 2 and TrainingAttendance.objects.exists()
    page = manager.get(reverse("bgys:training_compliance"))
    assert page.status_code == 200 and 'data-testid="training-untrained"' in page.content.decode()


def test_the_auditor_finds_personal_data_seen_by_a_persons_number(demo):
    """The applications manager revealed two applicants' data: the auditor's report of personal
    data seen finds each by the applicant's TC kimlik number."""
    from django.test import Client
    from django.urls import reverse

    from biys.applications.models import Application
    from biys.core.personal_data import views_of

    auditor = User.objects.get(username="denetci")
    seen = [a for a in Application.objects.exclude(tc_kimlik_no="").order_by("pk")[:2]]
    assert all(views_of(application).exists() for application in seen)
    client = Client()
    client.force_login(auditor)
    url = reverse("core:personaldataview_list")
    page = client.post(url, {"subject": seen[0].tc_kimlik_no}, follow=True).content.decode()
    assert "Cevap yazısı için adres teyidi" in page and str(seen[0]) in page
    assert str(seen[1]) not in page or seen[1].tc_kimlik_no == seen[0].tc_kimlik_no


def test_the_kvkk_contact_can_do_their_whole_job(demo):
    """kvkk.sorumlusu: a filled inventory across units exported for VERBİS, an open request
    a few days from its deadline, the applicant's identity shown (and logged); unit staff read
    their own unit's activities only."""
    from django.test import Client
    from django.urls import reverse

    from biys.core.models import PersonalDataView
    from biys.kvkk import selectors
    from biys.kvkk.models import ProcessingActivity

    contact = User.objects.get(username="kvkk.sorumlusu")
    assert selectors.activities_for(contact).count() == ProcessingActivity.objects.count() >= 4
    assert ProcessingActivity.objects.filter(data_categories__special=True).exists()
    assert ProcessingActivity.objects.filter(transfer_abroad=True).exists()
    open_requests = [r for r in selectors.requests_for(contact) if r.is_open]
    near = min(open_requests, key=lambda r: r.due_date)
    assert 0 <= selectors.days_left(near) <= 7
    client = Client()
    client.force_login(contact)
    for url in (
        reverse("kvkk:processingactivity_list"),
        reverse("kvkk:subjectrequest_list"),
        near.get_absolute_url(),
        reverse("kvkk:listitem_list"),
    ):
        assert client.get(url).status_code == 200, url
    export = client.get(reverse("kvkk:verbis_export") + "?export=csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Sağlık Bilgileri" in text and "İrlanda" in text
    reveal = client.post(reverse("kvkk:request_reveal", args=[near.pk]))
    assert near.tc_kimlik_no in reveal.content.decode()
    assert PersonalDataView.objects.filter(user=contact, object_id=str(near.pk)).exists()
    from biys.secops.selectors import board_clock, breaches_for

    breach = breaches_for(contact).get()
    clock = board_clock(breach.incident)
    assert clock.rule.hours == 72 and not clock.done and not clock.is_late()
    assert client.get(breach.get_absolute_url()).status_code == 200
    assert client.get(breach.incident.get_absolute_url()).status_code == 404
    technician = User.objects.filter(role_assignments__role__slug="technician").first()
    if technician is not None:
        seen = selectors.activities_for(technician)
        assert seen.count() < ProcessingActivity.objects.count()
        assert not selectors.requests_for(technician).exists()


def test_the_inventory_officer_sees_the_network_and_its_faults(demo):
    """The network demo: devices of the register's assets and two PDKS devices not on it, subnets
    with their utilisation in their VLANs, an address in no subnet, a VRF reusing the old
    network's range, and fault figures per device model."""
    from django.test import Client
    from django.urls import reverse

    from biys.inventory.models import IPAssignment, NetworkDevice
    from biys.inventory.network_selectors import fault_statistics

    officer = User.objects.get(username="tasinir.yetkilisi")
    kinds = set(NetworkDevice.objects.values_list("kind", flat=True))
    assert {"switch", "firewall", "camera", "attendance", "router"} <= kinds
    assert IPAssignment.objects.filter(subnet__isnull=True).exists()
    # 192.168.1.20 twice: the old NVR in the global table, the nursery's PC in its VRF
    twice = IPAssignment.objects.filter(address="192.168.1.20")
    assert sorted(str(row.vrf or "") for row in twice) == ["", "Sosyal Tesisler"]
    assert twice.get(vrf__isnull=False).subnet.prefix == "192.168.1.0/24"
    from biys.inventory.models import VLAN, AddressHolding

    cameras = VLAN.objects.filter(vid=30, subnets__prefix="10.10.30.0/24")
    assert cameras.filter(ports__isnull=False).exists()
    from biys.inventory.models import VLANGroup

    groups = VLANGroup.objects.order_by("sort_name")
    assert [group.name for group in groups] == ["Hizmet Binası", "Kültür Merkezi"]
    for group in groups:
        assert group.location is not None and group.location.building == group.name
        # the whole building is the group's site (no floor, no room)
        assert (group.location.floor, group.location.room) == ("", "")
        vids = list(group.vlans.values_list("vid", flat=True))
        assert len(vids) >= 2 and all(group.min_vid <= vid <= group.max_vid for vid in vids)
    assert cameras.get().group == groups[0]
    from biys.inventory.models import DevicePort

    trunks = DevicePort.objects.filter(mode="tagged", tagged_vlans__vid=30).distinct()
    assert trunks.exists()
    for trunk in trunks:
        assert trunk.vlan.vid == 99
        assert sorted(trunk.tagged_vlans.values_list("vid", flat=True)) == [10, 20, 30, 40]
    assert not DevicePort.objects.filter(mode="access", tagged_vlans__isnull=False).exists()
    from biys.inventory.network_selectors import vlans_for_device

    # every port's VLANs are the ones its device may carry (of its unit and above, at its site)
    for port in DevicePort.objects.select_related("device").prefetch_related("tagged_vlans"):
        carried = set(vlans_for_device(port.device).values_list("pk", flat=True))
        assert {port.vlan_id, *(vlan.pk for vlan in port.tagged_vlans.all())} - {None} <= carried
    passed = AddressHolding.objects.filter(address="10.10.20.11", vrf__isnull=True)
    assert passed.count() == 2 and passed.filter(ended_at__isnull=True).count() == 1
    assert any(row.faults for row in fault_statistics(officer))
    client = Client()
    client.force_login(officer)
    for name in (
        "networkdevice_list",
        "subnet_list",
        "ipassignment_list",
        "vrf_list",
        "vlan_list",
        "vlangroup_list",
        "network_faults",
    ):
        assert client.get(reverse(f"inventory:{name}")).status_code == 200


def test_the_document_writer_has_drafts_in_the_demo(demo, settings, tmp_path):
    """Giden evrak in the demo: yazi.hazirlayan's drafted replies, with their distribution and
    ilgi lines, open on their pages."""
    from django.test import Client
    from django.urls import reverse

    from biys.evrak.models import OutgoingDocument, Routing

    writer = User.objects.get(username="yazi.hazirlayan")
    drafts = (
        OutgoingDocument.objects.restrict(writer).filter(created_by=writer).exclude(state="signed")
    )
    assert drafts.count() == 2
    # the third reply is signed and closes the routing teknisyen answered
    (answered,) = Routing.objects.filter(state="closed")
    assert answered.reply.state == "signed" and answered.reply.number.startswith("E-")
    assert answered.reply.references.filter(incoming=answered.document).exists()
    draft = drafts.first()
    assert draft.distribution.filter(kind="GRG").exists() and draft.references.exists()
    client = Client()
    client.force_login(writer)
    assert client.get(draft.get_absolute_url()).status_code == 200
    from biys.evrak import outgoing_services

    head = User.objects.get(username="daire.baskani")
    waiting = drafts.get(state="approval")
    assert outgoing_services.approval_actions(head, waiting) == {"sign", "return"}
    # daire.baskani's job in the README: sign it, then download its e-Yazışma package
    settings.MEDIA_ROOT = tmp_path
    signed = outgoing_services.sign(user=head, document=waiting)
    assert signed.number.startswith("E-")
    client.force_login(head)
    package = client.get(reverse("evrak:outgoing_eyp", args=[signed.pk]))
    assert package.status_code == 200 and package["Content-Type"] == "application/eyazisma"


def test_the_bgys_manager_follows_third_parties_confidentiality(demo):
    """Three suppliers with their agreements: one in force, one ending soon (in the bell), one
    ended; the lists filter them by state."""
    from django.test import Client
    from django.urls import reverse

    from biys.bgys.models import ConfidentialityAgreement, ThirdParty
    from biys.notifications.models import Notification

    manager = User.objects.get(username="bgys.yoneticisi")
    assert ThirdParty.objects.count() == 3
    states = sorted(agreement.state for agreement in ConfidentialityAgreement.objects.all())
    assert states == ["expired", "expiring", "valid"]
    assert Notification.objects.filter(recipient=manager, title__contains="Kuzey Ağ").exists()
    client = Client()
    client.force_login(manager)
    page = client.get(reverse("bgys:confidentialityagreement_list"), {"state": "expiring"})
    assert page.status_code == 200 and "Aylin Kaya" in page.content.decode()
    assert "Mert Öz" not in page.content.decode()
    page = client.get(reverse("bgys:thirdparty_list"))
    assert page.status_code == 200 and "Ege Kamera Sistemleri" in page.content.decode()


def test_the_department_head_finds_files_due_at_the_archive_year_end(demo):
    """Two older documents of the evrak demo are in files due this year: one for transfer to
    the institutional archive, one for destruction; daire.baskani sees both on the page."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from biys.evrak import selectors

    head = User.objects.get(username="daire.baskani")
    year = timezone.localdate().year
    assert selectors.due_files(user=head, year=year, kind="transfer").exists()
    assert selectors.due_files(user=head, year=year, kind="destroy").exists()
    client = Client()
    client.force_login(head)
    page = client.get(reverse("evrak:year_end"))
    assert page.status_code == 200 and page.content.decode().count("data-file=") >= 2
