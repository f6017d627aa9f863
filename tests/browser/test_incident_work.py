"""An incident's response in Chromium: the SOME lead gives a responder a task, the responder
finishes it from 'my incident tasks'; USOM's list is uploaded and the incident's indicator shows
as listed; the year's statistics and their CSV. Leaves the screenshots incident-tasks.png,
usom-matches.png and incident-statistics.png."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tasks_usom_list_and_statistics(
    page, context, login_as, make_user, org_tree, screenshot, tmp_path, settings
):
    from django.utils import timezone

    from biys.secops import services
    from biys.secops.models import IncidentTask
    from biys.secops.tests.factories import make_incident

    settings.MEDIA_ROOT = tmp_path / "media"
    lead = make_user("some_lead", org_tree["dept"], first_name="Seda", last_name="Lider")
    member = make_user("some_member", org_tree["dept"], first_name="Mert", last_name="Üye")
    incident = make_incident(
        org_tree["dept"], title="Personele oltalama e-postası", personal_data=True
    )
    services.add_indicator(user=lead, incident=incident, kind="ip", value="198.51.100.23")
    services.add_indicator(
        user=lead, incident=incident, kind="url", value="https://e-devlet-dogrulama.example/giris"
    )

    login_as(lead)
    page.goto(incident.get_absolute_url())
    page.fill("#id_task-title", "Aynı e-postayı alan personeli belirle")
    page.locator("#id_task-assignee").select_option(str(member.pk))
    due = timezone.localtime() + timezone.timedelta(hours=3)
    page.fill("#id_task-due", due.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#task-form button[name=add-task]").click()
    expect(page.locator("#incident-tasks tbody tr[data-task]")).to_have_count(1)
    task = IncidentTask.objects.get()
    assert task.assignee == member

    # USOM's list, uploaded by hand: a broken file refused, then the list.
    broken = tmp_path / "kesik.json"
    broken.write_text('{"models": [{"url": "a.example"')
    page.goto("/secops/usom/upload/")
    page.set_input_files("#id_file", str(broken))
    page.locator("#usom-upload-form button[type=submit]").click()
    expect(page.locator("#usom-upload-form .invalid-feedback").first).to_be_visible()
    listing = tmp_path / "url-list.txt"
    listing.write_text("198.51.100.23\ne-devlet-dogrulama.example/giris\nkargo-takip.example\n")
    page.goto("/secops/usom/upload/")
    page.set_input_files("#id_file", str(listing))
    page.locator("#usom-upload-form button[type=submit]").click()
    page.goto("/secops/usom/matches/")
    expect(page.locator("#usom-matches tbody tr[data-indicator]")).to_have_count(2)
    screenshot(page, "usom-matches")
    page.goto(incident.get_absolute_url())
    expect(page.locator("#incident-indicators [data-usom]")).to_have_count(2)
    expect(page.locator("#incident-timeline")).to_contain_text("USOM")
    screenshot(page, "incident-tasks")

    # The responder finishes the task.
    context.clear_cookies()
    login_as(member)
    page.goto("/secops/incidents/tasks/")
    page.locator("#my-tasks a").first.click()
    page.locator(f"#incident-tasks tr[data-task='{task.pk}'] button[name=task-done]").click()
    expect(page.locator(f"#incident-tasks tr[data-task='{task.pk}']")).to_have_attribute(
        "data-state", "done"
    )

    # The year's statistics.
    context.clear_cookies()
    login_as(lead)
    page.goto("/secops/incidents/statistics/")
    expect(page.locator("[data-stat=incidents]")).to_have_text("1")
    with page.expect_download() as download:
        page.locator("#statistics-csv").click()
    assert download.value.suggested_filename.endswith(".csv")
    screenshot(page, "incident-statistics")
