from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from biys.attachments.models import Attachment
from biys.core.personal_data import subject_digest, views_of
from biys.evrak import selectors, services
from biys.evrak.choices import Confidentiality, SenderKind, Urgency
from biys.evrak.models import IncomingDocument, SdpCode
from biys.evrak.tests.conftest import MONDAY_MORNING
from biys.evrak.tests.factories import make_document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def register(user, unit, **fields):
    values = {
        "user": user,
        "receiving_unit": unit,
        "subject": "Kent bilgi sistemi veri paylaşımı",
        "sender_kind": SenderKind.INSTITUTION,
        "sender_name": "Çevre, Şehircilik ve İklim Değişikliği Bakanlığı",
        "sender_detsis_no": "24312041",
        "sender_number": "E-24312041-702.03-118",
        "sender_date": date(2026, 10, 30),
        "registered_at": MONDAY_MORNING,
    }
    values.update(fields)
    return services.register_incoming_document(**values)


def test_registry_numbers_are_yearly_and_consecutive(clerk, org_tree):
    first = register(clerk, org_tree["network"])
    second = register(clerk, org_tree["network"])
    next_year = register(
        clerk, org_tree["network"], registered_at=MONDAY_MORNING.replace(year=2027)
    )
    assert (first.number, second.number) == ("GE-2026-000001", "GE-2026-000002")
    assert next_year.number == "GE-2027-000001" and next_year.year == 2027
    assert first.registered_by == clerk


def test_each_sender_kind_needs_its_own_identifier(clerk, org_tree):
    unit = org_tree["network"]
    with pytest.raises(ValidationError) as error:
        register(clerk, unit, sender_detsis_no="")
    assert "sender_detsis_no" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        register(clerk, unit, sender_detsis_no="2431204")  # seven digits
    assert "sender_detsis_no" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        register(clerk, unit, sender_kind=SenderKind.COMPANY, sender_detsis_no="")
    assert "sender_vkn" in error.value.message_dict
    company = register(
        clerk,
        unit,
        sender_kind=SenderKind.COMPANY,
        sender_detsis_no="",
        sender_name="Örnek Yazılım A.Ş.",
        sender_mersis_no="0922003497008217",
    )
    assert company.sender_identifier == "MERSİS 0922003497008217"
    with pytest.raises(ValidationError) as error:
        register(
            clerk, unit, sender_kind=SenderKind.COMPANY, sender_detsis_no="", sender_vkn="12345"
        )
    assert "sender_vkn" in error.value.message_dict
    assert IncomingDocument.objects.count() == 1


def test_a_person_sender_has_a_checked_tc_kimlik_number_masked_and_view_logged(
    clerk, reader, org_tree
):
    unit = org_tree["network"]
    person = {
        "sender_kind": SenderKind.PERSON,
        "sender_detsis_no": "",
        "sender_name": "Ayşe Yılmaz",
    }
    with pytest.raises(ValidationError) as error:
        register(clerk, unit, sender_tc_kimlik_no="10000000147", **person)
    assert "sender_tc_kimlik_no" in error.value.message_dict
    document = register(clerk, unit, sender_tc_kimlik_no="10000000146", **person)
    assert document.sender_identifier == "TCKN *********46"
    assert selectors.may_reveal(clerk, document) and not selectors.may_reveal(reader, document)
    with pytest.raises(PermissionDenied):
        services.reveal_sender_data(user=reader, document=document)
    shown = services.reveal_sender_data(user=clerk, document=document, reason="cevap yazısı")
    assert shown == {"sender_tc_kimlik_no": "10000000146"}
    access = views_of(document).get()
    assert (access.user, access.reason, access.fields) == (
        clerk,
        "cevap yazısı",
        "sender_tc_kimlik_no",
    )
    assert access.subject == subject_digest("10000000146")
    # The change log keeps the number masked.
    from biys.core.models import ObjectChange

    change = ObjectChange.objects.filter(object_id=str(document.pk)).latest("id")
    assert "10000000146" not in str(change.postchange_data)


def test_a_dated_document_is_due_on_a_working_day(clerk, org_tree):
    unit = org_tree["network"]
    by_days = register(clerk, unit, urgency=Urgency.DATED, due_in_working_days=5)
    assert by_days.due_date == date(2026, 11, 9)
    saturday = register(clerk, unit, urgency=Urgency.DATED, due_date=date(2026, 11, 7))
    assert saturday.due_date == date(2026, 11, 9)
    with pytest.raises(ValidationError) as error:
        register(clerk, unit, urgency=Urgency.DATED)
    assert "due_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        register(clerk, unit, urgency=Urgency.URGENT, due_date=date(2026, 11, 7))
    assert register(clerk, unit, urgency=Urgency.URGENT).due_date is None


