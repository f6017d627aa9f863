"""A source names the network device that writes its logs, from the network inventory through
``biys.core.assets`` (the module never imports the inventory): offered from the user's units,
refused outside them on the page and in the API, shown on the source's page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from biys.core import assets
from biys.inventory.tests.factories import make_network_device
from biys.logs5651.forms import LogSourceForm
from biys.logs5651.models import LogSource

pytestmark = pytest.mark.django_db


def pgettext_free(message: str) -> str:
    """``message`` in the installation's language (the page's)."""
    with translation.override("tr"):
        return translation.gettext(message)


@pytest.fixture
def devices(org_tree):
    return {
        "ours": make_network_device(org_tree["network"], name="merkez-fw", kind="firewall"),
        "theirs": make_network_device(org_tree["roads"], name="fen-dhcp", kind="router"),
    }


def _form_data(unit, **extra):
    return {
        "unit": unit.pk,
        "name": "merkez-dhcp",
        "kind": "dhcp",
        "parser": "isc_dhcpd_syslog",
        "active": "on",
        **extra,
    }


def test_the_seam_lists_and_finds_devices(devices, org_tree):
    ours = devices["ours"]
    found = assets.find_network_device(ours.pk)
    assert (found.name, found.unit_id, found.url) == (
        "merkez-fw",
        org_tree["network"].pk,
        reverse("inventory:networkdevice", kwargs={"pk": ours.pk}),
    )
    listed = assets.network_devices(unit_ids=[org_tree["network"].pk])
    assert [device.pk for device in listed] == [ours.pk]
    assert assets.network_devices(unit_ids=[]) == []
    assert {device.pk for device in assets.network_devices()} == {ours.pk, devices["theirs"].pk}
    assert assets.find_network_device(devices["theirs"].pk + 1000) is None


def test_the_form_offers_the_devices_of_the_users_units(devices, org_tree, make_user):
    officer = make_user("log_officer", org_tree["network"])
    choices = dict(LogSourceForm(user=officer).fields["network_device"].choices)
    assert devices["ours"].pk in choices and devices["theirs"].pk not in choices
    assert "merkez-fw" in choices[devices["ours"].pk]
    # A superuser keeps sources everywhere: every device.
    admin = make_user(superuser=True)
    choices = dict(LogSourceForm(user=admin).fields["network_device"].choices)
    assert {devices["ours"].pk, devices["theirs"].pk} <= set(choices)


def test_the_page_saves_a_device_of_the_users_units_and_refuses_another(
    devices, org_tree, make_user
):
    officer = make_user("log_officer", org_tree["network"])
    client = Client()
    client.force_login(officer)
    url = reverse("logs5651:logsource_add")
    refused = client.post(url, _form_data(org_tree["network"], network_device=devices["theirs"].pk))
    assert refused.status_code == 200 and not LogSource.objects.exists()
    assert refused.context["form"].errors["network_device"]
    saved = client.post(url, _form_data(org_tree["network"], network_device=devices["ours"].pk))
    assert saved.status_code == 302
    source = LogSource.objects.get()
    assert source.network_device == devices["ours"].pk

    # The source's page names the device; its page is linked for whoever may open it (the log
    # officer holds no inventory role: the name only).
    page = client.get(reverse("logs5651:logsource", kwargs={"pk": source.pk}))
    device_url = reverse("inventory:networkdevice", kwargs={"pk": devices["ours"].pk})
    assert "merkez-fw" in page.content.decode() and device_url not in page.content.decode()
    admin = make_user(superuser=True)
    client.force_login(admin)
    page = client.get(reverse("logs5651:logsource", kwargs={"pk": source.pk}))
    assert f'href="{device_url}"' in page.content.decode()

    # Left unchanged on edit, a device outside the editor's units stays (an administrator set
    # it); a device removed from the inventory is said to be gone.
    LogSource.objects.filter(pk=source.pk).update(network_device=devices["theirs"].pk)
    client.force_login(officer)
    edit = reverse("logs5651:logsource_edit", kwargs={"pk": source.pk})
    kept = client.post(edit, _form_data(org_tree["network"], network_device=devices["theirs"].pk))
    assert kept.status_code == 302
    LogSource.objects.filter(pk=source.pk).update(network_device=devices["theirs"].pk + 1000)
    page = client.get(reverse("logs5651:logsource", kwargs={"pk": source.pk}))
    gone = pgettext_free("Device no. %(number)s is no longer in the network inventory.")
    assert gone % {"number": devices["theirs"].pk + 1000} in page.content.decode()


def test_the_api_field(devices, org_tree, make_user):
    officer = make_user("log_officer", org_tree["network"])
    api = APIClient()
    api.force_authenticate(officer)
    url = reverse("logsource-list")
    body = {"unit": org_tree["network"].pk, "name": "fw", "kind": "nat", "parser": "fortigate"}
    refused = api.post(url, {**body, "network_device": devices["theirs"].pk}, format="json")
    assert refused.status_code == 400 and "network_device" in refused.json()["errors"]
    missing = api.post(url, {**body, "network_device": devices["ours"].pk + 1000}, format="json")
    assert missing.status_code == 400
    created = api.post(url, {**body, "network_device": devices["ours"].pk}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["network_device"] == devices["ours"].pk
    detail = reverse("logsource-detail", kwargs={"pk": created.json()["id"]})
    cleared = api.patch(detail, {"network_device": None}, format="json")
    assert cleared.status_code == 200 and cleared.json()["network_device"] is None


def test_without_the_inventory_the_form_has_no_device_field(org_tree, make_user, monkeypatch):
    monkeypatch.setattr(assets, "_device_lister", None)
    officer = make_user("log_officer", org_tree["network"])
    assert "network_device" not in LogSourceForm(user=officer).fields
    source = LogSource.objects.create(
        unit=org_tree["network"], name="x", kind="dhcp", parser="isc_dhcpd_syslog",
        network_device=7,
    )  # fmt: skip
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("logs5651:logsource", kwargs={"pk": source.pk}))
    assert page.status_code == 200
