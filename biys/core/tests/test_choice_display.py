"""``get_FOO_display()`` of every business model answers as Django's does, from labels kept
per field and language instead of a dict rebuilt (every label translated) on each call."""

import inspect

import pytest
from django.db import models
from django.utils import translation

from biys.core.models import ChangeLoggedModel, choice_labels
from biys.servicedesk.models import Ticket


def test_every_business_models_display_uses_the_kept_labels():
    method = inspect.getattr_static(Ticket, "get_state_display")
    assert method.func is ChangeLoggedModel._get_FIELD_display


@pytest.mark.parametrize(
    ("language", "state", "priority"),
    [("tr", "Yeni", "Yüksek"), ("en", "New", "High")],
)
def test_the_label_is_djangos_in_the_active_language(language, state, priority):
    ticket = Ticket(state="new", priority=2)
    with translation.override(language):
        assert ticket.get_state_display() == state
        assert ticket.get_priority_display() == priority
        # Django's own method gives the same
        assert models.Model._get_FIELD_display(ticket, Ticket._meta.get_field("state")) == state


def test_a_value_outside_the_choices_is_shown_as_it_is():
    ticket = Ticket(state="archived-elsewhere", priority=None)
    assert ticket.get_state_display() == "archived-elsewhere"
    assert ticket.get_priority_display() is None


def test_labels_are_kept_per_field_and_language():
    field = Ticket._meta.get_field("state")
    with translation.override("tr"):
        first = choice_labels(field)
        assert choice_labels(field) is first
    with translation.override("en"):
        assert choice_labels(field) is not first