def test_only_the_units_clerk_registers(clerk, reader, make_user, org_tree):
    with pytest.raises(PermissionDenied):
        register(reader, org_tree["network"])
    with pytest.raises(PermissionDenied):
        register(make_user("evrak_clerk", org_tree["roads"]), org_tree["network"])
    chief = make_user("chief", org_tree["network"])
    with pytest.raises(PermissionDenied):
        register(chief, org_tree["network"])
    assert not IncomingDocument.objects.exists()


def test_confidential_documents_are_for_named_people_only(clerk, reader, make_user, org_tree):
    unit = org_tree["network"]
    named = make_user("evrak_reader", org_tree["network"])
    outsider = make_user(None, org_tree["roads"])
    head = make_user("department_head", org_tree["dept"])
    admin = make_user(None, None, superuser=True)
    secret = register(
        clerk, unit, confidentiality=Confidentiality.SECRET, named_readers=[named, outsider]
    )
    plain = register(clerk, unit, confidentiality=Confidentiality.RESTRICTED)
    assert set(secret.named_readers.all()) == {named, outsider, clerk}

    def sees(user):
        return set(selectors.documents_visible_to(user))

    assert sees(named) == {secret, plain}
    assert sees(outsider) == {secret}  # named: seen without a role over the unit
    assert sees(reader) == sees(head) == sees(admin) == {plain}
    assert sees(clerk) == {secret, plain}
    # Changing needs both the unit role and the name.
    changeable = IncomingDocument.objects.restrict(outsider, "change")
    assert not changeable.filter(pk=secret.pk).exists()
    services.set_named_readers(user=clerk, document=secret, readers=[clerk])
    assert sees(named) == {plain}
    with pytest.raises(PermissionDenied):
        services.set_named_readers(user=head, document=secret, readers=[head])
    with pytest.raises(ValidationError):
        services.set_named_readers(user=clerk, document=secret, readers=[])


def test_ilgi_lines_and_scans(clerk, org_tree):
    unit = org_tree["network"]
    earlier = register(clerk, unit)
    scan = SimpleUploadedFile("tarama.pdf", PDF, content_type="application/pdf")
    document = register(
        clerk,
        unit,
        related=[earlier],
        reference_texts=["Bakanlığın 12.10.2026 tarihli ve E-24312041-702.03-90 sayılı yazısı"],
        scans=[scan],
    )
    references = list(document.references.all())
    assert [(ref.label, ref.related, ref.text[:10]) for ref in references] == [
        ("a", earlier, ""),
        ("b", None, "Bakanlığın"),
    ]
    attachment = Attachment.objects.get(object_id=str(document.pk))
    assert attachment.mime_type == "application/pdf"


def test_a_refused_scan_leaves_nothing(clerk, org_tree):
    program = SimpleUploadedFile("tarama.pdf", b"MZ" + b"This program cannot be run in DOS mode")
    with pytest.raises(ValidationError):
        register(clerk, org_tree["network"], scans=[program])
    assert not IncomingDocument.objects.exists()
    assert not Attachment.objects.exists()


def test_ilgi_to_a_document_out_of_sight_is_refused(clerk, make_user, org_tree):
    hidden = make_document(org_tree["roads"])
    with pytest.raises(ValidationError):
        register(clerk, org_tree["network"], related=[hidden])


@translation.override("en")
def test_the_sample_file_plan_loads_and_reloads(tmp_path):
    added, updated = services.load_sample_sdp_codes()
    assert added >= 4 and updated == 0
    assert SdpCode.objects.get(code="030.04.02").is_sample
    assert services.load_sample_sdp_codes() == (0, 0)
    rows, errors = services.parse_sdp_csv(
        "\ufeffcode;title\n030.04.02;Teknik şartnameler (kurum)\n30.1;Bozuk\n040;\n"
    )
    assert [(row["code"], row["title"]) for row in rows] == [
        ("030.04.02", "Teknik şartnameler (kurum)")
    ]
    assert rows[0]["unit_retention_years"] is None  # no column: not given
    assert len(errors) == 2 and "Line 3" in errors[0]
    assert services.load_sdp_codes(rows=rows) == (0, 1)
    code = SdpCode.objects.get(code="030.04.02")
    assert not code.is_sample and code.title.endswith("(kurum)")
    # A row without periods leaves the sample's periods as they were.
    assert (code.unit_retention_years, code.archive_retention_years) == (3, 7)


def test_the_services_and_the_models_errors_on_one_field_are_both_reported(
    clerk, org_tree, monkeypatch
):
    def model_refuses(self, *args, **kwargs):
        raise ValidationError({"sender_date": ["The model refuses it too."]})

    monkeypatch.setattr(IncomingDocument, "full_clean", model_refuses)
    with pytest.raises(ValidationError) as refused:
        register(clerk, org_tree["network"], sender_date=date(2027, 1, 1))
    messages = refused.value.message_dict["sender_date"]
    assert len(messages) == 2 and "The model refuses it too." in messages
    assert not IncomingDocument.objects.exists()
