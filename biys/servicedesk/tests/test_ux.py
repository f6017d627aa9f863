"""What a new user tripped over (issue 8), checked without a browser: the statistics period,
the catalogue's Turkish order."""

import pytest
from django.urls import reverse

from biys.servicedesk.models import CatalogItem


@pytest.fixture
def chief(make_user, org_tree):
    return make_user("chief", org_tree["helpdesk"])


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-03-31", "2026-03-01", "Bitiş tarihi başlangıç tarihinden önce"),
        ("1900-01-01", "2100-12-31", "En fazla 5 yıllık bir dönem seçin."),
    ],
)
def test_statistics_period_is_validated_not_swapped(client, chief, first, last, message):
    client.force_login(chief)
    url = reverse("servicedesk:stats")
    query = {"period": "custom", "first": first, "last": last}
    response = client.get(url, query)
    assert response.status_code == 200
    assert message in response.context["form"].errors["last"][0]
    # the figures are of the default period (this month), not of the swapped or huge one
    assert response.context["statistics"].period.days <= 31
    # no export of a period the page refused
    response = client.get(url, {**query, "export": "xlsx"})
    assert response["Content-Type"].startswith("text/html")


def test_five_years_is_allowed(client, chief):
    client.force_login(chief)
    response = client.get(
        reverse("servicedesk:stats"),
        {"period": "custom", "first": "2021-01-01", "last": "2025-12-31"},
    )
    assert not response.context["form"].errors
    assert response.context["statistics"].period.days == 1826


def test_catalogue_sorts_by_turkish_rules(client, org_tree, make_user):
    for name in ("Yazıcı arızası", "İnternet erişimi", "Işıklı pano", "Çağrı kaydı", "Ağ arızası"):
        CatalogItem.objects.create(name=name, kind="fault", unit=org_tree["helpdesk"])
    expected = ["Ağ arızası", "Çağrı kaydı", "Işıklı pano", "İnternet erişimi", "Yazıcı arızası"]
    assert [item.name for item in CatalogItem.objects.all()] == expected
    client.force_login(make_user("requester", org_tree["roads"]))
    response = client.get(reverse("servicedesk:catalogitem_list"))
    assert [row.record.name for row in response.context["table"].rows] == expected
    response = client.get(reverse("servicedesk:ticket_new"))
    browsed = [item.name for group in response.context["catalogue"] for item in group["items"]]
    assert browsed == expected
