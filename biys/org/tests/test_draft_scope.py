"""Confirming a regulation draft gives duties only to units the confirming administrator holds
the import permission over (or to the units the draft itself creates there)."""

import json

import pytest
from django.core.exceptions import ValidationError

from biys.org.models import Duty, RegulationDraft
from biys.org.services_drafts import confirm_regulation_draft
from biys.org.tests.test_importer_views import SMALL_TEXT, upload

pytestmark = pytest.mark.django_db


def test_a_section_administrator_gives_no_duty_outside_their_scope(client, make_user, org_tree):
    section_admin = make_user("administrator", org_tree["helpdesk"])
    client.force_login(section_admin)
    assert upload(client, SMALL_TEXT.encode(), unit=org_tree["helpdesk"]).status_code == 302
    draft = RegulationDraft.objects.latest("pk")
    # The draft's network unit is, by its name, the software branch outside the admin's scope.
    outside = org_tree["software"]
    data = json.loads(
        json.dumps(draft.data, ensure_ascii=False).replace("Ağ Yönetimi Birimi", outside.name)
    )
    for row in data["units"]:
        if row["name"] == outside.name:
            row["parent"] = None
            row.pop("parent_unit", None)
    draft.data = data
    draft.save()

    with pytest.raises(ValidationError):
        confirm_regulation_draft(draft=draft, user=section_admin)
    assert not Duty.objects.filter(unit=outside).exists()
