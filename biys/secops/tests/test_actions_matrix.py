"""Every findings action, through its page and the API, for every role inside and outside the
finding's unit: seeing it, each lifecycle step, importing a report. Who may act is computed from
the role definitions, so a new role joins by itself. Each request runs in a savepoint rolled
back, so one finding serves the whole matrix; on PostgreSQL each role runs inside its unit only."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from biys.secops import services
from biys.secops.choices import State
from biys.secops.models import Finding, ScanImport
from biys.secops.tests.conftest import sample
from biys.secops.tests.factories import make_finding
from tests.permissions.matrix import ROLE_SPECS, role_cases, rolled_back

pytestmark = pytest.mark.django_db

# step -> (the state the finding is put in first, the API path)
STEPS = {
    "start": (State.OPEN, "start"),
    "fix": (State.IN_REMEDIATION, "fix"),
    "false_positive": (State.OPEN, "false-positive"),
    "accept_risk": (State.OPEN, "accept-risk"),
    "reopen": (State.FIXED, "reopen"),
}


def may(role: str, inside: bool, perm: str) -> bool:
    return inside and ROLE_SPECS[role].matches(perm)


def test_every_action_for_every_role(org_tree, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = org_tree["network"]
    finding = make_finding(unit)
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    failures = []

    def check(where, what, status, allowed, ok=(200, 302)):
        refused = (403, 404)
        if (status in ok) != allowed or (not allowed and status not in refused):
            failures.append(f"{where}: {what} -> {status}")

    for role, inside in role_cases():
        user = make_user(role, unit if inside else org_tree["roads"])
        where = f"{role} {'inside' if inside else 'outside'}"
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        view = may(role, inside, "secops.view_finding")

        check(where, "detail", page.get(finding.get_absolute_url()).status_code, view)
        check(where, "API detail", api.get(f"/api/v1/secops/findings/{finding.pk}/").status_code, view)  # fmt: skip
        listed = api.get("/api/v1/secops/findings/").json()["results"]
        if bool(listed) != view:
            failures.append(f"{where}: API list shows {len(listed)}")

        for step, (state, path) in STEPS.items():
            allowed = view and may(role, inside, services.TRANSITIONS[step].perm)
            body = {"note": "Matris", "until": until}
            form = {f"{step}-note": "Matris", f"{step}-until": until}

            def by_page(step=step, state=state, form=form, page=page):
                Finding.objects.filter(pk=finding.pk).update(state=state)
                url = reverse("secops:finding_action", args=[finding.pk, step])
                status = page.post(url, form).status_code
                return status, Finding.objects.get(pk=finding.pk).state != state

            def by_api(path=path, state=state, body=body, api=api):
                Finding.objects.filter(pk=finding.pk).update(state=state)
                url = f"/api/v1/secops/findings/{finding.pk}/{path}/"
                status = api.post(url, body, format="json").status_code
                return status, Finding.objects.get(pk=finding.pk).state != state

            for how, send in (("page", by_page), ("API", by_api)):
                status, changed = rolled_back(send)
                check(where, f"{how} {step}", status, allowed)
                if changed != allowed:
                    failures.append(f"{where}: {how} {step} changed = {changed}")

        importer = may(role, inside, services.IMPORT)

        def upload_page(page=page):
            file = SimpleUploadedFile("one_vuln.xml", sample("one_vuln.xml"))
            response = page.post(reverse("secops:scanimport_add"), {"file": file, "unit": unit.pk})
            return response.status_code, ScanImport.objects.exists()

        def upload_api(api=api):
            file = SimpleUploadedFile("one_vuln.xml", sample("one_vuln.xml"))
            response = api.post(
                "/api/v1/secops/imports/", {"file": file, "unit": unit.pk}, format="multipart"
            )
            return response.status_code, ScanImport.objects.exists()

        for how, send, ok in (("page", upload_page, (302,)), ("API", upload_api, (201,))):
            status, created = rolled_back(send)
            # A unit outside the user's scope may be refused as an invalid choice (400).
            refused_ok = status in (400, 403, 404)
            if (
                importer != (status in ok)
                or (not importer and not refused_ok)
                or created != importer
            ):
                failures.append(f"{where}: {how} import -> {status}, created = {created}")
    assert not failures, "\n".join(failures)
