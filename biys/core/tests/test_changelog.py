import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from biys.core.changelog import verify_chain
from biys.core.context import change_context
from biys.core.models import ObjectChange
from biys.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def changes_for(obj):
    return ObjectChange.objects.filter(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name
    )


def test_create_update_delete_are_recorded_with_who_and_what(org_tree, make_user):
    author = make_user(username="kayitci")
    with change_context(user=author):
        unit = Unit.objects.create(name="Arşiv Şefliği", kind="seflik", parent=org_tree["dept"])
        unit.name = "Arşiv ve Dokümantasyon Şefliği"
        unit.save()
        unit_pk = unit.pk
        unit.delete()

    records = list(
        ObjectChange.objects.filter(object_id=str(unit_pk), content_type__model="unit").order_by(
            "id"
        )
    )
    assert [r.action for r in records] == ["create", "update", "delete"]
    assert all(r.user_id == author.pk and r.user_name == "kayitci" for r in records)
    update = records[1]
    assert update.prechange_data["name"] == "Arşiv Şefliği"
    assert update.postchange_data["name"] == "Arşiv ve Dokümantasyon Şefliği"
    assert "name" in update.changed_fields
    assert records[2].postchange_data is None
    assert update.unit_id == unit_pk


def test_saving_without_changes_writes_nothing(org_tree):
    unit = org_tree["roads"]
    before = changes_for(unit).count()
    unit.save()
    assert changes_for(unit).count() == before


def test_personal_data_is_masked_in_the_change_log(org_tree):
    person = Person.objects.create(
        first_name="Ayşe",
        last_name="Yılmaz",
        tc_kimlik_no="10000000146",
        employment_type="memur",
        unit=org_tree["roads"],
        mobile_phone="0532 000 00 00",
    )
    record = changes_for(person).get()
    assert record.postchange_data["tc_kimlik_no"] == "***"
    assert record.postchange_data["mobile_phone"] == "***"
    assert "10000000146" not in json.dumps(record.postchange_data)
    assert record.unit_id == org_tree["roads"].pk


def test_change_records_cannot_be_edited_or_deleted_through_the_product(org_tree):
    record = ObjectChange.objects.first()
    record.object_repr = "forged"
    with pytest.raises(PermissionDenied):
        record.save()
    with pytest.raises(PermissionDenied):
        record.delete()


def test_chain_verifies_and_detects_an_altered_record(org_tree):
    assert verify_chain().ok
    victim = ObjectChange.objects.order_by("id")[2]
    ObjectChange.objects.filter(pk=victim.pk).update(object_repr="forged")  # tampering from outside
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == victim.pk
    assert "altered" in report.reason


def test_chain_detects_a_removed_record(org_tree):
    victim = ObjectChange.objects.order_by("id")[1]
    ObjectChange.objects.filter(pk=victim.pk)._raw_delete(ObjectChange.objects.db)
    report = verify_chain()
    assert not report.ok
    assert "missing" in report.reason


def test_chain_detects_removed_newest_records(org_tree):
    newest = ObjectChange.objects.order_by("-id").first()
    ObjectChange.objects.filter(pk=newest.pk)._raw_delete(ObjectChange.objects.db)
    assert not verify_chain().ok


def test_audit_verify_command(org_tree, capsys):
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    ObjectChange.objects.filter(pk=ObjectChange.objects.order_by("id").first().pk).update(
        user_name="x"
    )
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")
