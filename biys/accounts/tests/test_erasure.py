"""KVKK erasure and user deletion leave the change log's rows untouched and verifiable."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from biys.accounts.erasure import erase_user
from biys.core.changelog import verify_chain
from biys.core.context import change_context
from biys.core.models import ObjectChange
from biys.org.models import Unit

pytestmark = pytest.mark.django_db


def test_deleting_a_user_edits_no_change_record(org_tree, make_user):
    author = make_user(username="gecici")
    with change_context(user=author):
        Unit.objects.create(name="Geçici Şeflik", kind="seflik", parent=org_tree["dept"])
    author_pk = author.pk
    rows = list(ObjectChange.objects.filter(user_id=author_pk).values())
    assert rows
    author.delete()
    assert list(ObjectChange.objects.filter(user_id=author_pk).values()) == rows
    assert verify_chain().ok


@pytest.fixture
def erased_setup(org_tree, make_user, client):
    subject = make_user("technician", org_tree["network"], username="ayseyilmaz")
    person = subject.person
    person.first_name, person.last_name = "Ayşe", "Yılmaz"
    with change_context(user=subject):
        person.work_phone = "0312 444 55 66"
        person.save()
        Unit.objects.create(name="Ayşe'nin Şefliği", kind="seflik", parent=org_tree["network"])
    return subject, person


def test_erasure_hides_the_person_everywhere_and_keeps_the_chain(erased_setup, admin_user, client):
    subject, person = erased_setup
    rows_before = ObjectChange.objects.count()
    notice = erase_user(actor=admin_user, user=subject, reason="KVKK 2026/14", include_person=True)
    assert notice.action == "redact"
    assert notice.postchange_data["reason"] == "KVKK 2026/14"
    assert ObjectChange.objects.count() > rows_before  # appended, never edited
    assert verify_chain().ok
    subject.refresh_from_db()
    person.refresh_from_db()
    assert subject.username == f"erased-{subject.pk}" and not subject.is_active
    assert person.work_phone == "" and "Ayşe" not in person.full_name

    client.force_login(admin_user)
    history = client.get(person.get_absolute_url(), {"tab": "history"}).content.decode()
    changelog = client.get(reverse("core:changelog"), {"per_page": 200}).content.decode()
    record = ObjectChange.objects.filter(object_id=str(person.pk), action="update").first()
    detail = client.get(reverse("core:objectchange", args=[record.pk])).content.decode()
    home = client.get("/").content.decode()
    for page in (history, changelog, detail, home):
        assert "ayseyilmaz" not in page
        assert "0312 444 55 66" not in page
        assert "Yılmaz" not in page


def test_erasure_needs_an_administrator_and_a_reason(erased_setup, make_user, org_tree):
    subject, _ = erased_setup
    with pytest.raises(PermissionDenied):
        erase_user(actor=make_user("chief", org_tree["dept"]), user=subject, reason="x")
    with pytest.raises(ValidationError):
        erase_user(actor=None, user=subject, reason=" ")


def test_erase_command(erased_setup, capsys):
    call_command("kvkk", "erase", "ayseyilmaz", "--reason", "KVKK 2026/15", "--person")
    assert "redaction record" in capsys.readouterr().out
    call_command("audit", "verify")


def test_erasure_from_the_user_page(erased_setup, admin_user, make_user, org_tree, client):
    subject, person = erased_setup
    url = reverse("accounts:user_erase", args=[subject.pk])
    client.force_login(make_user("chief", org_tree["network"]))
    assert client.post(url, {"reason": "KVKK 1"}).status_code in (403, 404)
    client.force_login(admin_user)
    page = client.get(subject.get_absolute_url()).content.decode()
    assert url in page
    client.post(url, {"reason": " "})
    subject.refresh_from_db()
    assert subject.username == "ayseyilmaz"  # no reason, nothing erased
    response = client.post(url, {"reason": "KVKK 2026/16", "include_person": "1"}, follow=True)
    assert response.status_code == 200
    subject.refresh_from_db()
    person.refresh_from_db()
    assert subject.username == f"erased-{subject.pk}" and person.work_phone == ""
    notice = ObjectChange.objects.get(action="redact")
    assert notice.postchange_data["reason"] == "KVKK 2026/16"
    assert verify_chain().ok


def test_an_erased_name_finds_nothing_in_the_change_log(erased_setup, admin_user, client):
    subject, _person = erased_setup
    name = ObjectChange.objects.filter(user_id=subject.pk).values_list("user_name", flat=True)[0]
    client.force_login(admin_user)
    url = reverse("core:changelog")
    assert "nin Şefliği" in client.get(url, {"user_name": name}).content.decode()
    erase_user(actor=admin_user, user=subject, reason="KVKK 2026/15", include_person=True)
    assert "nin Şefliği" not in client.get(url, {"user_name": name}).content.decode()
