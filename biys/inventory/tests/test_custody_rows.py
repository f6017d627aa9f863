"""A person's custody page and a custody history write their rows in Python
(``biys.inventory.templatetags.inventory_rows``): the page holds exactly the markup the
templates' loops gave, in both languages, escaped alike."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from biys.inventory.models import Asset, Custody
from biys.inventory.tests.factories import make_asset, make_item_model
from biys.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# The loops of inventory/person_custody.html and inventory/partials/custody_history.html as
# they were before the rows were written in Python.
HOLDING_LOOP = Template(
    '<tbody>{% for asset in holding %}<tr><td><a href="{{ asset.get_absolute_url }}">'
    "{{ asset.inventory_number }}</a></td><td>{{ asset.item_model }}</td><td>"
    '{{ asset.serial_number|default:"—" }}</td><td>{{ asset.get_status_display }}</td><td>'
    "{{ asset.unit }}</td></tr>{% endfor %}</tbody>"
)
HISTORY_LOOP = Template(
    """{% load i18n %}<tbody>
  {% for custody in custodies %}
    <tr>
      <td><a href="{{ custody.get_absolute_url }}">{{ custody.number }}</a> <a href="{% url 'inventory:zimmet_fisi' custody.pk %}" title="{% translate 'Custody form (PDF)' %}"><i class="ti ti-file-type-pdf" aria-hidden="true"></i><span class="visually-hidden">PDF</span></a></td>
      <td><a href="{{ custody.asset.get_absolute_url }}">{{ custody.asset.inventory_number }}</a> <span class="text-secondary">{{ custody.asset.item_model }}</span></td>
      <td><a href="{% url 'inventory:person_custody' custody.person_id %}">{{ custody.person }}</a></td>
      <td>{{ custody.started_at|date:"SHORT_DATETIME_FORMAT" }}</td>
      <td>{{ custody.acknowledged_at|date:"SHORT_DATETIME_FORMAT"|default:"—" }}</td>
      <td>{{ custody.ended_at|date:"SHORT_DATETIME_FORMAT"|default:"—" }}</td>
      <td>{{ custody.get_end_reason_display|default:"—" }}</td>
    </tr>
  {% endfor %}
  </tbody>"""
)


@pytest.fixture
def held(inv):
    odd = make_item_model(inv.unit, brand="A&B <Ltd>", name='Model "7"')
    person = PersonFactory(unit=inv.unit, first_name="Şule <b>", last_name="O'Neil & Co")
    now = timezone.now().replace(microsecond=0)
    assets = [
        make_asset(inv.unit, item_model=odd, serial_number="<SN&1>"),
        make_asset(inv.unit, item_model=inv.model),
        make_asset(inv.unit, item_model=inv.model),
    ]
    Asset.objects.filter(pk=assets[0].pk).update(custodian=person, status="in_custody")
    Asset.objects.filter(pk=assets[1].pk).update(
        custodian=person, status="faulty", serial_number="", inventory_number="X<1>&"
    )
    records = [
        dict(asset=assets[0], started_at=now - timedelta(days=3), acknowledged_at=now),
        dict(asset=assets[1], started_at=now - timedelta(days=400, hours=5)),
        dict(
            asset=assets[2],
            started_at=now - timedelta(days=900),
            acknowledged_at=now - timedelta(days=899),
            ended_at=now - timedelta(days=500),
            end_reason="returned",
        ),
        dict(
            asset=assets[0],
            started_at=now - timedelta(days=1200),
            ended_at=now - timedelta(days=1000),
            end_reason="transferred",
            number="ZF<&>-9",
        ),
    ]
    for number, fields in enumerate(records):
        fields.setdefault("number", f"ZF-T-{number}")
        Custody.objects.create(person=person, unit=inv.unit, **fields)
    return person


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_custody_page_holds_the_rows_the_templates_gave(inv, held, language):
    client = Client()
    client.force_login(inv.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("inventory:person_custody", args=[held.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    holding, history = page.context["holding"], page.context["history"]
    assert len(holding) == 2 and len(history) == 4
    with translation.override(language):
        expected_holding = HOLDING_LOOP.render(Context({"holding": holding}))
        expected_history = HISTORY_LOOP.render(Context({"custodies": history}))
    assert expected_holding in html
    assert expected_history in html
    assert "X&lt;1&gt;&amp;" in html and "&lt;SN&amp;1&gt;" in html and "ZF&lt;&amp;&gt;-9" in html
    assert "Şule &lt;b&gt; O&#x27;Neil &amp; Co" in html


def test_an_asset_page_holds_the_history_rows_the_template_gave(inv, held):
    asset = Asset.objects.get(serial_number="<SN&1>")
    client = Client()
    client.force_login(inv.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tr"
    page = client.get(asset.get_absolute_url(), {"tab": "custody"})
    assert page.status_code == 200
    with translation.override("tr"):
        expected = HISTORY_LOOP.render(Context({"custodies": page.context["custodies"]}))
    assert expected.count("<tr>") == 2
    assert expected in page.content.decode()
