"""The organisation's pages: chart, unit, person (masked personal data), duty search, regulation."""

import pytest
from django.urls import reverse

from biys.core.models import PersonalDataView
from biys.core.views.generic import registered_model_views
from biys.org.models import (
    Article,
    Duty,
    Paragraph,
    Person,
    Position,
    Regulation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulation(org_tree):
    regulation = Regulation.objects.create(title="Bilgi İşlem Yönetmeliği")
    article = Article.objects.create(regulation=regulation, number=10, heading="Ağ görevleri")
    other = Article.objects.create(regulation=regulation, number=11, heading="Yazılım görevleri")
    first = Paragraph.objects.create(article=article, number=1, order=1)
    second = Paragraph.objects.create(article=other, number=1, order=1)
    Duty.objects.create(
        paragraph=first,
        label="ı",
        text="Hizmet binalarındaki parmak izli geçiş sistemlerinin bakımını yapmak.",
        unit=org_tree["helpdesk"],
        order=1,
    )
    Duty.objects.create(
        paragraph=first,
        label="i",
        text="Kapı kartlarını basmak.",
        unit=org_tree["network"],
        order=2,
    )
    Duty.objects.create(
        paragraph=second,
        label="a",
        text="Elektronik imza başvurularını yürütmek.",
        unit=org_tree["helpdesk"],
        order=1,
    )
    return regulation


@pytest.fixture
def person(org_tree):
    return Person.objects.create(
        first_name="Ayşe",
        last_name="Yıldız",
        tc_kimlik_no="10000000146",
        mobile_phone="0532 000 00 00",
        employment_type="memur",
        unit=org_tree["helpdesk"],
    )


def test_chart_shows_the_tree_with_managers_and_duty_counts(
    client, make_user, org_tree, regulation
):
    manager = Person.objects.create(
        first_name="Oğuz", last_name="Işık", employment_type="memur", unit=org_tree["network"]
    )
    Position.objects.create(
        unit=org_tree["network"], name="Şube Müdürü", holder=manager, is_manager=True
    )
    client.force_login(make_user("requester", org_tree["roads"]))
    response = client.get(reverse("org:chart"))
    assert response.status_code == 200
    tree = response.context["tree"]
    roots = [node["unit"].name for node in tree]
    assert roots == [org_tree["dept"].name, org_tree["roads"].name]
    network = next(n for n in tree[0]["children"] if n["unit"] == org_tree["network"])
    assert network["unit"].manager == manager
    assert network["children"][0]["unit"] == org_tree["helpdesk"]
    assert network["children"][0]["unit"].duty_count == 2
    html = response.content.decode()
    assert "Oğuz Işık" in html
    assert html.count('class="org-node is-it"') == 4  # the requester unit is not highlighted

    it_only = client.get(reverse("org:chart"), {"it": "1"})
    assert org_tree["roads"].name not in [n["unit"].name for n in it_only.context["tree"]]


def test_unit_page_groups_duties_by_article(client, admin_user, org_tree, regulation):
    client.force_login(admin_user)
    response = client.get(org_tree["helpdesk"].get_absolute_url(), {"tab": "duties"})
    groups = response.context["duty_groups"]
    assert [group["article"].number for group in groups] == [10, 11]
    assert [duty.reference for duty in groups[0]["duties"]] == ["MADDE 10 (1) ı"]
    assert "MADDE 11 (1) a" in response.content.decode()


def test_duty_search_ranks_and_finds_suffixed_words(client, make_user, org_tree, regulation):
    client.force_login(make_user("requester", org_tree["roads"]))
    response = client.get(reverse("org:duty_list"), {"q": "PARMAK İZİ kapı geçiş"})
    duties = [row.record for row in response.context["table"].paginated_rows]
    # 'parmak' and 'geçiş' start words of the fingerprint duty; 'kapı' alone is not enough
    assert [duty.reference for duty in duties] == ["MADDE 10 (1) ı"]
    html = response.content.decode()
    assert "<mark>parmak</mark>" in html
    assert "<mark>geçiş</mark>" in html
    assert org_tree["helpdesk"].name in html


def test_duty_search_combines_with_filters(client, admin_user, org_tree, regulation):
    client.force_login(admin_user)
    response = client.get(reverse("org:duty_list"), {"q": "imza", "unit": org_tree["network"].pk})
    assert response.context["table"].paginator.count == 0
    response = client.get(reverse("org:duty_list"), {"q": "imza", "unit": org_tree["helpdesk"].pk})
    assert response.context["table"].paginator.count == 1


def test_person_page_masks_personal_data(client, make_user, org_tree, person):
    client.force_login(make_user("technician", org_tree["helpdesk"]))
    response = client.get(person.get_absolute_url())
    html = response.content.decode()
    assert "*********46" in html
    assert "10000000146" not in html
    assert "0532 000 00 00" not in html
    assert not response.context["may_reveal"]  # technicians do not hold view_personal_data


def test_reveal_logs_the_access_and_shows_the_value(client, make_user, org_tree, person):
    chief = make_user("chief", org_tree["network"])
    client.force_login(chief)
    url = reverse("org:person_reveal", args=[person.pk])
    assert client.get(url).status_code == 405  # a link prefetch never reveals anything
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "10000000146" in html and "0532 000 00 00" in html
    assert "<html" not in html  # the HTMX swap only
    access = PersonalDataView.objects.get()
    assert access.user == chief and access.object_id == str(person.pk)
    assert access.unit_id == person.unit_id
    assert "tc_kimlik_no" in access.fields
    assert access.request_id == response["X-Request-ID"]


def test_reveal_refused_without_permission_over_the_unit(client, make_user, org_tree, person):
    for user in (
        make_user("technician", org_tree["helpdesk"]),  # no view_personal_data
        make_user("chief", org_tree["software"]),  # another branch
    ):
        client.force_login(user)
        response = client.post(reverse("org:person_reveal", args=[person.pk]))
        assert response.status_code == 403
        assert "10000000146" not in response.content.decode()
    assert not PersonalDataView.objects.exists()


def test_regulation_page_lists_items_with_their_units(client, make_user, org_tree, regulation):
    client.force_login(make_user("requester", org_tree["roads"]))
    response = client.get(regulation.get_absolute_url(), {"tab": "text"})
    html = response.content.decode()
    assert "MADDE 10 — Ağ görevleri" in html
    assert "parmak izli geçiş" in html
    assert f'href="{org_tree["helpdesk"].get_absolute_url()}"' in html


def test_global_search_groups_results_by_model(client, admin_user, org_tree, person, regulation):
    client.force_login(admin_user)
    response = client.get(reverse("core:search"), {"q": "yıldız"})
    groups = {str(group["label"]): group["hits"] for group in response.context["groups"]}
    assert person in groups["Personel"]
    response = client.get(reverse("core:search"), {"q": "TEKNİK DESTEK"})
    groups = {str(group["label"]): group["hits"] for group in response.context["groups"]}
    assert groups["Birimler"] == [org_tree["helpdesk"]]
    assert len(groups["Görevler"]) == 2  # the duties of that unit


def test_home_page_counts_what_the_user_may_see(client, make_user, org_tree, person):
    user = make_user("technician", org_tree["helpdesk"])
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    counts = {str(item["label"]): item["count"] for item in response.context["counts"]}
    assert counts["Birimler"] == 5
    assert response.context["recent_changes"] == []  # no change log permission


@pytest.mark.parametrize(
    "url_name",
    [
        "org:chart",
        "org:unit_list",
        "org:person_list",
        "org:duty_list",
        "org:regulation_list",
        "org:title_list",
        "org:position_list",
        "core:changelog",
    ],
)
def test_org_pages_render_for_an_administrator(client, admin_user, regulation, url_name):
    client.force_login(admin_user)
    assert client.get(reverse(url_name)).status_code == 200


def test_every_registered_detail_page_renders(client, admin_user, org_tree, person, regulation):
    from biys.core.testing import FACTORIES
    from tests.permissions.matrix import load_factories

    load_factories()  # every app's factories, whatever this worker imported before
    client.force_login(admin_user)
    for entry in registered_model_views():
        if entry.detail_url_name is None or entry.model not in FACTORIES:
            continue
        obj = FACTORIES[entry.model](org_tree["helpdesk"])
        response = client.get(reverse(entry.detail_url_name, args=[obj.pk]))
        assert response.status_code == 200, entry.model
