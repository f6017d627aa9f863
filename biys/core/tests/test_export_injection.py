"""CSV and Excel exports neutralise every cell a spreadsheet could read as a formula (OWASP)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from biys.org.models import Person

pytestmark = pytest.mark.django_db

# Each first name starts with one of the OWASP trigger characters.
DANGEROUS = ["=1+1", "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\tTAB", "\rCR"]


@pytest.fixture
def dangerous_people(org_tree):
    for index, first_name in enumerate(DANGEROUS):
        Person.objects.create(
            first_name=first_name,
            last_name=f"Z{index}",
            employment_type="memur",
            unit=org_tree["roads"],
        )


def test_csv_export_prefixes_every_formula_trigger(client, admin_user, dangerous_people):
    client.force_login(admin_user)
    response = client.get(reverse("org:person_list"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    for first_name in DANGEROUS:
        assert f"'{first_name}" in content, first_name


def test_xlsx_export_prefixes_every_formula_trigger(client, admin_user, dangerous_people):
    client.force_login(admin_user)
    response = client.get(reverse("org:person_list"), {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    texts = [cell for cell in cells if isinstance(cell, str)]
    for first_name in DANGEROUS:
        visible = first_name.strip()  # the spreadsheet writer may encode a leading \r
        assert any(text.startswith("'") and visible in text for text in texts), first_name
    assert not any(text.startswith(("=", "+", "-", "@", "\t", "\r")) for text in texts)
