"""The ``(unit) -> instance`` callables of the cross-module tests (the permission matrix), and
helpers for the app's own tests."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from biys.core.testing import register_factory
from biys.kvkk.choices import Channel, ListKind, RequestState, Right
from biys.kvkk.listdata import load_shipped
from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest

_numbers = count(1)


def item(kind: str, *, special: bool | None = None) -> ListItem:
    """A shipped entry of the list (loaded again if a transactional test emptied the table)."""
    if not ListItem.objects.filter(kind=kind).exists():
        load_shipped(ListItem)
    items = ListItem.objects.filter(kind=kind)
    if special is not None:
        items = items.filter(special=special)
    return items.order_by("position").first()


@register_factory(ListItem)
def make_list_item(unit=None, **fields):
    values = {"kind": ListKind.SUBJECT_GROUP, "name": f"Deneme grubu {next(_numbers)}"}
    values.update(fields)
    return ListItem.objects.create(**values)


@register_factory(ProcessingActivity)
def make_activity(unit, **fields):
    values = {
        "unit": unit,
        "name": f"Personel özlük dosyası {next(_numbers)}",
        "personal_data": "Ad soyad, TC kimlik no, adres",
        "retention_period": "Görevin sona ermesinden itibaren 10 yıl",
    }
    values.update(fields)
    activity = ProcessingActivity.objects.create(**values)
    activity.data_categories.set([item(ListKind.DATA_CATEGORY, special=False)])
    activity.purposes.set([item(ListKind.PURPOSE)])
    activity.legal_bases.set([item(ListKind.LEGAL_BASIS, special=False)])
    activity.subject_groups.set([item(ListKind.SUBJECT_GROUP)])
    return activity


@register_factory(SubjectRequest)
def make_request(unit, **fields):
    n = next(_numbers)
    received = timezone.localdate() - timedelta(days=3)
    values = {
        "number": f"KVKK-T-{n:05d}",
        "received_on": received,
        "due_date": received + timedelta(days=30),
        "channel": Channel.WRITTEN,
        "right": Right.LEARN,
        "request_text": "Hakkımda hangi verilerin işlendiğini öğrenmek istiyorum.",
        "applicant_name": f"Başvuran {n}",
        "tc_kimlik_no": "10000000146",
        "unit": unit,
        "state": RequestState.RECEIVED,
    }
    values.update(fields)
    return SubjectRequest.objects.create(**values)
