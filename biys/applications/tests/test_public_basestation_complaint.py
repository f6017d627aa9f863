"""A resident's base-station complaint from the public form: filed without an account with the
station's place (and, optionally, its coordinates), bounded like every public application,
received as the complaint type in its responsible unit with the legal deadline, then tied to
the site by the staff with the personal data masked."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import override_settings

from biys.applications import services, tracking
from biys.applications.basestation import selectors as site_selectors
from biys.applications.basestation import services as site_services
from biys.applications.choices import Channel
from biys.applications.deadlines import deadline_for
from biys.applications.models import Application
from biys.applications.tests.factories import make_site, site_permit_type
from biys.applications.tests.test_public_form import PUBLIC, VALID_TC
from biys.calendar.selectors import get_calendar

pytestmark = pytest.mark.django_db

LOCATION = {"name": "konum", "label": "Şikâyet edilen istasyonun konumu", "required": True}


@pytest.fixture(autouse=True)
def _clear_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def complaint_type(org_tree):
    """The shipped complaint type: public, with its location field (types.yaml)."""
    application_type = site_permit_type(
        org_tree["network"], code=site_selectors.COMPLAINT_TYPE_CODE
    )
    application_type.form_fields = [LOCATION]
    application_type.save()
    return application_type


def complaint_answers(**changes):
    data = {
        "applicant_kind": "person",
        "applicant_name": "Ayşe Yılmaz",
        "tc_kimlik_no": VALID_TC,
        "email": "ayse@example.com",
        "phone": "0532 000 00 00",
        "address": "Gül Sk. No 3, Çankaya",
        "subject": "Çatıdaki baz istasyonu",
        "description": "Binanın karşısındaki çatıya bir anten kuruldu, izinli mi?",
        "field_konum": "Çankaya Mah. Atatürk Cd. No 5 çatısı",
        "latitude": "36,81210004",  # a phone's map gives more decimals: six are kept
        "longitude": "34.6415",
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


URL = f"/?type={site_selectors.COMPLAINT_TYPE_CODE}"


def test_a_resident_files_a_base_station_complaint_on_the_public_form(client, complaint_type):
    with PUBLIC:
        listed = client.get("/").content.decode()
        assert complaint_type.name in listed
        form_page = client.get(URL).content.decode()
        assert 'name="field_konum"' in form_page and 'name="latitude"' in form_page
        response = client.post(URL, complaint_answers())
    assert response.status_code == 201, response.content.decode()
    application = Application.objects.get()
    assert application.type == complaint_type
    assert application.channel == Channel.WEB and application.created_by is None
    assert application.responsible_unit == complaint_type.unit
    assert application.due_date == deadline_for(
        complaint_type, application.received_on, calendar=get_calendar()
    )
    assert application.form_data == {
        "konum": "Çankaya Mah. Atatürk Cd. No 5 çatısı",
        "enlem": "36.812100",
        "boylam": "34.641500",
    }
    code = tracking.normalised(response.context["code"])
    assert application.tracking_digest == tracking.digest(code)
    assert application.responsibilities.count() == 1


def test_the_coordinates_are_optional(client, complaint_type):
    with PUBLIC:
        response = client.post(URL, complaint_answers(latitude="", longitude=None))
    assert response.status_code == 201, response.content.decode()
    assert Application.objects.get().form_data == {"konum": "Çankaya Mah. Atatürk Cd. No 5 çatısı"}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"field_konum": ""}, {"field_konum"}),
        ({"latitude": "91"}, {"latitude"}),
        ({"longitude": "doğu"}, {"longitude"}),
        ({"longitude": ""}, {"longitude"}),  # a latitude alone
        ({"description": "", "address": ""}, {"description", "address"}),
        ({"tc_kimlik_no": "12345678901"}, {"tc_kimlik_no"}),
    ],
)
def test_bad_answers_are_refused_at_their_fields(client, complaint_type, changes, fields):
    with PUBLIC:
        response = client.post(URL, complaint_answers(**changes))
    assert response.status_code == 400
    assert fields <= set(response.context["form"].errors)
    assert not Application.objects.exists()


def test_only_the_complaint_type_takes_coordinates(complaint_type, bilgi_edinme):
    bilgi_edinme.public = True
    bilgi_edinme.save()
    with pytest.raises(Exception) as refused:
        services.file_public_application(
            type=bilgi_edinme, subject="Bilgi", description="Liste", applicant_name="Ayşe",
            address="Merkez", tc_kimlik_no=VALID_TC, form_data={"istenen_bilgi": "liste"},
            latitude=Decimal("36.8"), longitude=Decimal("34.6"),
        )  # fmt: skip
    assert "latitude" in refused.value.message_dict
    assert not Application.objects.exists()


@override_settings(BIYS_PUBLIC_FILINGS_PER_HOUR=2)
def test_the_filing_limit_applies_to_complaints(client, complaint_type):
    with PUBLIC:
        for _ in range(2):
            assert client.post(URL, complaint_answers()).status_code == 201
        limited = client.post(URL, complaint_answers())
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert Application.objects.count() == 2


@override_settings(BIYS_PUBLIC_UPLOAD_MAX_BYTES=1024)
def test_the_size_cap_applies_to_complaints(client, complaint_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("foto.pdf", b"%PDF-1.4\n" + b"0" * 400_000)
    with PUBLIC:
        response = client.post(URL, complaint_answers(files=big))
    assert response.status_code == 413
    assert not Application.objects.exists()


def test_the_staff_tie_it_to_the_site_with_the_personal_data_masked(
    client, complaint_type, org_tree, make_user, monkeypatch
):
    received = date.today()
    application, _code = services.file_public_application(
        type=complaint_type, subject="Çatıdaki anten", description="İzinli mi?",
        applicant_name="Ayşe Yılmaz", address="Gül Sk. No 3", tc_kimlik_no=VALID_TC,
        phone="05320000000", form_data={"konum": "Atatürk Cd. No 5 çatısı"},
        latitude=Decimal("36.8121"), longitude=Decimal("34.6415"), today=received,
    )  # fmt: skip
    monkeypatch.setattr("biys.applications.selectors.today", lambda: received + timedelta(1))
    site = make_site(org_tree["network"], site_code="MER0123")
    responder = make_user("applications_responder", org_tree["network"])
    client.force_login(responder)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Atatürk Cd. No 5 çatısı" in page and "36,812100° K, 34,641500° D" in page
    assert VALID_TC not in page and "Gül Sk." not in page and "05320000000" not in page
    manager = make_user("applications_manager", org_tree["network"])
    client.force_login(manager)
    assert (
        'data-testid="link-site-form"'
        in client.get(application.get_absolute_url()).content.decode()
    )
    complaint = site_services.link_complaint(user=manager, application=application, site=site)
    assert complaint.site == site and site.complaints.get() == complaint
