"""The regulation importer's screens: upload, review, confirm, discard, and who may use them."""

import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from biys.org.importer_forms import MAX_UPLOAD_BYTES
from biys.org.models import Duty, Regulation, RegulationDraft, Unit

ODUNPAZARI = Path(__file__).resolve().parents[1] / "presets" / "regulations" / "odunpazari.txt"

SMALL_TEXT = """T.C.
ÖRNEK BELEDİYESİ BİLGİ İŞLEM MÜDÜRLÜĞÜ GÖREV YÖNETMELİĞİ

BİRİNCİ BÖLÜM
Amaç
MADDE 1- (1) Bu yönetmeliğin amacı müdürlüğün görevlerini düzenlemektir.
Teşkilat
MADDE 2- (1) Müdürlük aşağıdaki birimlerden oluşur:
a) Ağ Yönetimi Birimi
b) Yazılım Birimi
Ağ Yönetimi Biriminin görevleri
MADDE 3- (1) Ağ Yönetimi Biriminin görevleri şunlardır:
a) Yerel ağı kurmak ve işletmek.
b) Güvenlik duvarını yönetmek.
Yazılım Biriminin görevleri
MADDE 4- (1) Yazılım Biriminin görevleri şunlardır:
a) Belediyenin yazılımlarını geliştirmek.
b) Web sitesini güncel tutmak.
Yürürlük
MADDE 5- (1) Bu yönetmelik yayımı tarihinde yürürlüğe girer.
"""


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(client, content: bytes | None = None, *, text: str = "", unit=None, name="r.txt"):
    data = {"text": text, "title": ""}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content, content_type="text/plain")
    if unit is not None:
        data["unit"] = unit.pk
    return client.post(reverse("org:regulation_import"), data)


def make_draft(client, org_tree, text=SMALL_TEXT) -> RegulationDraft:
    response = upload(client, text.encode(), unit=org_tree["dept"])
    assert response.status_code == 302, response.content.decode()[:2000]
    return RegulationDraft.objects.latest("pk")


def review_post(draft: RegulationDraft, **changes) -> dict:
    """The review form as the screen submits it untouched, with ``changes`` applied."""
    data = draft.data
    keys = {unit["name"]: str(index) for index, unit in enumerate(data["units"])}
    post = {
        "title": data["title"],
        "council_decision_no": data.get("council_decision_no", ""),
        "council_decision_date": data.get("council_decision_date") or "",
        "new_unit_name": "",
        "new_unit_kind": "birim",
        "new_unit_parent": "",
    }
    for key, unit in enumerate(data["units"]):
        post[f"unit_{key}_name"] = unit["name"]
        post[f"unit_{key}_kind"] = unit["kind"]
        parent_unit = unit.get("parent_unit")
        post[f"unit_{key}_parent"] = (
            f"org-{parent_unit}" if parent_unit else keys.get(unit["parent"], "")
        )
    for a, article in enumerate(data["articles"]):
        post[f"article_{a}_unit"] = keys.get(article.get("unit"), "")
        for p, paragraph in enumerate(article["paragraphs"]):
            if paragraph["items"]:
                post[f"paragraph_{a}_{p}_unit"] = keys.get(paragraph.get("unit"), "")
                for i, item in enumerate(paragraph["items"]):
                    post[f"item_{a}_{p}_{i}_unit"] = keys.get(item.get("unit"), "")
    post.update(changes)
    return post


def unit_key(draft: RegulationDraft, name: str) -> str:
    return str([unit["name"] for unit in draft.data["units"]].index(name))


def article_index(draft: RegulationDraft, number: int) -> int:
    return [article["number"] for article in draft.data["articles"]].index(number)


# --------------------------------------------------------------------------- upload


