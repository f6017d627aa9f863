"""Archive time-stamps over the kept e-Yazışma packages (``biys.evrak.archive_stamps``),
against a real RFC 3161 authority (openssl ts behind HTTP): a chain is started and renewed,
verifies against the package as kept, and says why not when the package changed, a token was
altered, a renewal came late or none came; the daily job picks what is due; a destruction
removes the chain with the package."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from biys.evrak import archive_stamps, services
from biys.evrak import outgoing_services as svc
from biys.evrak.models import ArchiveTimestamp, IncomingPackage, OutgoingDocument, SdpCode
from biys.logs5651.tests.conftest import local_tsa  # noqa: F401 (the local RFC 3161 authority)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def authority(settings, tmp_path, local_tsa):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    settings.BIYS_TSA_URL = local_tsa.url
    settings.BIYS_TSA_CA_FILE = local_tsa.ca_file
    settings.BIYS_TSA_KAMUSM_USER = settings.BIYS_TSA_KAMUSM_PASSWORD = ""
    settings.BIYS_TSA_TIMEOUT = 10
    settings.BIYS_EVRAK_ARCHIVE_TIMESTAMP = True
    local_tsa.mode = "ok"
    return local_tsa


@pytest.fixture
def people(make_user, org_tree):
    return {
        "writer": make_user("evrak_writer", org_tree["network"]),
        "head": make_user("department_head", org_tree["dept"]),
        "clerk": make_user("evrak_clerk", org_tree["dept"]),
    }


def packaged(people, org_tree) -> OutgoingDocument:
    """A signed outgoing document whose package is written and kept."""
    document = svc.save_outgoing_draft(
        user=people["writer"],
        unit=org_tree["network"],
        subject="Arşiv hk.",
        body="Gereğini arz ederim.",
        sdp_code=SdpCode.objects.get_or_create(code="010.03", defaults={"title": "Bilgi"})[0],
        signer=people["head"],
        distribution=[{"kind": "GRG", "name": "Eskişehir Valiliği", "detsis_no": "87654321"}],
    )
    svc.submit_for_approval(user=people["writer"], document=document, path=[])
    document = svc.sign(user=people["head"], document=document)
    svc.eyp_package(document=document)
    return OutgoingDocument.objects.get(pk=document.pk)


@translation.override("en")
def test_a_chain_is_started_renewed_and_proves_the_package(people, org_tree, municipality):
    document = packaged(people, org_tree)
    first = archive_stamps.stamp(document)
    assert (first.sequence, first.outgoing_id) == (1, document.pk)
    assert "TSA" in first.authority and first.authority_expires > timezone.now()
    second = archive_stamps.stamp(document)
    assert second.sequence == 2
    report = archive_stamps.verify(document)
    assert report.ok, report.problems
    assert [link.sequence for link in report.links] == [1, 2]
    assert report.proven_since == report.links[0].time
    # The second link covers the first: its token cannot be swapped for another.
    other = archive_stamps.stamp(packaged(people, org_tree))
    ArchiveTimestamp.objects.filter(pk=first.pk).update(token=bytes(other.token))
    report = archive_stamps.verify(document)
    assert not report.ok
    assert [p.split(":")[0] for p in report.problems] == ["#1", "#2"]


@translation.override("en")
def test_a_changed_package_is_not_proven(people, org_tree, municipality):
    document = packaged(people, org_tree)
    archive_stamps.stamp(document)
    with document.package.open("rb") as stream:
        data = stream.read()
    document.package.save("degisik.eyp", ContentFile(data + b"\0"), save=True)
    report = archive_stamps.verify(document)
    assert not report.ok
    assert "The package is not the one that was time-stamped." in report.problems
    assert any(p.startswith("#1: The time-stamp does not verify") for p in report.problems)


@translation.override("en")
def test_a_chain_not_renewed_in_time_is_not_proof(people, org_tree, municipality, monkeypatch):
    document = packaged(people, org_tree)
    link = archive_stamps.stamp(document)
    later = link.authority_expires + timedelta(days=1)
    report = archive_stamps.verify(document, now=later)
    assert not report.ok and report.problems[0].startswith("Not renewed")
    # A renewal after the previous link's certificate expired breaks the chain: the expiry is
    # read from the token itself (here made to say an earlier one for the first link).
    archive_stamps.stamp(document)
    read = archive_stamps._authority
    first = bytes(link.token)

    def expiring_early(token):
        subject, expires = read(token)
        return subject, (link.time - timedelta(seconds=1)) if token == first else expires

    monkeypatch.setattr(archive_stamps, "_authority", expiring_early)
    report = archive_stamps.verify(document)
    assert [p.split(":")[0] for p in report.problems] == ["#2"]
    assert "Renewed too late" in report.problems[0]


def test_the_daily_job_stamps_what_is_due(people, org_tree, municipality, settings, authority):
    outgoing = packaged(people, org_tree)
    data = svc.eyp_package(document=outgoing)
    incoming = services.import_eyp_package(
        user=people["clerk"],
        receiving_unit=org_tree["dept"],
        uploaded_file=SimpleUploadedFile("gelen.eyp", data),
    )
    package = IncomingPackage.objects.get(document=incoming)
    unwritten = svc.save_outgoing_draft(
        user=people["writer"], unit=org_tree["network"], subject="Taslak", body="."
    )
    assert {type(owner).__name__ for owner in archive_stamps.due()} == {
        "OutgoingDocument",
        "IncomingPackage",
    }
    assert archive_stamps.stamp_due() == {"stamped": 2, "failed": {}}
    assert list(archive_stamps.links_of(package).values_list("sequence", flat=True)) == [1]
    assert not archive_stamps.links_of(unwritten).exists()
    assert archive_stamps.verify(package).ok
    # Nothing is due again until the renewal window: then once, not every day.
    assert list(archive_stamps.due()) == []
    link = archive_stamps.links_of(outgoing).get()
    soon = link.authority_expires - timedelta(days=10)
    assert list(archive_stamps.due(now=soon)) != []
    assert [type(o).__name__ for o in archive_stamps.due(now=soon)].count("OutgoingDocument") == 1
    ArchiveTimestamp.objects.filter(pk=link.pk).update(created_at=soon - timedelta(days=5))
    assert all(type(o) is not OutgoingDocument for o in archive_stamps.due(now=soon))
    # An authority that fails: nothing saved, the failure named, tried again the next day.
    authority.mode = "error"
    ArchiveTimestamp.objects.all().delete()
    summary = archive_stamps.stamp_due()
    assert summary["stamped"] == 0 and len(summary["failed"]) == 2
    assert not ArchiveTimestamp.objects.exists()
    # Off: nothing is asked.
    settings.BIYS_EVRAK_ARCHIVE_TIMESTAMP = False
    authority.mode = "ok"
    assert archive_stamps.stamp_due() == {"stamped": 0, "failed": {}}


def test_the_command_line(people, org_tree, municipality):
    document = packaged(people, org_tree)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("documents", "verify-archive", document.number, stdout=out)
    call_command("documents", "archive-stamp", document.number, stdout=io.StringIO())
    out = io.StringIO()
    call_command("documents", "verify-archive", document.number, "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["ok"] and [link["sequence"] for link in report["links"]] == [1]
    out = io.StringIO()
    call_command("evrak", "verify-archive", document.number, stdout=out)
    assert "proven unchanged since" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("evrak", "archive-stamp", "E-0-0-0", stdout=io.StringIO())


def test_the_pages_and_the_api_show_the_chain(people, org_tree, municipality, client):
    from rest_framework.test import APIClient

    outgoing = packaged(people, org_tree)
    incoming = services.import_eyp_package(
        user=people["clerk"],
        receiving_unit=org_tree["dept"],
        uploaded_file=SimpleUploadedFile("gelen.eyp", svc.eyp_package(document=outgoing)),
    )
    api = APIClient()
    api.force_authenticate(people["head"])
    answer = api.get(f"/api/v1/evrak/outgoing/{outgoing.pk}/archive/").json()
    assert answer["ok"] is False and answer["links"] == []
    archive_stamps.stamp(outgoing)
    archive_stamps.stamp(IncomingPackage.objects.get(document=incoming))
    answer = api.get(f"/api/v1/evrak/outgoing/{outgoing.pk}/archive/").json()
    assert answer["ok"] is True and answer["problems"] == []
    assert [link["sequence"] for link in answer["links"]] == [1] and answer["proven_since"]
    api.force_authenticate(people["clerk"])
    answer = api.get(f"/api/v1/evrak/incoming/{incoming.pk}/archive/").json()
    assert answer["ok"] is True and len(answer["links"]) == 1
    # The pages list the links, in Turkish.
    client.force_login(people["head"])
    page = client.get(outgoing.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert 'id="archive-timestamps"' in page and "Arşiv zaman damgaları" in page
    client.force_login(people["clerk"])
    page = client.get(incoming.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert 'data-archive-link="1"' in page
