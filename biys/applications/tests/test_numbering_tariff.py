"""The council's numbering fee tariff as a product page and API: read by all staff, added and
corrected only by whoever holds the permission over the whole municipality, one row of a kind
a day (refused at ``valid_from`` with a translated message), every change in the change log."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from biys.accounts.models import Role, RoleAssignment
from biys.applications.numarataj import services
from biys.applications.numarataj.models import NumberingTariff
from biys.applications.tests.factories import make_numbering_tariff
from biys.core.models import ObjectChange

pytestmark = pytest.mark.django_db

API = "/api/v1/applications/numbering-tariffs/"


@pytest.fixture
def keeper(make_user, org_tree):
    """The applications manager over every unit (both top units with their sub-units)."""
    user = make_user("applications_manager", org_tree["dept"])
    RoleAssignment.objects.create(
        user=user,
        role=Role.objects.get(slug="applications_manager"),
        unit=org_tree["roads"],
        include_subtree=True,
    )
    return user


@pytest.fixture
def unit_manager(make_user, org_tree):
    """The applications manager of one branch only."""
    return make_user("applications_manager", org_tree["network"])


def row(**fields):
    values = {"kind": "certificate", "valid_from": date(2026, 1, 1), "amount": Decimal("150")}
    return NumberingTariff(**(values | fields))


def test_the_keeper_adds_and_corrects_rows_one_of_a_kind_a_day(keeper):
    first = services.save_tariff(user=keeper, tariff=row(council_decision="  2025/512  sayılı "))
    assert first.council_decision == "2025/512 sayılı"
    # Another kind the same day, and the same kind another day, are rows of their own.
    services.save_tariff(user=keeper, tariff=row(kind="door_number"))
    services.save_tariff(user=keeper, tariff=row(valid_from=date(2026, 7, 1)))
    with translation.override("tr"), pytest.raises(ValidationError) as error:
        services.save_tariff(user=keeper, tariff=row(amount=Decimal("175")))
    assert list(error.value.message_dict) == ["valid_from"]
    assert "01.01.2026" in error.value.message_dict["valid_from"][0]
    assert "geçerli" in error.value.message_dict["valid_from"][0]  # Turkish
    assert NumberingTariff.objects.count() == 3
    # Correcting the row itself keeps its day.
    first.amount = Decimal("160")
    services.save_tariff(user=keeper, tariff=first)
    assert NumberingTariff.objects.get(pk=first.pk).amount == Decimal("160.00")
    changes = ObjectChange.objects.filter(
        content_type__model="numberingtariff", object_id=str(first.pk)
    )
    assert changes.count() == 2


def test_a_manager_of_one_unit_reads_but_does_not_keep_the_tariff(keeper, unit_manager):
    kept = make_numbering_tariff()
    with pytest.raises(PermissionDenied):
        services.save_tariff(user=unit_manager, tariff=row())
    kept.amount = Decimal("1")
    with pytest.raises(PermissionDenied):
        services.save_tariff(user=unit_manager, tariff=kept)
    assert NumberingTariff.objects.get(pk=kept.pk).amount == Decimal("150.00")


def test_the_pages(client, keeper, unit_manager, make_user, org_tree):
    kept = make_numbering_tariff(council_decision="Meclis kararı 2025/512")
    client.force_login(make_user("applications_responder", org_tree["roads"]))
    listing = client.get(reverse("applications:numberingtariff_list"))
    assert listing.status_code == 200 and "2025/512" in listing.content.decode()
    assert client.get(kept.get_absolute_url()).status_code == 200
    client.force_login(unit_manager)
    assert client.get(reverse("applications:numberingtariff_add")).status_code == 403
    edit_url = reverse("applications:numberingtariff_edit", args=[kept.pk])
    assert client.get(edit_url).status_code in (403, 404)

    client.force_login(keeper)
    add_url = reverse("applications:numberingtariff_add")
    body = {"kind": "door_number", "valid_from": "2026-01-01", "amount": "240",
            "council_decision": "2025/512"}  # fmt: skip
    assert client.post(add_url, body).status_code == 302
    again = client.post(add_url, {**body, "amount": "250"}, HTTP_ACCEPT_LANGUAGE="tr")
    assert "geçerli" in again.context["form"].errors["valid_from"][0]
    assert not again.context["form"].non_field_errors()
    assert NumberingTariff.objects.filter(kind="door_number").count() == 1
    response = client.post(edit_url, {"kind": "certificate", "valid_from": "2020-01-02",
                                      "amount": "155", "council_decision": "düzeltme"})  # fmt: skip
    assert response.status_code == 302, response.content
    kept.refresh_from_db()
    assert kept.amount == Decimal("155.00")


def test_the_api(client, keeper, unit_manager):
    client.force_login(unit_manager)
    body = {"kind": "certificate", "valid_from": "2026-01-01", "amount": "185.00",
            "council_decision": "2025/512"}  # fmt: skip
    assert client.post(API, body, content_type="application/json").status_code == 403
    client.force_login(keeper)
    created = client.post(API, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["amount"] == "185.00"
    twice = client.post(API, body, content_type="application/json")
    assert twice.status_code == 400
    assert twice["Content-Type"].startswith("application/problem+json")
    assert list(twice.json()["errors"]) == ["valid_from"]
    bad = client.post(API, {**body, "amount": "-1", "valid_from": "2026-02-01"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "amount" in bad.json()["errors"]
    url = f"{API}{created.json()['id']}/"
    patched = client.patch(url, {"amount": "190"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["amount"] == "190.00"
    assert client.delete(url).status_code in (403, 405)  # never deleted
    client.force_login(unit_manager)
    assert client.get(f"{API}?kind=certificate").json()["count"] == 1
    assert client.patch(url, {"amount": "1"}, content_type="application/json").status_code == 403
    assert client.get(f"{API}?valid_on=2025-12-31").json()["count"] == 0


def test_the_admin_saves_through_the_service(client, make_user, org_tree, unit_manager):
    """The Django admin keeps the tariff by the product's rules: the decision text normalised,
    the same-day row refused at its field, no deletion, and its permission over the whole
    municipality checked even for a staff member the admin lets in."""
    from django.contrib.auth.models import Permission

    add_url = reverse("admin:applications_numberingtariff_add")
    body = {"kind": "certificate", "valid_from": "2026-01-01", "amount": "150",
            "council_decision": "  2025/512   sayılı "}  # fmt: skip
    client.force_login(make_user("administrator", org_tree["dept"], superuser=True))
    assert client.post(add_url, body).status_code == 302
    kept = NumberingTariff.objects.get()
    assert kept.council_decision == "2025/512 sayılı"  # the service's normalisation
    again = client.post(add_url, {**body, "amount": "175"}, HTTP_ACCEPT_LANGUAGE="tr")
    assert again.status_code == 200
    form = again.context["adminform"].form
    assert "geçerli" in form.errors["valid_from"][0] and not form.non_field_errors()
    assert NumberingTariff.objects.count() == 1
    delete_url = reverse("admin:applications_numberingtariff_delete", args=[kept.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert NumberingTariff.objects.filter(pk=kept.pk).exists()

    unit_manager.is_staff = True
    unit_manager.save()
    unit_manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_numberingtariff", "view_numberingtariff"])
    )
    client.force_login(unit_manager)
    response = client.post(add_url, {**body, "valid_from": "2026-07-01"})
    assert response.status_code == 403
    assert NumberingTariff.objects.count() == 1
