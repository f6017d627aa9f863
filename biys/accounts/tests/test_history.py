import pytest
from django.urls import reverse

from biys.accounts import services
from biys.accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def test_user_page_shows_its_change_history_to_change_log_readers(client, org_tree, make_user):
    admin = make_user("administrator", org_tree["dept"])
    clerk = make_user("technician", org_tree["network"], first_name="Ayşe")
    services.update_user(actor=admin, user=clerk, first_name="Ayşegül")

    client.force_login(admin)
    page = client.get(reverse("accounts:user", args=[clerk.pk])).content.decode()

    assert "Ayşe" in page and "Ayşegül" in page
    assert 'class="before">Ayşe<' in page


def test_role_page_shows_history_only_to_change_log_readers(client, org_tree, make_user):
    role = Role.objects.get(slug="technician")
    role.description = "Kuyruktaki işleri yürütür."
    role.save()
    # Roles belong to no unit: their history is for readers of the whole municipality's log.
    auditor = make_user("auditor", org_tree["dept"])
    RoleAssignment.objects.create(
        user=auditor, role=Role.objects.get(slug="auditor"), unit=org_tree["roads"]
    )
    requester = make_user("requester", org_tree["roads"])

    client.force_login(auditor)
    page = client.get(reverse("accounts:role", args=[role.pk])).content.decode()
    assert 'class="after">Kuyruktaki işleri yürütür.<' in page

    client.force_login(requester)
    response = client.get(reverse("accounts:role", args=[role.pk]))
    assert response.status_code in (200, 404)
    assert "changelog-diff" not in response.content.decode()


def test_user_page_history_shows_the_roles_granted(client, org_tree, make_user):
    admin = make_user("administrator", org_tree["dept"])
    clerk = make_user("requester", org_tree["network"])
    client.force_login(admin)
    client.post(
        reverse("accounts:assignment_add", args=[clerk.pk]),
        {
            "role": Role.objects.get(slug="technician").pk,
            "unit": org_tree["helpdesk"].pk,
            "include_subtree": "on",
        },
    )
    page = client.get(reverse("accounts:user", args=[clerk.pk])).content.decode()
    history = page[page.index("changelog-diff") :]
    assert org_tree["helpdesk"].name in history
