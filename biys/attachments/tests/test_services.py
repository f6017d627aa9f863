import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from biys.attachments import services
from biys.attachments.models import Attachment
from biys.attachments.tests import samples
from biys.core.models import ObjectChange
from biys.org.models import Person


@pytest.fixture
def person(org_tree):
    return Person.objects.create(
        first_name="Ayşe", last_name="Yılmaz", employment_type="memur", unit=org_tree["network"]
    )


@pytest.fixture
def chief(make_user, org_tree):
    return make_user("chief", org_tree["network"])


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("photo.pdf", samples.png(), "image/png"),
        ("scan.png", samples.pdf(), "application/pdf"),
        (
            "rapor.docx",
            samples.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "tablo.zip",
            samples.xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("yazi.bin", samples.odt(), "application/vnd.oasis.opendocument.text"),
        ("not.txt", samples.text(), "text/plain"),
        ("liste.csv", "ad;soyad\nİsmail;Çelik\n".encode(), "text/csv"),
    ],
)
def test_type_comes_from_the_content_not_the_name(person, chief, name, content, mime):
    attachment = services.add_attachment(
        obj=person, uploaded_file=upload(name, content), user=chief
    )

    attachment.refresh_from_db()
    assert attachment.mime_type == mime
    assert attachment.filename == name
    assert attachment.size == len(content)
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("kurulum.pdf", samples.exe()),
        ("rapor.docx", samples.elf()),
        ("rapor.docx", samples.plain_zip()),
        ("not.txt", "geçersiz".encode("latin-1") + b"\xff\xfe"),
    ],
)
def test_executables_bad_zips_and_binary_junk_are_refused(person, chief, name, content):
    with pytest.raises(ValidationError) as error:
        services.add_attachment(obj=person, uploaded_file=upload(name, content), user=chief)

    assert "file" in error.value.message_dict
    assert Attachment.objects.count() == 0


def test_refusal_is_translated(person, chief):
    with translation.override("tr"), pytest.raises(ValidationError) as error:
        services.add_attachment(
            obj=person, uploaded_file=upload("a.pdf", samples.exe()), user=chief
        )

    assert "kabul edilmiyor" in error.value.message_dict["file"][0]


def test_too_large_is_refused(settings, person, chief):
    settings.ATTACHMENT_MAX_BYTES = 100

    with pytest.raises(ValidationError) as error:
        services.add_attachment(obj=person, uploaded_file=upload("big.txt", b"a" * 101), user=chief)

    assert error.value.error_dict["file"][0].code == "file_too_large"
    assert not Attachment.objects.exists()


def test_sha256_is_computed_over_the_whole_stream(person, chief):
    content = samples.text() * 20000  # > 1 MB: several chunks
    uploaded = upload("uzun.txt", content)

    attachment = services.add_attachment(obj=person, uploaded_file=uploaded, user=chief)

    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)


def test_only_users_who_may_change_the_parent_may_attach(person, make_user, org_tree):
    technician = make_user("technician", org_tree["network"])
    outsider_chief = make_user("chief", org_tree["roads"])

    for user in (technician, outsider_chief):
        with pytest.raises(PermissionDenied):
            services.add_attachment(
                obj=person, uploaded_file=upload("a.png", samples.png()), user=user
            )
    assert not Attachment.objects.exists()


def test_attachments_are_change_logged_and_the_file_is_removed_on_delete(
    person, chief, django_capture_on_commit_callbacks
):
    attachment = services.add_attachment(
        obj=person, uploaded_file=upload("a.png", samples.png()), user=chief, description="Ön yüz"
    )
    storage, name, pk = attachment.file.storage, attachment.file.name, attachment.pk
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_attachment(attachment=attachment, user=chief)

    assert not storage.exists(name)
    actions = list(
        ObjectChange.objects.filter(object_id=str(pk), object_repr="a.png")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "delete"]