def test_upload_of_odunpazari_drafts_all_its_articles(admin_client, org_tree, admin_user):
    response = upload(admin_client, ODUNPAZARI.read_bytes(), unit=org_tree["dept"])

    draft = RegulationDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("org:regulation_draft_review", args=[draft.pk])
    assert len(draft.data["articles"]) == 20
    assert draft.title.startswith("ODUNPAZARI BELEDİYE BAŞKANLIĞI BİLGİ İŞLEM MÜDÜRLÜĞÜ")
    assert draft.created_by == admin_user
    assert draft.unit == org_tree["dept"]
    assert draft.status == RegulationDraft.Status.DRAFT
    assert "Teknik Destek Birimi" in {unit["name"] for unit in draft.data["units"]}
    assert not Regulation.objects.exists()  # nothing in the organisation before confirmation


def test_upload_decodes_a_windows_1254_file(admin_client, org_tree):
    upload(admin_client, SMALL_TEXT.encode("cp1254"), unit=org_tree["dept"])

    draft = RegulationDraft.objects.get()
    assert "Ağ Yönetimi Birimi" in {unit["name"] for unit in draft.data["units"]}
    assert "Yürürlük" in draft.source_text


def test_pasted_text_with_a_title(admin_client, org_tree):
    response = admin_client.post(
        reverse("org:regulation_import"),
        {"text": SMALL_TEXT, "title": "Örnek yönetmelik", "unit": org_tree["dept"].pk},
    )

    assert response.status_code == 302
    assert RegulationDraft.objects.get().title == "Örnek yönetmelik"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Choose a file or paste"),
        (b"   \n\n", "The file is empty."),
        (bytes(range(256)) * 8, "This file is neither plain text"),
        ("Bir alışveriş listesi\nekmek\nsüt\n".encode(), "No article"),
    ],
)
def test_upload_of_an_empty_or_garbage_file_is_a_field_error(
    admin_client, org_tree, content, message, settings
):
    settings.LANGUAGE_CODE = "en"
    response = upload(admin_client, content or None, unit=org_tree["dept"])

    assert response.status_code == 200
    assert message in str(response.context["form"].errors["file"])
    assert not RegulationDraft.objects.exists()


