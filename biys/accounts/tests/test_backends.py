"""A signed-in request reads its user and the user's person in one query (the top bar shows
the person's initials on every page)."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from biys.accounts.backends import ModelBackend
from biys.accounts.ldap import BiysLDAPBackend
from biys.accounts.models import User
from biys.core.templatetags.biys import initials
from biys.org.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_with_person(org_tree):
    person = make_person(org_tree["network"])
    person.first_name, person.last_name = "İsmail", "Işık"
    person.save()
    return User.objects.create_user(username="iisik", password=None, person=person)


@pytest.mark.parametrize("backend_class", [ModelBackend, BiysLDAPBackend])
def test_get_user_reads_the_person_in_the_same_query(user_with_person, backend_class):
    with CaptureQueriesContext(connection) as queries:
        user = backend_class().get_user(user_with_person.pk)
        assert initials(user) == "İI"
    assert len(queries) == 1
    assert "org_person" in queries[0]["sql"]


def test_unknown_or_inactive_user(user_with_person):
    assert ModelBackend().get_user(10**9) is None
    User.objects.filter(pk=user_with_person.pk).update(is_active=False)
    assert ModelBackend().get_user(user_with_person.pk) is None


def test_a_page_reads_no_person_of_its_own(client, user_with_person):
    client.force_login(user_with_person)
    assert client.session[BACKEND_SESSION_KEY] == "biys.accounts.backends.ModelBackend"
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert "İI" in response.content.decode()
    person_reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "org_person"')]
    assert person_reads == []
