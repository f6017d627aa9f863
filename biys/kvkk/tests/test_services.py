"""The KVKK services: the shipped pick-lists, the inventory's rules, the 30-day answer clock,
the request's state machine, the logged identity reveal, the reminders and the VERBİS export
(content and encoding)."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from biys.calendar.workcalendar import OfficeHours, WorkingCalendar
from biys.core.models import PersonalDataView
from biys.core.personal_data import subject_digest
from biys.kvkk import selectors, services
from biys.kvkk.choices import ListKind, Outcome, RequestState, Right
from biys.kvkk.listdata import shipped_items
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest

pytestmark = pytest.mark.django_db

VALID_TC = "10000000146"


def pick(kind, **filters):
    return ListItem.objects.filter(kind=kind, **filters).order_by("position")


def new_activity(user, unit, **fields):
    lists = {
        "data_categories": list(pick(ListKind.DATA_CATEGORY, special=False)[:2]),
        "purposes": list(pick(ListKind.PURPOSE)[:1]),
        "legal_bases": list(pick(ListKind.LEGAL_BASIS, code="5/2-ç")),
        "subject_groups": list(pick(ListKind.SUBJECT_GROUP)[:1]),
        "technical_measures": list(pick(ListKind.TECHNICAL_MEASURE)[:2]),
    }
    lists.update({name: fields.pop(name) for name in list(fields) if name in lists})
    values = {
        "unit": unit,
        "name": "Personel özlük dosyalarının tutulması",
        "personal_data": "Ad soyad, TC kimlik no, adres, sicil no",
        "retention_period": "Görevin sona ermesinden itibaren 10 yıl",
    }
    values.update(fields)
    return services.save_activity(activity=ProcessingActivity(**values), user=user, **lists)


def new_request(user, unit, **fields):
    values = {
        "received_on": timezone.localdate() - timedelta(days=2),
        "channel": "written",
        "right": Right.ERASURE,
        "request_text": "Eski adresimin silinmesini istiyorum.",
        "applicant_name": "Ayşe Yılmaz",
        "tc_kimlik_no": VALID_TC,
        "unit": unit,
    }
    values.update(fields)
    return services.register_request(user=user, **values)


# Pick-lists --------------------------------------------------------------------------------


def test_the_migration_ships_verbis_lists_with_special_categories(lists):
    assert ListItem.objects.count() == len(shipped_items())
    special = set(pick(ListKind.DATA_CATEGORY, special=True).values_list("name", flat=True))
    assert {"Sağlık Bilgileri", "Biyometrik Veri", "Ceza Mahkûmiyeti ve Güvenlik Tedbirleri"} <= (
        special
    )
    assert not pick(ListKind.DATA_CATEGORY, name="Kimlik", special=True).exists()
    bases = dict(pick(ListKind.LEGAL_BASIS).values_list("code", "special"))
    assert bases["5/2-ç"] is False and bases["6/3-a"] is True
    assert pick(ListKind.ADMINISTRATIVE_MEASURE).count() >= 10


def test_only_a_holder_over_everything_edits_the_lists(lists, contact, make_user):
    item = ListItem(kind=ListKind.SUBJECT_GROUP, name="Muhtar")
    with pytest.raises(PermissionDenied):
        services.save_list_item(item=item, user=contact)  # held over the department only
    admin = make_user(superuser=True)
    services.save_list_item(item=item, user=admin)
    assert pick(ListKind.SUBJECT_GROUP, name="Muhtar").exists()


# Inventory ---------------------------------------------------------------------------------


def test_an_activity_is_saved_with_its_lists(lists, contact, org_tree):
    activity = new_activity(contact, org_tree["network"])
    assert activity.data_categories.count() == 2
    assert [item.code for item in activity.legal_bases.all()] == ["5/2-ç"]


def test_the_inventory_rules(lists, contact, org_tree):
    with pytest.raises(ValidationError) as error:
        new_activity(contact, org_tree["network"], purposes=[], retention_period="")
    assert {"purposes", "retention_period"} <= set(error.value.message_dict)
    # Special categories need a condition of md. 6.
    health = list(pick(ListKind.DATA_CATEGORY, name="Sağlık Bilgileri"))
    with pytest.raises(ValidationError) as error:
        new_activity(contact, org_tree["network"], data_categories=health)
    assert "legal_bases" in error.value.message_dict
    new_activity(
        contact,
        org_tree["network"],
        data_categories=health,
        legal_bases=list(pick(ListKind.LEGAL_BASIS, code="6/3-e")),
    )
    # An entry of another list is refused at its field.
    with pytest.raises(ValidationError) as error:
        new_activity(contact, org_tree["network"], purposes=health)
    assert "purposes" in error.value.message_dict
    # A transfer abroad names its countries and basis.
    with pytest.raises(ValidationError) as error:
        new_activity(contact, org_tree["network"], transfer_abroad=True)
    assert {"transfer_countries", "transfer_basis"} <= set(error.value.message_dict)
    assert ProcessingActivity.objects.count() == 1


def test_unit_staff_read_but_do_not_write_the_inventory(lists, contact, org_tree, make_user):
    activity = new_activity(contact, org_tree["network"])
    chief = make_user("chief", org_tree["network"])
    technician = make_user("technician", org_tree["network"])
    outsider = make_user("technician", org_tree["roads"])
    assert list(selectors.activities_for(chief)) == [activity]
    assert list(selectors.activities_for(technician)) == [activity]
    assert not selectors.activities_for(outsider).exists()
    with pytest.raises(PermissionDenied):
        new_activity(chief, org_tree["network"], name="Başka süreç")
    activity.name = "Değişti"
    with pytest.raises(PermissionDenied):
        services.save_activity(activity=activity, user=chief)


# The answer clock --------------------------------------------------------------------------

PLAIN = WorkingCalendar(OfficeHours(), declarations=())


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (date(2026, 11, 2), date(2026, 12, 2)),  # a Monday: 30 calendar days later, a Wednesday
        (date(2026, 11, 5), date(2026, 12, 7)),  # the 30th is a Saturday: the next Monday
        (date(2026, 9, 29), date(2026, 10, 30)),  # the 30th is 29 Ekim: the next working day
        (date(2026, 11, 7), date(2026, 12, 7)),  # received on a Saturday: still 30 days
    ],
)
def test_the_answer_deadline_is_thirty_calendar_days(received, expected):
    assert services.answer_deadline(received, calendar=PLAIN) == expected


def test_register_numbers_and_sets_the_deadline(contact, org_tree):
    request = new_request(contact, org_tree["network"], received_on=date(2026, 11, 2))
    assert request.number == "KVKK-2026-0001"
    assert request.due_date == date(2026, 12, 2)
    assert request.state == RequestState.RECEIVED
    changed = services.update_request(user=contact, request=request, received_on=date(2026, 11, 5))
    assert changed.due_date == date(2026, 12, 7)


def test_bad_requests_are_refused_at_their_fields(contact, org_tree):
    with pytest.raises(ValidationError) as error:
        new_request(contact, org_tree["network"], tc_kimlik_no="12345678901")
    assert "tc_kimlik_no" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        new_request(
            contact, org_tree["network"], received_on=timezone.localdate() + timedelta(days=1)
        )
    assert "received_on" in error.value.message_dict
    assert not SubjectRequest.objects.exists()


def test_the_state_machine(contact, org_tree, make_user):
    request = new_request(contact, org_tree["network"])
    assert services.request_actions(contact, request) == ["start", "answer"]
    request = services.start_request(user=contact, request=request)
    assert request.state == RequestState.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.start_request(user=contact, request=request)
    with pytest.raises(ValidationError) as error:
        services.answer_request(user=contact, request=request, outcome="maybe", answer="")
    assert {"outcome", "answer"} <= set(error.value.message_dict)
    request = services.answer_request(
        user=contact, request=request, outcome=Outcome.ACCEPTED, answer="Adresiniz silindi."
    )
    assert request.state == RequestState.ANSWERED
    assert request.answered_on == timezone.localdate() and request.answered_by == contact
    assert services.request_actions(contact, request) == ["reopen"]
    with pytest.raises(ValidationError):
        services.answer_request(user=contact, request=request, outcome="accepted", answer="x")
    request = services.reopen_request(user=contact, request=request)
    assert request.state == RequestState.IN_PROGRESS and request.answered_on is None
    chief = make_user("chief", org_tree["network"])
    assert services.request_actions(chief, request) == []
    with pytest.raises(PermissionDenied):
        services.answer_request(user=chief, request=request, outcome="accepted", answer="x")


def test_overdue_requests(contact, org_tree):
    late = new_request(contact, org_tree["network"], received_on=date(2026, 1, 5))
    fresh = new_request(contact, org_tree["network"])
    overdue = list(selectors.overdue_requests(contact))
    assert overdue == [late]
    assert selectors.days_left(fresh) > 0 > selectors.days_left(late)
    services.answer_request(user=contact, request=late, outcome="refused", answer="Veri yok.")
    assert not selectors.overdue_requests(contact).exists()


def test_the_identity_is_masked_and_every_reveal_is_logged(contact, org_tree, make_user):
    request = new_request(contact, org_tree["network"], email="ayse@example.org")
    assert request.masked_tc_kimlik_no != VALID_TC and request.masked_tc_kimlik_no.endswith("46")
    data = services.reveal_identity(user=contact, request=request, reason="Başvuru cevabı")
    assert data["tc_kimlik_no"] == VALID_TC and data["email"] == "ayse@example.org"
    view = PersonalDataView.objects.get()
    assert view.subject == subject_digest(VALID_TC) and view.user == contact
    auditor = make_user("auditor", org_tree["dept"])
    with pytest.raises(PermissionDenied):
        services.reveal_identity(user=auditor, request=request)
    assert PersonalDataView.objects.count() == 1
    # The change log keeps the number masked.
    from biys.core.models import ObjectChange

    change = ObjectChange.objects.filter(object_id=str(request.pk)).latest("time")
    assert VALID_TC not in str(change.postchange_data)


def test_the_assignee_reads_their_request_whatever_their_role(contact, org_tree, make_user):
    requester = make_user("requester", org_tree["roads"])
    request = new_request(contact, org_tree["network"], assignee=requester)
    assert list(selectors.requests_for(requester)) == [request]
    assert services.request_actions(requester, request) == []
    technician = make_user("technician", org_tree["network"])
    assert not selectors.requests_for(technician).exists()


def test_reminders_once_before_the_deadline_and_once_when_late(contact, org_tree):
    from biys.notifications.models import Notification

    soon = new_request(contact, org_tree["network"])
    SubjectRequest.objects.filter(pk=soon.pk).update(due_date=timezone.localdate() + timedelta(3))
    late = new_request(contact, org_tree["network"], received_on=date(2026, 1, 5))
    far = new_request(contact, org_tree["network"])
    assert services.send_reminders() == {"reminded": 1, "overdue": 1}
    assert services.send_reminders() == {"reminded": 0, "overdue": 0}
    targets = set(Notification.objects.values_list("target_object_id", flat=True))
    assert targets == {str(soon.pk), str(late.pk)}
    assert str(far.pk) not in targets
    assert set(Notification.objects.values_list("recipient", flat=True)) == {contact.pk}


# The VERBİS export -------------------------------------------------------------------------


def test_verbis_rows_are_one_per_activity_and_category(lists, contact, org_tree):
    new_activity(
        contact,
        org_tree["network"],
        transfer_abroad=True,
        transfer_countries="Almanya",
        transfer_basis="Standart sözleşme",
    )
    rows = selectors.verbis_rows(selectors.inventory_for_export(contact))
    assert [row["data_category"] for row in rows] == ["Kimlik", "İletişim"]
    assert rows[0]["legal_bases"].startswith("5/2-ç ")
    assert rows[0]["transfer_countries"] == "Almanya" and rows[0]["transfer_abroad"] is True


def test_the_csv_is_for_turkish_excel(lists, contact, org_tree):
    new_activity(contact, org_tree["network"])
    client = Client()
    client.force_login(contact)
    response = client.get(reverse("kvkk:verbis_export") + "?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Birim", "İşleme faaliyeti", "Veri kategorisi"]
    assert len(rows) == 3 and rows[1][2] == "Kimlik" and rows[1][3] == "Hayır"
    assert "verbis-envanter" in response["Content-Disposition"]


def test_the_excel_export(lists, contact, org_tree):
    from openpyxl import load_workbook

    new_activity(contact, org_tree["network"])
    client = Client()
    client.force_login(contact)
    response = client.get(reverse("kvkk:verbis_export") + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[1][2] == "Kimlik" and len(values) == 3


def test_the_export_follows_the_readers_scope(lists, contact, org_tree, make_user):
    new_activity(contact, org_tree["network"])
    outsider = make_user("technician", org_tree["roads"])
    assert selectors.verbis_rows(selectors.inventory_for_export(outsider)) == []


def test_the_change_log_records_an_activity_and_its_lists(lists, contact, org_tree):
    from biys.core.models import ObjectChange

    activity = new_activity(contact, org_tree["network"])
    activity.retention_period = "5 yıl"
    services.save_activity(
        activity=activity, user=contact, purposes=list(pick(ListKind.PURPOSE)[1:2])
    )
    changes = ObjectChange.objects.filter(object_id=str(activity.pk)).order_by("time", "pk")
    assert changes.count() >= 2
    assert "purposes" in str(changes.last().postchange_data)