def test_upload_over_the_size_limit_is_refused(admin_client, org_tree, settings):
    settings.LANGUAGE_CODE = "en"
    response = upload(
        admin_client, b"MADDE 1- a\n" * (MAX_UPLOAD_BYTES // 10), unit=org_tree["dept"]
    )

    assert "at most" in str(response.context["form"].errors["file"])
    assert not RegulationDraft.objects.exists()


def test_field_errors_are_translated_to_turkish(admin_client, org_tree):
    response = upload(admin_client, "Bir alışveriş listesi\n".encode(), unit=org_tree["dept"])

    assert "MADDE" in str(response.context["form"].errors["file"])
    assert "No article" not in response.content.decode()


def test_upload_needs_a_unit_the_user_administers(admin_client, org_tree):
    response = upload(admin_client, SMALL_TEXT.encode(), unit=org_tree["roads"])

    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not RegulationDraft.objects.exists()


# --------------------------------------------------------------------------- review


def test_review_page_shows_units_articles_and_items(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree, ODUNPAZARI.read_text(encoding="utf-8"))

    response = admin_client.get(reverse("org:regulation_draft_review", args=[draft.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('id="article-') == 20
    assert "Teknik Destek Biriminin görevleri" in page
    assert 'name="item_9_0_10_unit"' in page  # MADDE 10 (1), its 11th item (i)


def test_review_changes_a_unit_name_and_an_article_unit(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree)
    network = unit_key(draft, "Ağ Yönetimi Birimi")
    software = unit_key(draft, "Yazılım Birimi")
    article = article_index(draft, 4)

    response = admin_client.post(
        reverse("org:regulation_draft_review", args=[draft.pk]),
        review_post(
            draft,
            **{
                f"unit_{network}_name": "Sistem ve Ağ Birimi",
                f"article_{article}_unit": network,
            },
        ),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    names = [unit["name"] for unit in draft.data["units"]]
    assert "Sistem ve Ağ Birimi" in names and "Ağ Yönetimi Birimi" not in names
    assert draft.data["articles"][article]["unit"] == "Sistem ve Ağ Birimi"
    assert draft.data["articles"][article_index(draft, 3)]["unit"] == "Sistem ve Ağ Birimi"
    assert draft.data["units"][int(software)]["name"] == "Yazılım Birimi"
    assert not Unit.objects.filter(name="Sistem ve Ağ Birimi").exists()


def test_review_adds_and_removes_units(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree)
    software = unit_key(draft, "Yazılım Birimi")
    top = unit_key(draft, "Bilgi İşlem Müdürlüğü")
    article = article_index(draft, 4)

    admin_client.post(
        reverse("org:regulation_draft_review", args=[draft.pk]),
        review_post(
            draft,
            **{
                f"unit_{software}_remove": "on",
                f"article_{article}_unit": "",
                "new_unit_name": "Yazılım Şefliği",
                "new_unit_kind": "seflik",
                "new_unit_parent": top,
            },
        ),
    )

    draft.refresh_from_db()
    assert {"name": "Yazılım Şefliği", "kind": "seflik", "parent": "Bilgi İşlem Müdürlüğü"} in (
        draft.data["units"]
    )
    assert "Yazılım Birimi" not in [unit["name"] for unit in draft.data["units"]]
    assert draft.data["articles"][article]["unit"] is None


def test_invalid_review_shows_field_errors_and_keeps_the_draft(admin_client, org_tree, settings):
    settings.LANGUAGE_CODE = "en"
    draft = make_draft(admin_client, org_tree)
    before = draft.data
    network = unit_key(draft, "Ağ Yönetimi Birimi")
    software = unit_key(draft, "Yazılım Birimi")
    top = unit_key(draft, "Bilgi İşlem Müdürlüğü")

    response = admin_client.post(
        reverse("org:regulation_draft_review", args=[draft.pk]),
        review_post(
            draft,
            **{
                f"unit_{software}_name": "ağ yönetimi birimi",  # the same name, other case
                f"unit_{top}_parent": network,  # network's parent is top: a cycle
            },
        ),
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "already called" in str(errors[f"unit_{software}_name"])
    assert "sub-unit of itself" in str(errors[f"unit_{top}_parent"])
    assert "sub-unit of itself" in str(errors[f"unit_{network}_parent"])
    assert 'aria-invalid="true"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.data == before


def test_review_refuses_a_removed_unit_still_in_use_and_an_unknown_unit(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree)
    network = unit_key(draft, "Ağ Yönetimi Birimi")
    article = article_index(draft, 3)
    before = draft.data

    response = admin_client.post(
        reverse("org:regulation_draft_review", args=[draft.pk]),
        review_post(draft, **{f"unit_{network}_remove": "on", f"article_{article + 1}_unit": "99"}),
    )

    errors = response.context["form"].errors
    assert f"article_{article}_unit" in errors  # still names the removed unit
    assert f"article_{article + 1}_unit" in errors  # no such unit
    draft.refresh_from_db()
    assert draft.data == before


def test_warnings_name_orphan_articles_idle_units_and_gaps(admin_client, org_tree, settings):
    settings.LANGUAGE_CODE = "en"
    text = SMALL_TEXT.replace("MADDE 5-", "MADDE 7-")
    draft = make_draft(admin_client, org_tree, text)
    software = unit_key(draft, "Yazılım Birimi")
    article = article_index(draft, 4)
    admin_client.post(
        reverse("org:regulation_draft_review", args=[draft.pk]),
        review_post(draft, **{f"article_{article}_unit": ""}),
    )

    response = admin_client.get(reverse("org:regulation_draft_review", args=[draft.pk]))

    warnings = response.context["warnings"]
    assert any("MADDE 4 has 2 items without a responsible unit" in w for w in warnings)
    assert any("Yazılım Birimi has no duties" in w for w in warnings)
    assert any("missing: 5, 6" in w for w in warnings)
    assert software


# --------------------------------------------------------------------------- confirm, discard


def test_confirm_creates_units_and_duties_with_their_references(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree, ODUNPAZARI.read_text(encoding="utf-8"))
    software = unit_key(draft, "Yazılım Geliştirme ve Destek Birimi")
    article = article_index(draft, 10)
    admin_client.post(
        reverse("org:regulation_draft_review", args=[draft.pk]),
        review_post(draft, **{f"item_{article}_0_0_unit": software}),  # MADDE 10 (1) a
    )

    response = admin_client.post(reverse("org:regulation_draft_confirm", args=[draft.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("org:chart")
    draft.refresh_from_db()
    regulation = draft.confirmed_regulation
    assert draft.status == RegulationDraft.Status.CONFIRMED
    assert regulation.articles.count() == 20
    duty = Duty.objects.get(reference="MADDE 10 (1) i", paragraph__article__regulation=regulation)
    assert duty.unit.name == "Teknik Destek Birimi"
    assert duty.unit.parent.name == "Bilgi İşlem Müdürlüğü"
    assert duty.text.startswith("Birimler tarafından iletilen arıza ve talepleri")
    moved = Duty.objects.get(reference="MADDE 10 (1) a", paragraph__article__regulation=regulation)
    assert moved.unit.name == "Yazılım Geliştirme ve Destek Birimi"
    messages = [str(m) for m in response.wsgi_request._messages]
    units_created = Unit.objects.count() - 5  # the org_tree fixture's
    duties = Duty.objects.filter(paragraph__article__regulation=regulation).count()
    assert units_created == 6
    assert any(str(units_created) in m and str(duties) in m for m in messages)


def test_confirm_that_fails_writes_nothing_and_shows_the_error(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree)
    draft.data["articles"][1]["number"] = 1  # two MADDE 1: the service refuses the draft
    draft.save()

    response = admin_client.post(reverse("org:regulation_draft_confirm", args=[draft.pk]))

    assert response.status_code == 400
    assert response.context["errors"]
    assert not Regulation.objects.exists()
    assert Unit.objects.count() == 5
    draft.refresh_from_db()
    assert draft.status == RegulationDraft.Status.DRAFT


def test_confirmed_draft_cannot_be_confirmed_or_edited_again(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree)
    admin_client.post(reverse("org:regulation_draft_confirm", args=[draft.pk]))

    again = admin_client.post(reverse("org:regulation_draft_confirm", args=[draft.pk]))
    edit = admin_client.post(
        reverse("org:regulation_draft_review", args=[draft.pk]), review_post(draft, title="X")
    )

    assert again.status_code == 302 and edit.status_code == 302
    assert Regulation.objects.count() == 1
    draft.refresh_from_db()
    assert draft.title != "X"


def test_discard_closes_the_draft_and_the_list_shows_it(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree)

    response = admin_client.post(reverse("org:regulation_draft_discard", args=[draft.pk]))
    listing = admin_client.get(reverse("org:regulation_draft_list"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RegulationDraft.Status.DISCARDED
    assert [row["draft"] for row in listing.context["drafts"]] == [draft]
    assert not Regulation.objects.exists()


# --------------------------------------------------------------------------- permissions


def flow_urls(draft) -> list[tuple[str, str]]:
    return [
        ("get", reverse("org:regulation_import")),
        ("post", reverse("org:regulation_import")),
        ("get", reverse("org:regulation_draft_list")),
        ("get", reverse("org:regulation_draft_review", args=[draft.pk])),
        ("post", reverse("org:regulation_draft_review", args=[draft.pk])),
        ("get", reverse("org:regulation_draft_confirm", args=[draft.pk])),
        ("post", reverse("org:regulation_draft_confirm", args=[draft.pk])),
        ("post", reverse("org:regulation_draft_discard", args=[draft.pk])),
    ]


@pytest.mark.parametrize(
    ("role", "unit"),
    [("technician", "dept"), ("chief", "dept"), ("chief", "roads"), ("department_head", "dept")],
)
def test_only_administrators_may_import(client, admin_client, org_tree, make_user, role, unit):
    draft = make_draft(admin_client, org_tree)
    client.force_login(make_user(role, org_tree[unit]))

    for method, url in flow_urls(draft):
        response = getattr(client, method)(url, {"text": SMALL_TEXT})
        assert response.status_code == 403, (method, url)
    draft.refresh_from_db()
    assert draft.status == RegulationDraft.Status.DRAFT
    assert not Regulation.objects.exists()


def test_another_units_administrator_does_not_see_the_draft(
    client, admin_client, org_tree, make_user
):
    draft = make_draft(admin_client, org_tree)
    client.force_login(make_user("administrator", org_tree["roads"]))

    for method, url in flow_urls(draft)[3:]:
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert client.get(reverse("org:regulation_draft_list")).context["drafts"] == []
    assert client.get(reverse("org:regulation_import")).status_code == 200


def test_anonymous_users_are_sent_to_the_login(client, org_tree):
    response = client.get(reverse("org:regulation_import"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_unit_moved_under_a_later_unit_is_created_under_it(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree)
    url = reverse("org:regulation_draft_review", args=[draft.pk])
    top = unit_key(draft, "Bilgi İşlem Müdürlüğü")
    admin_client.post(
        url,
        review_post(
            draft,
            new_unit_name="Altyapı Şube Müdürlüğü",
            new_unit_kind="sube_mudurlugu",
            new_unit_parent=top,
        ),
    )
    draft.refresh_from_db()
    branch = unit_key(draft, "Altyapı Şube Müdürlüğü")
    network = unit_key(draft, "Ağ Yönetimi Birimi")
    admin_client.post(url, review_post(draft, **{f"unit_{network}_parent": branch}))
    draft.refresh_from_db()

    admin_client.post(reverse("org:regulation_draft_confirm", args=[draft.pk]))

    names = [unit["name"] for unit in draft.data["units"]]
    assert names.index("Altyapı Şube Müdürlüğü") < names.index("Ağ Yönetimi Birimi")
    network_unit = Unit.objects.get(name="Ağ Yönetimi Birimi")
    assert network_unit.parent.name == "Altyapı Şube Müdürlüğü"
    assert network_unit.parent.parent.name == "Bilgi İşlem Müdürlüğü"
    assert network_unit.duties.count() == 2


NOTED_TEXT = SMALL_TEXT.replace("GÖREV YÖNETMELİĞİ\n", "GÖREV YÖNETMELİĞİ\n(Taslak metin)\n")


@pytest.mark.parametrize(
    ("upload_language", "review_language", "shown", "not_shown"),
    [
        ("en", "tr", "Başlığa alınmadı: «(Taslak metin)»", "Left out of the title"),
        ("tr", "en", "Left out of the title: «(Taslak metin)»", "Başlığa alınmadı"),
    ],
)
def test_reader_notes_are_shown_in_the_reviewers_language(
    admin_client, org_tree, settings, upload_language, review_language, shown, not_shown
):
    """A draft read in one language shows the reader's notes in the reviewer's language."""
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = upload_language
    with translation.override(upload_language):
        response = upload(admin_client, NOTED_TEXT.encode(), unit=org_tree["dept"])
    assert response.status_code == 302
    draft = RegulationDraft.objects.latest("pk")
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = review_language
    with translation.override(review_language):
        response = admin_client.get(reverse("org:regulation_draft_review", args=[draft.pk]))
    page = html.unescape(response.content.decode())
    assert f'lang="{review_language}"' in page
    assert shown in page
    assert not_shown not in page


def test_reader_notes_of_older_drafts_are_shown_as_stored(admin_client, org_tree):
    draft = make_draft(admin_client, org_tree)
    draft.data["warnings"] = ["Left out of the title: «(eski not)»"]
    draft.save(update_fields=["data"])
    response = admin_client.get(reverse("org:regulation_draft_review", args=[draft.pk]))
    assert response.context["parser_notes"] == ["Left out of the title: «(eski not)»"]
