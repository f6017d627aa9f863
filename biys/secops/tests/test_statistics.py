"""The year's incident statistics for the activity report: counted per month by
classification, severity and source from what the reader may see, the notification clocks,
the findings; a CSV for Turkish Excel; the same queries whatever the year holds."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from biys.secops import selectors, services
from biys.secops.choices import Classification, Severity
from biys.secops.models import NotificationRule
from biys.secops.tests.factories import make_finding, make_incident

pytestmark = pytest.mark.django_db


def at(year, month, day=10, hour=10):
    return timezone.make_aware(datetime(year, month, day, hour))


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def year_of_incidents(member, org_tree):
    year = timezone.localdate().year - 1
    rule = NotificationRule.objects.filter(applies_when="always").order_by("hours").first()
    first = make_incident(org_tree["dept"], detected_at=at(year, 3),
                          classification=Classification.PHISHING, severity=Severity.HIGH,
                          personal_data=True)  # fmt: skip
    services.record_notification(user=member, incident=first, rule=rule,
                                 sent_at=first.detected_at + timedelta(hours=2), content="x")  # fmt: skip
    second = make_incident(org_tree["dept"], detected_at=at(year, 3, 20),
                           classification=Classification.PHISHING, severity=Severity.CRITICAL,
                           contained_at=at(year, 3, 20, 16), closed_at=at(year, 3, 22),
                           state="closed")  # fmt: skip
    make_incident(org_tree["dept"], detected_at=at(year, 11), classification=Classification.DOS)
    make_incident(org_tree["roads"], detected_at=at(year, 5))  # not the member's
    make_incident(org_tree["dept"], detected_at=at(year - 1, 12))  # another year
    make_finding(org_tree["network"], first_seen=at(year, 2), severity=Severity.CRITICAL)
    make_finding(org_tree["network"], first_seen=at(year, 4), severity=Severity.LOW,
                 state="fixed", fixed_at=at(year, 6))  # fmt: skip
    return year, rule, second


def test_the_year_is_counted_from_what_the_reader_sees(member, year_of_incidents):
    year, rule, _second = year_of_incidents
    stats = selectors.year_statistics(member, year)
    assert stats.incidents == 3 and stats.month_totals[2] == 2 and stats.month_totals[10] == 1
    phishing = next(r for r in stats.rows if r.group == "classification" and r.total == 2)
    assert phishing.months[2] == 2
    assert stats.personal_data == 1 and stats.closed == 1
    assert stats.hours_to_contain == 6.0 and stats.hours_to_close == 48.0
    usom = next(clock for clock in stats.clocks if clock.name == rule.name)
    assert (usom.due, usom.on_time, usom.not_sent) == (3, 1, 2)
    assert usom.late == 2  # the two never sent, long past their deadline
    assert stats.findings_new[Severity.CRITICAL] == 1 and stats.findings_fixed == 1
    assert stats.findings_open_at_end == 1


def test_the_page_and_its_csv_for_turkish_excel(member, year_of_incidents, make_user, org_tree):
    year, _rule, _second = year_of_incidents
    client = page_client(member)
    url = reverse("secops:incident_statistics")
    page = client.get(url, {"year": year}).content.decode()
    assert 'data-stat="incidents">3<' in page and 'data-stat="closed">1<' in page
    response = client.get(url, {"year": year, "export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff") and response["Content-Type"].startswith("text/csv")
    lines = content.lstrip("\ufeff").splitlines()
    header = lines[0].split(";")
    assert len(header) == 15 and header[2] == "Oca" and header[-1] == "Toplam"
    assert any(line.startswith("Sınıflandırma;Oltalama;0;0;2;") for line in lines)
    assert any(line.startswith("Ortalama kontrol altına alma süresi (saat);6,0") for line in lines)
    assert f"siber-olay-istatistikleri-{year}.csv" in response["Content-Disposition"]
    technician = page_client(make_user("technician", org_tree["dept"]))
    assert technician.get(url).status_code == 403
    assert page_client(make_user("auditor", org_tree["dept"])).get(url).status_code == 200


def test_the_page_reads_in_the_same_queries_whatever_the_year_holds(member, org_tree):
    year = timezone.localdate().year
    client = page_client(member)
    url = reverse("secops:incident_statistics")

    def count(**params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"year": year, **params})
            if params:
                b"".join(response.streaming_content)
        return len(queries)

    make_incident(org_tree["dept"])
    count()
    few, few_csv = count(), count(export="csv")
    for n in range(6):
        incident = make_incident(org_tree["dept"], severity=n % 5)
        services.add_event(user=member, incident=incident, text="x")
    assert (count(), count(export="csv")) == (few, few_csv)
