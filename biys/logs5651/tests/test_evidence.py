"""The evidence package of a logged search: records, the original files, manifests, tokens
that verify with openssl, and a PDF report."""

import io
import subprocess
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from biys.logs5651.models import SearchRequest
from biys.logs5651.services import ingest_file, seal_day
from biys.logs5651.tests.conftest import DAY
from biys.logs5651.tests.factories import ISC_SYSLOG

pytestmark = pytest.mark.django_db


def test_evidence_package(source, tsa, org_tree, make_user, tmp_path):
    ingest_file(source=source, path_or_bytes=ISC_SYSLOG, day=DAY, name="dhcpd.log")
    seal_day(unit=source.unit, day=DAY)
    officer = make_user("log_officer", org_tree["network"])
    client = Client()
    client.force_login(officer)
    page = client.post(
        reverse("logs5651:who"),
        {"ip": "10.0.0.20", "at": "2026-11-27T14:00", "request_number": "2026/77 Hazırlık"},
    )
    search = SearchRequest.objects.get()
    url = reverse("logs5651:evidence", args=[search.pk])
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    root = names[0].split("/")[0]
    assert f"{root}/files/2026-11-27/merkez-dhcp/dhcpd.log.gz" in names
    assert "bb:bb:bb:bb:bb:02" in archive.read(f"{root}/records.csv").decode()
    archive.extractall(tmp_path)
    seal_dir = next((tmp_path / root / "seals").iterdir())
    checked = subprocess.run(
        ["openssl", "ts", "-verify", "-data", str(seal_dir / "manifest.json"),
         "-in", str(seal_dir / "token.tsr"), "-CAfile", str(tmp_path / root / "tsa-ca.pem")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    report = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(archive.read(f"{root}/report.pdf"))).pages
    )
    assert "2026/77 Hazırlık" in report and "bb:bb:bb:bb:bb:02" in report

    # Someone else's search is not theirs to export; the API serves the same package.
    other = make_user("log_officer", org_tree["helpdesk"])
    client.force_login(other)
    assert client.get(url).status_code == 404
    api = APIClient()
    api.force_authenticate(officer)
    answer = api.get(reverse("searchrequest-evidence", args=[search.pk]))
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
