import os
from datetime import date
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from biys.evrak import eyp, services
from biys.evrak.choices import Channel, SenderKind, Urgency
from biys.evrak.models import IncomingDocument, IncomingPackage, PackagePart
from biys.evrak.tests.conftest import MONDAY_MORNING
from biys.evrak.tests.packages import (
    SAMPLE_V1,
    SAMPLE_V2,
    conformant_sample,
    read_parts,
    sealed,
    tampered,
    write_parts,
)


def problems(data: bytes) -> list[str]:
    return [str(problem) for problem in eyp.check_package(data).problems]


@pytest.mark.django_db
@translation.override("en")
def test_the_real_2x_sample_is_refused_for_its_ustveri_and_signature_and_passes_every_digest():
    report = eyp.check_package(SAMPLE_V2.read_bytes())
    # Its ImzaCades and MuhurCades are four-byte placeholders, not signatures.
    assert [(p.part, p.code) for p in report.problems] == [
        ("/Ustveri/Ustveri.xml", "schema"),
        ("/Imzalar/ImzaCades.imz", "signature"),
        ("/Muhur/MuhurCades.imz", "seal"),
    ]
    assert "MimeTuru" in report.problems[0].message
    assert "not a CAdES signature" in report.problems[1].message
    assert "not a CAdES signature" in report.problems[2].message
    assert "/PaketOzeti/PaketOzeti.xml: 12 digests checked" in report.checks
    assert "/NihaiOzet/NihaiOzet.xml: 20 digests checked" in report.checks
    assert len(report.parts) == 17


def test_the_real_1x_sample_is_refused_as_an_older_version():
    report = eyp.check_package(SAMPLE_V1.read_bytes())
    assert [p.code for p in report.problems] == ["unsupported_version"]
    assert report.version == "1.3"


@translation.override("en")
def test_a_conformant_package_passes_and_fills_the_form():
    report = eyp.check_package(conformant_sample())
    assert report.ok, report.problems
    assert report.version == "2.0"
    assert report.belge_id == "B586D8E7-ADE1-4B08-B2B8-57250B22F8DC"
    meta = report.metadata
    assert meta["subject"] == "Olustur Versiyon 2X"
    assert (meta["sender_kind"], meta["sender_detsis_no"], meta["sender_name"]) == (
        "institution",
        "61648174",
        "BİLGİ İŞLEM DAİRESİ BAŞKANLIĞI",
    )
    assert (meta["sender_number"], meta["sender_date"]) == (
        "E-24312041-702.03-1",
        date(2021, 2, 15),
    )
    assert {(p.name, p.role) for p in report.parts} >= {
        ("/UstYazi/ustyazi.pdf", "ustyazi"),
        ("/Ekler/ek1.pdf", "ek"),
    }
    assert report.signature == {}
    assert "No electronic signature (ImzaCades): the package is unsigned." in report.checks


@pytest.mark.parametrize(
    "part",
    [
        "UstYazi/ustyazi.pdf",
        "Ekler/ek2.pdf",
        "Ustveri/Ustveri.xml",
        "NihaiUstveri/NihaiUstveri.xml",
        "package/services/metadata/core-properties/1ab86e621b584e9f811c3cb336120e1c.psmdcp",
    ],
)
def test_one_changed_byte_is_refused_naming_the_part(part):
    offset = 200
    found = eyp.check_package(tampered(conformant_sample(), part, offset=offset)).problems
    mismatches = [p for p in found if p.code == "digest_mismatch"]
    assert mismatches and {p.part for p in mismatches} == {"/" + part}, found


def test_a_changed_digest_list_is_refused():
    # PaketOzeti changed: its own schema still holds, but NihaiOzet's digest of it fails.
    found = eyp.check_package(
        tampered(conformant_sample(), "PaketOzeti/PaketOzeti.xml", offset=400)
    )
    assert any(p.part == "/PaketOzeti/PaketOzeti.xml" for p in found.problems), found.problems


@translation.override("en")
def test_a_missing_part_and_a_broken_zip_are_refused():
    parts = read_parts(conformant_sample())
    del parts["Ekler/ek1.pdf"]
    found = problems(write_parts(parts))
    assert any("/Ekler/ek1.pdf" in problem for problem in found), found
    assert problems(b"PK\x03\x04 not really a zip") == [
        "The file is not an e-Yazışma package (not a zip)."
    ]


def test_an_ustveri_against_the_schema_is_refused_even_with_good_digests():
    data = conformant_sample(edit=lambda text: text.replace(">YOK<", ">XYZ<"))
    found = eyp.check_package(data).problems
    assert [(p.part, p.code) for p in found] == [("/Ustveri/Ustveri.xml", "schema")]


def test_identifiers_must_agree():
    parts = read_parts(conformant_sample())
    text = parts["PaketOzeti/PaketOzeti.xml"].decode("utf-8-sig")
    parts["PaketOzeti/PaketOzeti.xml"] = text.replace('Id="B586D8E7', 'Id="C586D8E7').encode()
    found = eyp.check_package(sealed(parts)).problems
    assert [(p.part, p.code) for p in found] == [("/PaketOzeti/PaketOzeti.xml", "id_mismatch")]


