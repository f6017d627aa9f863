"""Turkish capitalisation everywhere a verbose name becomes a heading: 'ilk yanıt' is written
'İlk yanıt', never 'Ilk yanıt' (Python's str.upper and Django's capfirst)."""

import re
from pathlib import Path

import django_tables2 as tables
import pytest
from django import forms
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from biys.servicedesk.models import Ticket

BIYS = Path(__file__).resolve().parents[2]


def test_template_filters():
    template = Template("{% load biys %}{{ text|tr_capfirst }} {{ text|tr_upper }}")
    with translation.override("tr"):
        assert template.render(Context({"text": "ilk yanıt"})) == "İlk yanıt İLK YANIT"
    with translation.override("en"):
        assert template.render(Context({"text": "item"})) == "Item ITEM"


def test_form_labels_and_table_headers_from_verbose_names():
    class TicketForm(forms.ModelForm):
        class Meta:
            model = Ticket
            fields = ["first_response_due", "contact_phone"]

    class TicketTable(tables.Table):
        class Meta:
            model = Ticket
            fields = ["first_response_due"]

    with translation.override("tr"):
        form = TicketForm()
        assert str(form.fields["first_response_due"].label) == "İlk yanıt son zamanı"
        assert str(form.fields["contact_phone"].label) == "İletişim telefonu"
        table = TicketTable([])
        assert str(table.columns["first_response_due"].header) == "İlk yanıt son zamanı"


@pytest.mark.django_db
def test_list_page_title(make_user, org_tree):
    client = Client()
    client.force_login(make_user(superuser=True))
    with translation.override("tr"):
        html = client.get(
            reverse("calendar:declaredday_list"), HTTP_ACCEPT_LANGUAGE="tr"
        ).content.decode()
    assert "İlan edilen günler" in html
    assert "Ilan edilen" not in html


def test_add_page_title_starts_with_a_capital(make_user, org_tree):
    """Turkish puts the model first ("%(model)s ekle"): the heading is "İlan edilen gün ekle",
    not "ilan edilen gün ekle" nor "Ilan"."""
    client = Client()
    client.force_login(make_user(superuser=True))
    with translation.override("tr"):
        html = client.get(
            reverse("calendar:declaredday_add"), HTTP_ACCEPT_LANGUAGE="tr"
        ).content.decode()
    heading = re.search(r'<h1 class="page-title">\s*(.*?)\s*</h1>', html, re.S).group(1)
    assert heading.startswith("İlan edilen gün"), heading


def test_no_template_capitalises_with_the_english_rules():
    offenders = []
    for path in BIYS.rglob("templates/**/*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\|(capfirst|title|upper|capitalize)\b", line):
                offenders.append(f"{path.relative_to(BIYS)}:{number}")
    assert not offenders, "use |tr_capfirst or |tr_upper:\n" + "\n".join(offenders)
