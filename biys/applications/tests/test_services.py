"""The services: what they refuse (with the field it is about) leaves nothing behind."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from biys.applications import services
from biys.applications.models import Application, ApplicationResponsibility
from biys.applications.tests.conftest import MONDAY, TODAY
from biys.core.models import ObjectChange
from biys.core.personal_data import views_of

pytestmark = pytest.mark.django_db


def receive(user, application_type, **extra):
    values = {
        "user": user,
        "type": application_type,
        "received_on": MONDAY,
        "subject": "Belediyenin 2025 yılı yazılım alımları",
        "applicant_name": "Ayşe Yılmaz",
        "form_data": {"istenen_bilgi": "Sözleşme listesi"},
        "tc_kimlik_no": "10000000146",
        "today": TODAY,
    }
    values.update(extra)
    return services.receive_application(**values)


def nothing_saved():
    return not Application.objects.exists() and not ApplicationResponsibility.objects.exists()


def test_receive_numbers_it_computes_the_deadline_and_opens_the_history(
    clerk, bilgi_edinme, org_tree
):
    first = receive(clerk, bilgi_edinme)
    second = receive(clerk, bilgi_edinme)
    assert first.number.startswith("BSV-") and first.number != second.number
    assert first.number.endswith("000001") and second.number.endswith("000002")
    assert first.due_date == date(2026, 11, 23)
    assert first.responsible_unit == org_tree["network"]  # the type's unit
    (period,) = first.responsibilities.all()
    assert period.unit == org_tree["network"] and period.ended_at is None
    # Personal data is masked in the change log.
    change = ObjectChange.objects.filter(object_id=str(first.pk)).first()
    assert "10000000146" not in str(change.postchange_data)


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"tc_kimlik_no": "12345678901"}, "tc_kimlik_no"),
        ({"received_on": date(2026, 11, 13)}, "received_on"),
        ({"form_data": {}}, "form_data"),
        ({"subject": ""}, "subject"),
        ({"applicant_name": ""}, "applicant_name"),
        ({"channel_due_date": date(2026, 11, 1)}, "channel_due_date"),
        ({"tax_number": "12AB"}, "tax_number"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_receive_refuses_with_the_field_and_saves_nothing(clerk, bilgi_edinme, extra, field):
    with pytest.raises(ValidationError) as refused:
        receive(clerk, bilgi_edinme, **extra)
    assert field in refused.value.message_dict
    assert nothing_saved()


def test_receive_needs_a_unit_and_the_permission_there(clerk, make_user, org_tree, bilgi_edinme):
    bilgi_edinme.unit = None
    bilgi_edinme.save()
    with pytest.raises(ValidationError) as refused:
        receive(clerk, bilgi_edinme)
    assert "responsible_unit" in refused.value.message_dict
    outsider = make_user("applications_clerk", org_tree["roads"])
    with pytest.raises(PermissionDenied):
        receive(outsider, bilgi_edinme, responsible_unit=org_tree["network"])
    assert nothing_saved()


def test_route_keeps_the_history_and_needs_a_reason(clerk, bilgi_edinme, org_tree):
    application = receive(clerk, bilgi_edinme)
    with pytest.raises(ValidationError) as refused:
        services.route_application(
            user=clerk, application=application, unit=org_tree["software"], reason=" "
        )
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.route_application(
            user=clerk, application=application, unit=org_tree["network"], reason="aynı"
        )
    assert application.responsibilities.count() == 1
    services.route_application(
        user=clerk, application=application, unit=org_tree["software"], reason="Yazılım konusu"
    )
    application.refresh_from_db()
    assert application.responsible_unit == org_tree["software"]
    periods = list(application.responsibilities.order_by("started_at", "id"))
    assert [p.unit for p in periods] == [org_tree["network"], org_tree["software"]]
    assert periods[0].ended_at is not None and periods[1].ended_at is None
    assert periods[1].reason == "Yazılım konusu" and periods[1].changed_by == clerk


def test_extension_once_with_a_reason_within_the_period(clerk, responder, bilgi_edinme, dilekce):
    application = receive(clerk, bilgi_edinme)
    with pytest.raises(ValidationError):
        services.extend_application(user=responder, application=application, reason="", today=TODAY)
    with pytest.raises(ValidationError) as late:
        services.extend_application(
            user=responder, application=application, reason="Görüş", today=date(2026, 11, 24)
        )
    assert "reason" in late.value.message_dict
    extended = services.extend_application(
        user=responder, application=application, reason="Başka birimden görüş", today=TODAY
    )
    assert extended.extended and extended.due_date == date(2026, 12, 14)
    with pytest.raises(ValidationError):
        services.extend_application(
            user=responder, application=application, reason="yine", today=TODAY
        )
    petition = receive(clerk, dilekce, form_data={})
    with pytest.raises(ValidationError):
        services.extend_application(user=responder, application=petition, reason="x", today=TODAY)
    assert not Application.objects.get(pk=petition.pk).extended


def test_the_clerk_may_not_extend_or_answer(clerk, bilgi_edinme):
    application = receive(clerk, bilgi_edinme)
    with pytest.raises(PermissionDenied):
        services.extend_application(user=clerk, application=application, reason="x", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.record_outcome(
            user=clerk, application=application, outcome="answered", note="x", today=TODAY
        )


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"outcome": "refused", "refusal_ground": ""}, "refusal_ground"),
        ({"outcome": "forwarded", "forwarded_to": ""}, "forwarded_to"),
        ({"outcome": "answered", "note": ""}, "note"),
        ({"outcome": "answered", "answered_on": date(2026, 11, 13)}, "answered_on"),
        ({"outcome": "answered", "answered_on": date(2026, 11, 1)}, "answered_on"),
        ({"outcome": "open"}, "outcome"),
    ],
)
def test_outcome_refusals(clerk, responder, bilgi_edinme, extra, field):
    application = receive(clerk, bilgi_edinme)
    values = {"note": "Bilgi verildi.", **extra}
    with pytest.raises(ValidationError) as refused:
        services.record_outcome(user=responder, application=application, today=TODAY, **values)
    assert field in refused.value.message_dict
    assert Application.objects.get(pk=application.pk).state == "open"


def test_outcomes(clerk, responder, bilgi_edinme):
    refused = services.record_outcome(
        user=responder,
        application=receive(clerk, bilgi_edinme),
        outcome="refused",
        refusal_ground="4982 md. 25 (ticari sır)",
        note="Talep reddedildi.",
        today=TODAY,
    )
    assert refused.state == "refused" and refused.answered_on == TODAY
    forwarded = services.record_outcome(
        user=responder,
        application=receive(clerk, bilgi_edinme),
        outcome="forwarded",
        forwarded_to="Trabzon Valiliği",
        note="Yetkili kuruma gönderildi.",
        today=TODAY,
    )
    assert forwarded.forwarded_to == "Trabzon Valiliği"
    with pytest.raises(ValidationError):
        services.record_outcome(
            user=responder, application=forwarded, outcome="answered", note="x", today=TODAY
        )


def test_personal_data_is_revealed_only_to_its_holders_and_logged(
    clerk, responder, make_user, org_tree, bilgi_edinme
):
    application = receive(clerk, bilgi_edinme, phone="0532 111 22 33")
    data = services.reveal_personal_data(user=responder, application=application, reason="cevap")
    assert data["tc_kimlik_no"] == "10000000146" and data["phone"] == "0532 111 22 33"
    (access,) = views_of(application)
    assert access.user == responder and "tc_kimlik_no" in access.fields
    technician = make_user("technician", org_tree["network"])
    with pytest.raises(PermissionDenied):
        services.reveal_personal_data(user=technician, application=application)
    assert views_of(application).count() == 1
    assert application.masked_tc_kimlik_no == "*********46"


def test_reminders_then_escalation_once_each(clerk, responder, make_user, org_tree, bilgi_edinme):
    from biys.notifications.models import Notification

    manager = make_user("applications_manager", org_tree["dept"])
    application = receive(clerk, bilgi_edinme)  # due 2026-11-23 (Monday)
    assert services.check_deadlines(today=date(2026, 11, 12)) == {"reminded": 0, "escalated": 0}
    # Three working days before: the responders hear of it.
    assert services.check_deadlines(today=date(2026, 11, 18)) == {"reminded": 1, "escalated": 0}
    assert Notification.objects.filter(recipient=responder).count() == 1
    assert services.check_deadlines(today=date(2026, 11, 18)) == {"reminded": 0, "escalated": 0}
    # One working day before (the Friday): escalated to the managers, once.
    assert services.check_deadlines(today=date(2026, 11, 20)) == {"reminded": 0, "escalated": 1}
    assert Notification.objects.filter(recipient=manager).count() == 2  # reminder, escalation
    assert services.check_deadlines(today=date(2026, 11, 23)) == {"reminded": 0, "escalated": 0}
    application.refresh_from_db()
    assert application.reminded_at and application.escalated_at


def test_the_beat_task_runs_in_process(clerk, bilgi_edinme):
    from biys.applications.tasks import check_deadlines

    receive(clerk, bilgi_edinme)  # due 2026-11-23: escalated (no reminder first) when run later
    result = check_deadlines.delay().get()
    assert result == {"reminded": 0, "escalated": 1}


def test_documents_are_attached_by_the_clerk_and_read_with_the_reveal_permission(
    clerk, responder, make_user, org_tree, bilgi_edinme
):
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from biys.attachments.models import Attachment
    from biys.attachments.tests import samples

    application = receive(clerk, bilgi_edinme, today=None, received_on=date.today())
    url = reverse(
        "attachments:for_object",
        kwargs={
            "content_type_id": ContentType.objects.get_for_model(Application).pk,
            "object_id": application.pk,
        },
    )
    client = Client()
    client.force_login(clerk)
    upload = {"file": SimpleUploadedFile("dilekce.pdf", samples.pdf()), "description": "Dilekçe"}
    assert client.post(url, upload).status_code == 200
    assert Attachment.objects.count() == 1
    client.force_login(responder)
    assert "dilekce.pdf" in client.get(url).content.decode()
    client.force_login(make_user("technician", org_tree["network"]))  # sees the application
    assert "dilekce.pdf" not in client.get(url).content.decode()
