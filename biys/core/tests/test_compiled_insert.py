"""The INSERT written once per shape (``biys.core.compiled_insert``) is the one Django writes,
and whatever it cannot write exactly so takes Django's own path."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Value
from django.db.models.sql import InsertQuery

from biys.core import compiled_insert
from biys.core.compiled_insert import CompiledInsertModel, insert_sql

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (
        model
        for model in apps.get_models()
        if issubclass(model, CompiledInsertModel) and not model._meta.proxy
    ),
    key=lambda model: model._meta.label,
)


def _insert_fields(model):
    meta = model._meta
    return [
        field
        for field in meta.local_concrete_fields
        if field is not meta.auto_field and not field.generated
    ]


def test_the_business_models_insert_through_it():
    labels = {model._meta.label for model in MODELS}
    assert {"servicedesk.Ticket", "servicedesk.TicketResponsibility", "org.Person"} <= labels


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_the_sql_is_the_one_django_writes(model):
    fields = _insert_fields(model)
    returning = model._meta.db_returning_fields
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = returning
    (django_sql, _params), *_ = compiler.as_sql()
    ours = insert_sql(connection, model, fields, returning)
    if ours is None:  # e.g. a field with a placeholder of its own: Django's path
        return
    assert ours[0] == django_sql


def test_a_filed_ticket_is_inserted_by_the_kept_sql_and_reads_back_the_same(org_tree):
    from biys.servicedesk.models import Ticket
    from biys.servicedesk.tests.factories import make_ticket_in

    compiled_insert._statements.clear()
    ticket = make_ticket_in(org_tree["helpdesk"])
    kept = [value for key, value in compiled_insert._statements.items() if key[1] is Ticket]
    assert kept and kept[0] is not None
    stored = Ticket.objects.get(pk=ticket.pk)
    for field in Ticket._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(ticket, field.attname), field.name
    assert stored.created is not None and stored.last_updated is not None


@pytest.mark.parametrize("first_kept", [False, True])
def test_an_expression_takes_djangos_path(org_tree, first_kept, monkeypatch):
    from django.db.models import Model
    from django.utils import timezone

    from biys.servicedesk.models import TicketResponsibility
    from biys.servicedesk.tests.factories import make_ticket_in

    ticket = make_ticket_in(org_tree["helpdesk"])  # its own responsibility row: the SQL kept
    if not first_kept:
        compiled_insert._statements.clear()
    djangos = []
    original = Model._do_insert
    monkeypatch.setattr(
        Model, "_do_insert", lambda self, *args: djangos.append(self) or original(self, *args)
    )
    now = timezone.now()
    period = {"ticket": ticket, "unit": org_tree["network"], "started_at": now, "ended_at": now}
    by_django = TicketResponsibility.objects.create(reason=Value("Elle aktarıldı"), **period)
    assert djangos == [by_django]
    assert TicketResponsibility.objects.get(pk=by_django.pk).reason == "Elle aktarıldı"
    kept = TicketResponsibility.objects.create(reason="Geri alındı", **period)
    assert djangos == [by_django]  # the kept SQL wrote it
    assert TicketResponsibility.objects.get(pk=kept.pk).reason == "Geri alındı"
