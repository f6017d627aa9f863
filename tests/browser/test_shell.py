"""The shell in Chromium: a readable notification badge, avatar initials from the person's name,
a confirmation before a draft is discarded, and the user page of an administrator."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGULATION = """BİLGİ İŞLEM MÜDÜRLÜĞÜ GÖREV YÖNETMELİĞİ
MADDE 1 - (1) Bu yönetmeliğin amacı bilgi işlem hizmetlerini düzenlemektir.
MADDE 2 - (1) Teknik Destek Birimi a) Arızaları gidermek.
"""

CONTRAST = """(element) => {
  // Tabler writes colours in oklch/oklab: let a canvas turn them into sRGB.
  const rgb = (css) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const context = canvas.getContext("2d");
    context.fillStyle = css;
    context.fillRect(0, 0, 1, 1);
    return Array.from(context.getImageData(0, 0, 1, 1).data).slice(0, 3);
  };
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const style = getComputedStyle(element);
  const [a, b] = [luminance(rgb(style.color)), luminance(rgb(style.backgroundColor))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_badge_is_readable_and_initials_come_from_the_person(page, login_as, org_tree, make_user):
    from biys.notifications.services import notify

    user = make_user("technician", org_tree["helpdesk"], username="xq.kullanici")
    user.person.first_name, user.person.last_name = "İpek", "Işık"
    user.person.save()
    notify(recipients=[user] * 1, title="Yeni talep", email=False)
    notify(recipients=[user], title="İkinci talep", email=False)
    login_as(user)
    page.goto("/")

    expect(page.locator("#user-menu-button .avatar")).to_have_text("İI")
    badge = page.locator("#notifications-badge .badge")
    expect(badge).to_contain_text("2")
    assert badge.evaluate(CONTRAST) >= 4.5


def test_discarding_a_draft_asks_first(page, login_as, admin_user, org_tree):
    from biys.org.models import RegulationDraft
    from biys.org.services_drafts import create_draft

    draft = create_draft(text=REGULATION, user=admin_user, unit=org_tree["dept"])
    login_as(admin_user)
    page.goto(reverse("org:regulation_draft_review", args=[draft.pk]))
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Taslaktan vazgeç").click()
    page.wait_for_timeout(300)
    assert questions and "geri" in questions[0].lower()
    draft.refresh_from_db()
    assert draft.is_open

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Taslaktan vazgeç").click()
    expect(page.locator(".biys-messages")).to_be_visible()
    assert not RegulationDraft.objects.get(pk=draft.pk).is_open


def test_user_page_person_link_roles_and_history(page, login_as, org_tree, make_user):
    from biys.accounts.models import Role
    from biys.org.models import Person

    admin = make_user("administrator", org_tree["dept"])
    clerk = make_user("requester", org_tree["network"], username="clerk")
    clerk.person.first_name, clerk.person.last_name = "Ayşe", "Yılmaz"
    clerk.person.sicil_no = "S-100"
    clerk.person.save()
    Person.objects.create(
        first_name="Ayşe",
        last_name="Yılmaz",
        employment_type="memur",
        unit=org_tree["software"],
        sicil_no="S-200",
    )
    login_as(admin)
    page.goto(reverse("accounts:user", args=[clerk.pk]))

    selector = page.get_by_label("Personel", exact=True)
    selected = selector.locator("option:checked")
    expect(selected).to_contain_text("Ayşe Yılmaz — Sistem ve Ağ Şube Müdürlüğü")
    expect(selected).to_contain_text("S-100")
    expect(selector.locator("option", has_text="S-200")).to_contain_text("Yazılım Şube Müdürlüğü")

    history = page.locator(".card", has=page.get_by_role("heading", name="Geçmiş"))
    technician = str(Role.objects.get(slug="technician"))
    for attempt in range(2):
        page.get_by_label("Rol", exact=True).select_option(label=technician)
        page.get_by_label("Birim", exact=True).select_option(label="Teknik Destek Şefliği")
        page.get_by_role("button", name="Ata", exact=True).click()
        messages = page.locator(".biys-messages")
        if attempt == 0:
            expect(messages).to_contain_text("Rol atandı")
            expect(history).to_contain_text("Teknik Destek Şefliği")
        else:
            expect(messages).to_contain_text("zaten")
            expect(messages).not_to_contain_text("Rol atandı")


def test_auditor_verifies_the_change_log_from_the_menu(page, login_as, org_tree, make_user):
    from django.db import connection

    from biys.core.models import ObjectChange

    org_tree["roads"].name = "Fen İşleri Daire Başkanlığı"
    org_tree["roads"].save()  # a change record in a unit outside the auditor's one
    auditor = make_user("auditor", org_tree["dept"])
    login_as(auditor)
    page.goto("/")
    page.locator("#sidebar-menu").get_by_text("Denetim", exact=True).click()
    page.get_by_role("link", name="Değişiklik kaydını doğrula").click()
    page.get_by_role("button", name="Şimdi doğrula").click()
    result = page.locator("#verification-result")
    expect(result).to_contain_text("Değişiklik kaydı bozulmamış.")
    expect(result).to_contain_text(f"{ObjectChange.objects.count()} kayıt doğrulandı")

    # The newest record deleted and the chain head rewound would pass; a head that no record
    # matches is what the chain reports without a checkpoint.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditchainhead SET last_hash = %s", ["0" * 64])
    page.get_by_role("button", name="Şimdi doğrula").click()
    expect(result).to_contain_text("Değişiklik kaydına müdahale edilmiş.")


def test_requesters_have_no_verification(page, login_as, org_tree, make_user):
    login_as(make_user("requester", org_tree["roads"]))
    page.goto("/")
    expect(page.get_by_role("link", name="Değişiklik kaydını doğrula")).to_have_count(0)
    response = page.goto(reverse("core:audit_verify"))
    assert response.status == 403
