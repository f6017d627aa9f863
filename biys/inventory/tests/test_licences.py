"""Software and licences: titles matched by their normalised publisher and name (Turkish letters
folded), licences kept off the taşınır register, installations by hand and by an agent's report
(idempotent, complete or partial), compliance per title and the expiry notices."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from biys.core.models import ObjectChange
from biys.inventory import licence_selectors, licence_services, services
from biys.inventory.licence_selectors import Compliance
from biys.inventory.models import (
    Asset,
    Installation,
    Licence,
    LicenceExpiryAlert,
    Slip,
    SoftwareStatus,
    SoftwareTitle,
)
from biys.inventory.software import match_key
from biys.inventory.tests.factories import make_asset, make_licence, make_title
from biys.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Microsoft Corporation", "Microsoft Office"), ("MICROSOFT", "microsoft office")),
        (("Mozilla", "Mozilla Firefox (x64 tr)"), ("Mozilla", "Mozilla Firefox 120.0.1")),
        (("Igor Pavlov", "7-Zip 23.01 (x64)"), ("Igor Pavlov", "7-Zip")),
        (("İLKSOFT BİLİŞİM A.Ş.", "NETCAD GIS 8.5"), ("Ilksoft Bilişim Ltd. Şti.", "Netcad GIS")),
        (("Adobe Inc.", "Acrobat Reader®"), ("Adobe", "Acrobat Reader")),
        (("ISTANBUL YAZILIM", "Işık Muhasebe"), ("İstanbul Yazılım", "IŞIK MUHASEBE")),
    ],
)
def test_spellings_of_one_product_share_a_key(first, second):
    assert match_key(*first) == match_key(*second)


def test_different_products_keep_their_keys():
    assert match_key("Microsoft", "Office 2019") != match_key("Microsoft", "Office 2021")
    assert match_key("Microsoft", "Visio") != match_key("Microsoft", "Project")


def test_a_second_spelling_of_a_title_is_refused(inv):
    make_title(inv.unit, publisher="Microsoft Corporation", name="Microsoft Visio")
    with pytest.raises(ValidationError) as refused:
        make_title(inv.unit, publisher="MICROSOFT", name="microsoft visio")
    assert "name" in refused.value.message_dict


def test_a_licence_never_touches_the_register(inv):
    assets, slips = Asset.objects.count(), Slip.objects.count()
    licence = make_licence(inv.unit, seats=25, cost=Decimal("180000.00"))
    assert Asset.objects.count() == assets and Slip.objects.count() == slips
    assert not hasattr(licence, "tasinir_code") and not hasattr(licence, "inventory_number")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "subscription", "expires_on": None}, "expires_on"),
        ({"starts_on": date(2026, 5, 1), "expires_on": date(2026, 4, 30)}, "expires_on"),
        ({"seats": 0}, "seats"),
        ({"cost": Decimal("-1")}, "cost"),
    ],
)
def test_a_bad_licence_is_refused_at_its_field(inv, values, field):
    with pytest.raises(ValidationError) as refused:
        make_licence(inv.unit, **values)
    assert field in refused.value.message_dict
    assert not Licence.objects.exists()


def test_a_perpetual_licence_needs_no_expiry(inv):
    licence = make_licence(inv.unit, kind="perpetual", expires_on=None)
    assert licence.in_effect(date(2099, 1, 1))


def test_the_officer_of_another_unit_may_not_record(inv, make_user):
    outsider = make_user("inventory_officer", inv.other_unit)
    asset = make_asset(inv.unit, item_model=inv.model)
    title = make_title(inv.unit)
    with pytest.raises(PermissionDenied):
        licence_services.record_installation(asset=asset, title=title, user=outsider)
    with pytest.raises(PermissionDenied):
        licence_services.report_installed_software(
            asset=asset, software=[{"name": "X"}], user=outsider
        )
    assert not Installation.objects.exists()


def test_recording_twice_is_one_installation_and_removal_keeps_the_row(inv):
    asset = make_asset(inv.unit, item_model=inv.model)
    title = make_title(inv.unit, name="LibreOffice")
    first = licence_services.record_installation(
        asset=asset, title=title, version="7.5", user=inv.officer
    )
    again = licence_services.record_installation(
        asset=asset, title=title, version="7.6", user=inv.officer
    )
    assert again.pk == first.pk and again.version == "7.6"
    removed = licence_services.remove_installation(installation=again, user=inv.officer)
    assert removed.removed_at is not None
    with pytest.raises(ValidationError):
        licence_services.remove_installation(installation=removed, user=inv.officer)
    back = licence_services.record_installation(asset=asset, title=title, user=inv.officer)
    assert back.pk == first.pk and back.is_current
    assert Installation.objects.count() == 1


def test_no_software_on_a_scrapped_asset(inv):
    asset = make_asset(inv.unit, item_model=inv.model)
    services.set_status(asset=asset, status="scrapped", notes="Hurda")
    with pytest.raises(ValidationError) as refused:
        licence_services.record_installation(asset=asset, title=make_title(inv.unit))
    assert "asset" in refused.value.message_dict


REPORT = [
    {"publisher": "Microsoft Corporation", "name": "Microsoft Office Professional Plus 2021",
     "version": "16.0.14332"},
    {"publisher": "Mozilla", "name": "Mozilla Firefox (x64 tr)", "version": "120.0.1"},
    {"publisher": "Igor Pavlov", "name": "7-Zip 23.01 (x64)", "version": "23.01"},
    {"publisher": "Igor Pavlov", "name": "7-Zip 22.01", "version": "22.01"},
    {"publisher": "BitTorrent Inc.", "name": "µTorrent"},
]  # fmt: skip


def test_an_agent_report_matches_titles_and_is_idempotent(inv):
    asset = make_asset(inv.unit, item_model=inv.model)
    office = make_title(
        inv.unit, publisher="Microsoft", name="Microsoft Office Professional Plus 2021"
    )
    report = licence_services.report_installed_software(asset=asset, software=REPORT)
    assert (report.added, report.updated, report.removed) == (4, 0, 0)
    # Firefox, 7-Zip (two spellings, one title) and µTorrent are new, not reviewed.
    assert len(report.new_titles) == 3
    assert {title.status for title in report.new_titles} == {SoftwareStatus.UNREVIEWED}
    assert Installation.objects.get(asset=asset, title=office).version == "16.0.14332"
    titles, rows = SoftwareTitle.objects.count(), Installation.objects.count()
    changes = ObjectChange.objects.count()

    again = licence_services.report_installed_software(asset=asset, software=REPORT)
    assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 4, 0)
    assert again.new_titles == []
    assert SoftwareTitle.objects.count() == titles and Installation.objects.count() == rows
    assert ObjectChange.objects.count() == changes  # seen again is no change


def test_a_complete_report_removes_what_it_no_longer_lists_a_partial_one_does_not(inv):
    asset = make_asset(inv.unit, item_model=inv.model)
    licence_services.report_installed_software(asset=asset, software=REPORT)
    partial = licence_services.report_installed_software(
        asset=asset, software=REPORT[:1], complete=False
    )
    assert partial.removed == 0
    assert Installation.objects.filter(asset=asset, removed_at__isnull=True).count() == 4
    complete = licence_services.report_installed_software(
        asset=asset,
        software=[{**REPORT[0], "version": "16.0.17000"}, REPORT[1]],
    )
    assert (complete.updated, complete.unchanged, complete.removed) == (1, 1, 2)
    current = Installation.objects.filter(asset=asset, removed_at__isnull=True)
    assert current.count() == 2
    # Reinstalled later: the old row comes back.
    back = licence_services.report_installed_software(asset=asset, software=REPORT)
    assert (back.added, back.updated, back.unchanged) == (0, 3, 1)
    assert Installation.objects.filter(asset=asset).count() == 4


def test_a_bad_report_writes_nothing(inv):
    asset = make_asset(inv.unit, item_model=inv.model)
    with pytest.raises(ValidationError) as refused:
        licence_services.report_installed_software(
            asset=asset, software=[REPORT[0], {"publisher": "X", "name": " "}]
        )
    assert "software" in refused.value.message_dict
    assert not Installation.objects.exists()
    assert not SoftwareTitle.objects.filter(publisher="Microsoft Corporation").exists()


def _title_row(user, title):
    return licence_selectors.titles_with_compliance(user).get(pk=title.pk)


def test_compliance_counts_installations_against_seats_in_effect(inv):
    title = make_title(inv.unit, name="AutoCAD", status="allowed")
    make_licence(inv.unit, title=title, seats=2)
    # An expired licence entitles nothing any more.
    make_licence(
        inv.unit,
        title=title,
        seats=50,
        starts_on=date(2020, 1, 1),
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    assets = [make_asset(inv.unit, item_model=inv.model) for _ in range(4)]
    for asset in assets[:3]:
        licence_services.record_installation(asset=asset, title=title)
    row = _title_row(inv.officer, title)
    assert (row.installed, row.entitled, row.shortfall) == (3, 2, 1)
    assert row.compliance == Compliance.OVER_DEPLOYED
    # A scrapped asset's software no longer counts; the title is back within its seats.
    services.set_status(asset=assets[0], status="scrapped", notes="Hurda")
    row = _title_row(inv.officer, title)
    assert (row.installed, row.shortfall, row.compliance) == (2, 0, Compliance.COMPLIANT)


def test_free_software_is_never_over_deployed_forbidden_always_flagged(inv):
    free = make_title(inv.unit, name="7-Zip", licence_required=False)
    forbidden = make_title(inv.unit, name="µTorrent", status="forbidden")
    unreviewed = make_title(inv.unit, name="Bilinmeyen", status="unreviewed")
    asset = make_asset(inv.unit, item_model=inv.model)
    for title in (free, forbidden, unreviewed):
        licence_services.record_installation(asset=asset, title=title)
    assert _title_row(inv.officer, free).compliance == Compliance.COMPLIANT
    assert _title_row(inv.officer, forbidden).compliance == Compliance.FORBIDDEN
    assert _title_row(inv.officer, unreviewed).compliance == Compliance.UNREVIEWED
    services.hand_over(asset=asset, person=inv.alice)
    found = list(licence_selectors.forbidden_installations(inv.officer))
    assert [row.title for row in found] == [forbidden]
    assert found[0].asset.custodian == inv.alice


def test_compliance_counts_only_what_the_reader_may_see(inv, make_user):
    title = make_title(inv.unit, name="ArcGIS Pro")
    make_licence(inv.other_unit, title=title, seats=1)
    licence_services.record_installation(
        asset=make_asset(inv.unit, item_model=inv.model), title=title
    )
    licence_services.record_installation(
        asset=make_asset(inv.other_unit, item_model=inv.model), title=title
    )
    mine = _title_row(inv.officer, title)
    assert (mine.installed, mine.entitled) == (1, 0)
    other = _title_row(make_user("inventory_officer", inv.other_unit), title)
    assert (other.installed, other.entitled) == (1, 1)
    assert not licence_selectors.may_see_compliance(make_user("requester", inv.unit))


@override_settings(BIYS_LICENCE_EXPIRY_DAYS=["30", "7"])
def test_expiry_notices_go_once_per_threshold_and_again_after_renewal(inv):
    today = date(2026, 6, 1)
    licence = make_licence(
        inv.unit, starts_on=date(2025, 6, 1), expires_on=today + timedelta(days=20)
    )
    make_licence(inv.unit, starts_on=date(2025, 6, 1), expires_on=today + timedelta(days=200))
    Notification.objects.all().delete()

    def notices():
        return Notification.objects.filter(recipient=inv.officer).count()

    assert licence_services.send_licence_expiry_alerts(today=today) == {"notified": 1}
    assert notices() == 1
    assert licence_services.send_licence_expiry_alerts(today=today) == {"notified": 0}
    # Thirteen days later it is within seven days: the next threshold, noticed once.
    later = today + timedelta(days=13)
    assert licence_services.send_licence_expiry_alerts(today=later) == {"notified": 1}
    assert licence_services.send_licence_expiry_alerts(today=later) == {"notified": 0}
    assert notices() == 2
    assert "7" in Notification.objects.filter(recipient=inv.officer).first().title
    # Renewed: a new expiry date, noticed again when its time comes.
    licence.expires_on = today + timedelta(days=380)
    licence_services.save_licence(licence=licence)
    assert licence_services.send_licence_expiry_alerts(today=today + timedelta(days=360)) == {
        "notified": 1
    }
    assert LicenceExpiryAlert.objects.filter(licence=licence).count() == 3


@override_settings(BIYS_LICENCE_EXPIRY_DAYS=["90", "30", "7"])
def test_a_licence_found_late_is_noticed_once_not_per_threshold(inv):
    today = date(2026, 6, 1)
    make_licence(inv.unit, starts_on=date(2025, 6, 1), expires_on=today + timedelta(days=3))
    Notification.objects.all().delete()
    assert licence_services.send_licence_expiry_alerts(today=today) == {"notified": 1}
    assert LicenceExpiryAlert.objects.count() == 3
    assert licence_services.send_licence_expiry_alerts(today=today) == {"notified": 0}
    assert Notification.objects.filter(recipient=inv.officer).count() == 1


def test_the_beat_task_runs_the_service(inv):
    from biys.inventory.tasks import send_licence_expiry_alerts

    make_licence(inv.unit, expires_on=timezone.localdate() + timedelta(days=5))
    assert send_licence_expiry_alerts() == {"notified": 1}
