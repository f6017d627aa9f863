"""Every role, inside and outside its unit, against every registered list, detail and edit page
(inside only on PostgreSQL: see placements)."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from biys.core.testing import FACTORIES
from tests.permissions.matrix import (
    ROLE_SPECS,
    may_change,
    may_delete,
    may_view,
    placements,
    ui_pages,
)

PAGES = ui_pages()

# Known failures owned by another module's engineers: {model label: reason}.
HISTORY_BROKEN: dict[str, str] = {}  # a model whose history page cannot be reached yet, and why


def test_the_matrix_covers_the_organisation_pages():
    assert {"org.unit", "org.person", "org.duty"} <= {page.label for page in PAGES}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.label)
def test_roles_inside_and_outside_their_unit(page, org_tree, make_user):
    obj = FACTORIES[page.model](org_tree["network"])
    detail_url = (
        reverse(page.detail_url_name, kwargs={"pk": obj.pk}) if page.detail_url_name else None
    )
    failures = []
    for role in ROLE_SPECS:
        for inside, unit in placements(org_tree):
            client = Client()
            client.force_login(make_user(role, unit))
            visible = may_view(page.model, role, inside)
            where = f"{role} {'inside' if inside else 'outside'}"
            if detail_url:
                status = client.get(detail_url).status_code
                if status != (200 if visible else 404):
                    failures.append(f"{where}: detail -> {status}")
            if page.list_url_name:
                response = client.get(reverse(page.list_url_name), {"per_page": 250})
                listed = detail_url is not None and detail_url in response.content.decode()
                # A work list may refuse outright (403) a user it is not meant for, such as the
                # IT queue for a requester, as long as it never shows them the object.
                refused = response.status_code == 403 and not visible
                if not refused and (
                    response.status_code != 200 or (detail_url and listed != visible)
                ):
                    failures.append(
                        f"{where}: list {response.status_code}, shows object = {listed}"
                    )
            if page.edit_url_name:
                status = client.get(reverse(page.edit_url_name, kwargs={"pk": obj.pk})).status_code
                allowed = {200} if may_change(page.model, role, inside) else {403, 404}
                if status not in allowed:
                    failures.append(f"{where}: edit -> {status}")
            if page.changelog_url_name:
                # The object's history: its view permission and the audit log's.
                url = reverse(page.changelog_url_name, kwargs={"pk": obj.pk})
                status = client.get(url).status_code
                history = visible and ROLE_SPECS[role].matches("core.view_objectchange")
                allowed = {200} if history else {403, 404}
                if status not in allowed and page.label not in HISTORY_BROKEN:
                    failures.append(f"{where}: history -> {status}")
            if page.delete_url_name:
                url = reverse(page.delete_url_name, kwargs={"pk": obj.pk})
                # In a savepoint rolled back, so the object stays for the next role.
                with transaction.atomic():
                    status = client.post(url).status_code
                    transaction.set_rollback(True)
                allowed = {302, 409} if may_delete(page.model, role, inside) else {403, 404}
                if status not in allowed:
                    failures.append(f"{where}: delete -> {status}, expected {allowed}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(org_tree):
    client = Client()
    for page in PAGES:
        if page.list_url_name:
            response = client.get(reverse(page.list_url_name))
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
                page.label
            )