def test_unsafe_part_names_are_refused():
    parts = read_parts(conformant_sample())
    parts["../evil.txt"] = b"x"
    assert [p.code for p in eyp.check_package(write_parts(parts)).problems] == ["bad_part_name"]


def test_the_corrections_are_the_only_changes():
    pristine = os.environ.get("BIYS_EYAZISMA_PRISTINE", "/work/shared/formats/e-yazisma/xsd")
    if not Path(pristine).is_dir():
        pytest.skip("the pristine schemas are not on this machine")
    ours = eyp.SCHEMAS
    for path in Path(pristine).rglob("*.xsd"):
        copy = ours / path.relative_to(pristine)
        if path.name != "EY-Tipler-2.xsd":
            assert copy.read_bytes() == path.read_bytes(), path.name
    original = (Path(pristine) / "EY-Tipler-2.xsd").read_text(encoding="utf-8").splitlines()
    corrected = (ours / "EY-Tipler-2.xsd").read_text(encoding="utf-8").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(original, corrected, strict=True)) if a != b]
    assert len(changed) == 7  # three imports, the wildcard, three patterns


# Registering ---------------------------------------------------------------------------------


def upload(data: bytes, name="b586d8e7.eyp"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
@translation.override("en")
def test_import_registers_from_the_ustveri_and_stores_every_part(clerk, org_tree):
    document = services.import_eyp_package(
        user=clerk,
        receiving_unit=org_tree["network"],
        uploaded_file=upload(conformant_sample()),
        registered_at=MONDAY_MORNING,
    )
    assert document.channel == Channel.EYP
    assert (document.number, document.subject, document.sender_kind) == (
        "GE-2026-000001",
        "Olustur Versiyon 2X",
        SenderKind.INSTITUTION,
    )
    assert (document.sender_detsis_no, document.sender_number) == (
        "61648174",
        "E-24312041-702.03-1",
    )
    package = IncomingPackage.objects.get(document=document)
    assert package.parts.count() == 13 and package.version == "2.0"
    assert default_storage.exists(package.file.name)
    with default_storage.open(package.file.name) as stored:
        assert read_parts(stored.read()).keys() == read_parts(conformant_sample()).keys()
    # The same package twice is refused.
    with pytest.raises(services.ValidationError) as error:
        services.import_eyp_package(
            user=clerk,
            receiving_unit=org_tree["network"],
            uploaded_file=upload(conformant_sample()),
        )
    assert "already registered" in str(error.value)
    assert IncomingPackage.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_package_leaves_no_row_and_no_file(clerk, org_tree, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    bad = tampered(conformant_sample(), "Ekler/ek1.pdf")
    with pytest.raises(services.PackageRefused) as error:
        services.import_eyp_package(
            user=clerk, receiving_unit=org_tree["network"], uploaded_file=upload(bad)
        )
    assert "/Ekler/ek1.pdf" in error.value.message_dict["file"][0]
    # A package that passes the checks but fails registration (a GNL without a date, an
    # invalid identifier) leaves nothing either.
    gnl = conformant_sample(
        edit=lambda text: text.replace("<tipler:Ivedilik>NRM", "<tipler:Ivedilik>GNL", 1)
    )
    with pytest.raises(services.ValidationError) as error:
        services.import_eyp_package(
            user=clerk, receiving_unit=org_tree["network"], uploaded_file=upload(gnl)
        )
    assert "due_date" in error.value.message_dict
    assert not IncomingDocument.objects.exists() and not PackagePart.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
    # The clerk gives the date: registered.
    document = services.import_eyp_package(
        user=clerk,
        receiving_unit=org_tree["network"],
        uploaded_file=upload(gnl),
        registered_at=MONDAY_MORNING,
        due_date=date(2026, 11, 7),
    )
    assert (document.urgency, document.due_date) == (Urgency.DATED, date(2026, 11, 9))


@pytest.mark.django_db
def test_a_dated_package_counts_its_miat(clerk, org_tree):
    data = conformant_sample(
        edit=lambda text: text.replace(
            "<tipler:Ivedilik>NRM</tipler:Ivedilik>",
            "<tipler:Ivedilik>GNL</tipler:Ivedilik>",
            1,
        ).replace(
            "<tipler:DagitimTuru>BLG</tipler:DagitimTuru>",
            "<tipler:DagitimTuru>BLG</tipler:DagitimTuru>\n      <tipler:Miat>P5D</tipler:Miat>",
            1,
        )
    )
    document = services.import_eyp_package(
        user=clerk,
        receiving_unit=org_tree["network"],
        uploaded_file=upload(data),
        registered_at=MONDAY_MORNING,
    )
    assert document.due_date == date(2026, 11, 9)  # Saturday the 7th -> Monday


@pytest.mark.django_db
def test_only_a_clerk_of_the_unit_imports(reader, org_tree):
    with pytest.raises(services.PermissionDenied):
        services.import_eyp_package(
            user=reader,
            receiving_unit=org_tree["network"],
            uploaded_file=upload(conformant_sample()),
        )
