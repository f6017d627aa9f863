"""The three modules' own personal-data logs move into the one log, entries and all."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from biys.core.personal_data import subject_digest

BEFORE = [
    ("core", "0005_personal_data_views"),
    ("org", "0007_verbose_names"),
]
AFTER = [("org", "0008_personal_data_views_in_core")]


@pytest.mark.django_db(transaction=True)
def test_the_org_log_moves_into_the_one_log_with_its_times(org_tree, make_user):
    user = make_user("chief", org_tree["network"])
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    unit = old.get_model("org", "Unit").objects.get(pk=org_tree["network"].pk)
    person = old.get_model("org", "Person").objects.create(
        unit=unit, first_name="Ayşe", last_name="Yılmaz", tc_kimlik_no="10000000146"
    )
    log = old.get_model("org", "PersonalDataAccess")
    entry = log.objects.create(
        user_id=user.pk, person=person, fields="tc_kimlik_no", reason="Bordro"
    )
    then = timezone.now() - timezone.timedelta(days=400)
    log.objects.filter(pk=entry.pk).update(time=then)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    (moved,) = new.get_model("core", "PersonalDataView").objects.all()
    assert (moved.user_id, moved.object_id, moved.object_repr) == (
        user.pk,
        str(person.pk),
        "Ayşe Yılmaz",
    )
    assert (moved.unit_id, moved.fields, moved.reason) == (unit.pk, "tc_kimlik_no", "Bordro")
    assert moved.time == then and moved.subject == subject_digest("10000000146")
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
