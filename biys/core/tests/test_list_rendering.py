"""The list pages' rendering shortcuts: table rows written out in Python give the markup the
template loop over django-tables2's cells gave, and a filter over a model's rows renders only
its selected options and hands out the rest on request."""

import re
from datetime import UTC

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from biys.core.context import change_context
from biys.org.models import Title, Unit
from biys.org.tests.factories import PersonFactory
from biys.servicedesk.tests.factories import make_ticket_in

pytestmark = pytest.mark.django_db

# The loop core/table.html had before rows were rendered in Python (django-tables2's own way).
TEMPLATE_LOOP = Template(
    "{% load l10n %}{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
    "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>"
    "{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}"
    "{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>"
    "{% endfor %}</tr>{% endfor %}"
)


def squeeze(html: str) -> str:
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1"', html)  # masked anew
    return re.sub(r">\s+<", "><", html.strip())


def tbody(html: str) -> str:
    return squeeze(re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S).group(1))


@pytest.fixture
def listed(org_tree, admin_user):
    title = Title.objects.create(name="Mühendis <b>")
    PersonFactory.create_batch(4, unit=org_tree["network"], title=title, email="a@ornek.bel.tr")
    PersonFactory.create_batch(2, unit=org_tree["roads"], work_phone="")
    for index in range(3):
        make_ticket_in(org_tree["helpdesk"], title=f"Yazıcı <arıza> {index}")
    with change_context(user=admin_user):
        Unit.objects.create(name="Yeni Şeflik", kind="seflik", parent=org_tree["network"])
    return org_tree


@pytest.mark.parametrize(
    "url_name",
    [
        "org:person_list",
        "org:unit_list",
        "org:title_list",
        "servicedesk:ticket_list",
        "servicedesk:catalogitem_list",
        "core:changelog",
    ],
)
def test_rows_render_as_the_template_loop_did(client, admin_user, listed, url_name):
    client.force_login(admin_user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    table = response.context["table"]
    rows = list(table.paginated_rows)
    assert rows, url_name
    expected = squeeze(TEMPLATE_LOOP.render(Context({"table": table, "request": None})))
    assert tbody(response.content.decode()) == expected


def test_empty_table_still_says_so(client, admin_user, org_tree):
    client.force_login(admin_user)
    html = client.get(reverse("org:person_list"), {"q": "yokböyleisim"}).content.decode()
    assert tbody(html) == (
        '<tr><td colspan="9" class="text-secondary text-center py-4">Kayıt bulunamadı.</td></tr>'
    )


# --------------------------------------------------------------------------- lazy selects


def select_html(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)


def test_unit_filter_renders_only_the_selected_units(client, admin_user, org_tree):
    client.force_login(admin_user)
    url = reverse("org:person_list")
    page = client.get(url).content.decode()
    units = select_html(page, "unit")
    assert "<option" not in units  # nothing selected: no option rendered
    assert f'hx-get="{url}?_options=unit"' in units and 'hx-trigger="load"' in units
    assert 'hx-target="this"' in units and 'hx-push-url="false"' in units

    network, roads = org_tree["network"], org_tree["roads"]
    page = client.get(url, {"unit": [network.pk, roads.pk]}).content.decode()
    units = select_html(page, "unit")
    selected = Unit.objects.filter(pk__in=[network.pk, roads.pk])  # in the select's order
    assert re.findall(r'<option value="(\d+)" selected>', units) == [str(u.pk) for u in selected]
    assert units.count("<option") == 2


def test_options_come_on_request_with_the_selection_kept(client, admin_user, org_tree):
    client.force_login(admin_user)
    url = reverse("org:person_list")
    network = org_tree["network"]
    response = client.get(url, {"_options": "unit", "unit": network.pk})
    assert response.status_code == 200
    html = response.content.decode()
    values = re.findall(r'<option value="(\d+)"', html)
    assert values == [str(unit.pk) for unit in Unit.objects.all()]
    assert re.findall(r'<option value="(\d+)" selected>', html) == [str(network.pk)]
    assert "<html" not in html and "<select" not in html
    # Turkish labels, escaped as the widget escapes them
    assert f">{network.name}</option>" in html


def test_options_of_a_single_select_keep_the_empty_choice(client, admin_user, org_tree):
    client.force_login(admin_user)
    url = reverse("org:unit_list")
    page = client.get(url, {"parent": org_tree["dept"].pk}).content.decode()
    parent = select_html(page, "parent")
    assert parent.count("<option") == 2 and f'value="{org_tree["dept"].pk}" selected' in parent
    html = client.get(url, {"_options": "parent"}).content.decode()
    assert html.startswith('<option value="" selected>')
    assert html.count("<option") == 1 + Unit.objects.count()


def test_options_of_anything_but_a_lazy_select_are_404(client, admin_user, org_tree):
    client.force_login(admin_user)
    url = reverse("org:person_list")
    for name in ("status", "q", "nonexistent", "include_subtree"):
        assert client.get(url, {"_options": name}).status_code == 404, name


def test_options_need_a_login_and_the_lists_permission(client, make_user, org_tree):
    url = reverse("servicedesk:ticket_list")
    assert client.get(url, {"_options": "responsible_unit"}).status_code == 302
    client.force_login(make_user(None, org_tree["roads"]))  # no role: no queue
    assert client.get(url, {"_options": "responsible_unit"}).status_code == 403


def test_an_invalid_selection_renders_no_option_and_no_error(client, admin_user, org_tree):
    client.force_login(admin_user)
    response = client.get(reverse("org:person_list"), {"unit": "abc"})
    assert response.status_code == 200
    assert "<option" not in select_html(response.content.decode(), "unit")


def test_filter_by_a_lazily_rendered_select_still_filters(client, admin_user, org_tree):
    PersonFactory.create_batch(3, unit=org_tree["roads"])
    PersonFactory.create_batch(2, unit=org_tree["network"])
    client.force_login(admin_user)
    response = client.get(reverse("org:person_list"), {"unit": org_tree["roads"].pk})
    shown = {row.record.unit_id for row in response.context["table"].paginated_rows}
    assert shown == {org_tree["roads"].pk}


def test_people_list_queries_do_not_grow_with_units_or_rows(client, admin_user, org_tree):
    client.force_login(admin_user)
    url = reverse("org:person_list")
    PersonFactory.create_batch(3, unit=org_tree["roads"])
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"per_page": 25})
    Unit.objects.bulk_create(
        Unit(name=f"Şeflik {index}", kind="seflik", parent=org_tree["roads"]) for index in range(30)
    )
    Title.objects.bulk_create(Title(name=f"Bench unvanı {index}") for index in range(30))
    PersonFactory.create_batch(40, unit=org_tree["roads"])
    client.get(url)  # the new units change every access scope: the process builds it again
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"per_page": 100})
    assert len(response.context["table"].paginated_rows) == 44
    assert len(many) == len(few)
    # neither the unit nor the title select reads its table when nothing is selected (the
    # page's rows read each person's title name by a correlated subquery, nothing more)
    row_title = 'FROM "org_title" U0 WHERE U0."id" = "org_person"."title_id"'
    sqls = [query["sql"].replace(row_title, "") for query in many]
    assert not any('FROM "org_title"' in sql for sql in sqls), sqls


# --------------------------------------------------------------------------- widgets


def widget_cases():
    from datetime import date
    from decimal import Decimal

    from django import forms
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    choices = [("", "---------"), (1, "Bir & iki"), (2, gettext_lazy("Yes")), ("x<y", "x<y")]
    groups = [("Grup <1>", [(1, "Bir"), (2, "İki")]), ("", [(3, "Üç")]), (4, mark_safe("<b>D</b>"))]
    attrs = {"class": "form-control", "required": True, "disabled": False, "data-n": 1_000}
    return [
        (forms.TextInput(attrs=attrs), "q", 'a "b" <c>'),
        (forms.TextInput(), "q", None),
        (forms.NumberInput(attrs={"step": Decimal("0.5")}), "n", 12345),
        (forms.EmailInput(attrs={"autocomplete": "off"}), "e", "a@b.tr"),
        (forms.DateInput(attrs={"type": "date"}), "d", date(2026, 11, 30)),
        (forms.CheckboxInput(attrs={"class": "form-check-input"}), "c", True),
        (forms.CheckboxInput(), "c", False),
        (forms.HiddenInput(), "h", mark_safe("<ok>")),
        (forms.Select(choices=choices, attrs={"size": 3}), "s", 2),
        (forms.Select(choices=choices), "s", None),
        (forms.Select(choices=groups), "g", 3),
        (forms.SelectMultiple(choices=choices, attrs={"size": 6}), "m", [1, "x<y"]),
        (forms.NullBooleanSelect(), "b", True),
        (forms.CheckboxSelectMultiple(choices=choices), "cm", [1]),
        (forms.RadioSelect(choices=choices), "r", 2),
        (forms.Textarea(attrs={"rows": 3}), "t", 'a <b>\n"c" &'),
        (forms.Textarea(), "t", None),
        (forms.Textarea(), "t", ""),
        (forms.ClearableFileInput(attrs={"accept": "image/*,.pdf"}), "f", None),
        (_multiple_file_input(attrs={"accept": "image/*"}), "fs", None),
        (forms.ClearableFileInput(), "f", _StoredFile("belge <1>.pdf", "/media/belge%201.pdf")),
    ]


class _StoredFile:
    """A file a ClearableFileInput shows as its current value (the template's path)."""

    def __init__(self, name, url):
        self.name, self.url = name, url

    def __str__(self):
        return self.name


def _multiple_file_input(**kwargs):
    from django import forms

    class MultipleFileInput(forms.ClearableFileInput):
        allow_multiple_selected = True

    return MultipleFileInput(**kwargs)


def test_widgets_written_in_python_render_as_djangos_templates():
    from django.forms.renderers import TemplatesSetting

    from biys.core.forms import BootstrapFormRenderer

    ours, django_s = BootstrapFormRenderer(), TemplatesSetting()
    fast = set(ours._python_widgets)  # the Python path is on with Django's own templates
    for name in (
        "select.html",
        "text.html",
        "checkbox.html",
        "checkbox_option.html",
        "textarea.html",
        "clearable_file_input.html",
    ):
        assert f"django/forms/widgets/{name}" in fast
    for widget, name, value in widget_cases():
        attrs = {"id": f"id_{name}"}
        assert widget.render(name, value, attrs, ours) == widget.render(
            name, value, attrs, django_s
        ), widget
        # the checkboxes and radios of a multiple choice, one by one (the filter panel's way)
        for ours_choice, django_choice in zip(
            widget.subwidgets(name, value, attrs),
            widget.subwidgets(name, value, attrs),
            strict=True,
        ):
            if "template_name" not in ours_choice or "option" not in ours_choice["template_name"]:
                continue
            for wrap in (False, True):
                context = {"widget": {**ours_choice, "wrap_label": wrap}}
                assert ours.render(ours_choice["template_name"], context) == django_s.render(
                    django_choice["template_name"],
                    {"widget": {**django_choice, "wrap_label": wrap}},
                )


def test_a_selected_unit_costs_one_query_for_its_option(client, admin_user, org_tree):
    client.force_login(admin_user)
    url = reverse("org:person_list")
    client.get(url)
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    with CaptureQueriesContext(connection) as selected:
        response = client.get(url, {"unit": org_tree["roads"].pk})
    assert "selected>Fen İşleri Dairesi Başkanlığı</option>" in response.content.decode()
    units = [q["sql"] for q in selected if 'FROM "org_unit"' in q["sql"]]
    units_before = [q["sql"] for q in plain if 'FROM "org_unit"' in q["sql"]]
    # the filter's own validation, and the selected option: no COUNT, no list of every unit
    assert len(units) - len(units_before) == 2, units
    assert not any("COUNT(" in sql for sql in units[len(units_before) :])


# --------------------------------------------------------------------------- header, menu, fields

# The loop core/table.html had before the header was rendered in Python.
HEADER_LOOP = Template(
    "{% load django_tables2 %}{% for column in table.columns %}"
    '<th {{ column.attrs.th.as_html }} scope="col"{% if column.is_ordered %} aria-sort="'
    '{% if column.order_by_alias.is_descending %}descending{% else %}ascending{% endif %}"'
    '{% endif %}>{% if column.orderable %}<a href="{% querystring '
    "table.prefixed_order_by_field=column.order_by_alias.next table.prefixed_page_field=1 "
    'without "cursor" %}">{{ column.header }}{% if column.is_ordered %}'
    '<span class="sort-indicator" aria-hidden="true">'
    "{% if column.order_by_alias.is_descending %}▼{% else %}▲{% endif %}</span>{% endif %}</a>"
    "{% else %}{{ column.header }}{% endif %}</th>{% endfor %}"
)


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("org:person_list", {}),
        ("org:person_list", {"sort": "-unit", "q": 'x"<y>', "cursor": "abc", "page": 3}),
        ("servicedesk:ticket_list", {"state": ["new", "assigned"], "sort": "priority"}),
        ("org:unit_list", {"sort": "name"}),
        ("core:changelog", {}),
    ],
)
def test_header_renders_as_the_template_loop_did(client, admin_user, listed, url_name, query):
    from biys.core.tables import render_header

    client.force_login(admin_user)
    response = client.get(reverse(url_name), query)
    table, request = response.context["table"], response.wsgi_request
    ours = render_header(table, request)
    assert squeeze(ours) == squeeze(
        HEADER_LOOP.render(Context({"table": table, "request": request}))
    )
    assert "cursor=" not in ours and "<y>" not in ours
    if query.get("sort"):
        assert "aria-sort=" in ours
    assert squeeze(ours) in squeeze(response.content.decode())


# The loop core/base.html had before the side menu was rendered in Python.
MENU_LOOP = Template(
    "{% for group in nav_menu %}"
    '<li class="nav-item dropdown{% if group.active %} active{% endif %}">'
    '<a class="nav-link dropdown-toggle{% if group.active %} show{% endif %}" '
    'href="#nav-group-{{ forloop.counter }}" data-bs-toggle="dropdown" '
    'data-bs-auto-close="false" role="button" '
    'aria-expanded="{% if group.active %}true{% else %}false{% endif %}">'
    '<span class="nav-link-icon"><i class="ti ti-{{ group.icon|default:\'folder\' }}" '
    'aria-hidden="true"></i></span><span class="nav-link-title">{{ group.label }}</span></a>'
    '<div class="dropdown-menu{% if group.active %} show{% endif %}" '
    'id="nav-group-{{ forloop.counter }}">{% for item in group.items %}'
    '<a class="dropdown-item{% if item.active %} active{% endif %}" href="{{ item.url }}"'
    '{% if item.active %} aria-current="page"{% endif %}>{% if item.icon %}'
    '<i class="ti ti-{{ item.icon }} me-2" aria-hidden="true"></i>{% endif %}{{ item.label }}</a>'
    "{% endfor %}</div></li>{% endfor %}"
)


def test_side_menu_renders_as_the_template_loop_did(client, admin_user, org_tree):
    from biys.core.navigation import menu_for, render_menu

    client.force_login(admin_user)
    response = client.get(reverse("org:person_list"))
    groups = menu_for(response.wsgi_request)
    assert any(item["active"] for group in groups for item in group["items"])
    groups.append(
        {
            "label": "Grup <b>",
            "icon": "",
            "active": False,
            "items": [{"label": 'Öğe "1" <i>', "url": "/a?b=1&c=2", "icon": "", "active": False}],
        }
    )
    ours = render_menu(groups, home_url="/", home_active=False)
    expected = MENU_LOOP.render(Context({"nav_menu": groups}))
    assert squeeze(ours).endswith(squeeze(expected))
    assert "<b>" not in ours and "&lt;b&gt;" in ours and "/a?b=1&amp;c=2" in ours
    assert 'ti-folder"' in ours  # a group without an icon gets the folder
    home = render_menu([], home_url="/", home_active=True)
    assert 'class="nav-item active"' in home and 'aria-current="page"' in home
    assert squeeze(render_menu(groups[:-1], home_url="/", home_active=False)) in squeeze(
        response.content.decode()
    )


def field_group_form():
    from django import forms

    class Sample(forms.Form):
        agree = forms.BooleanField(label="Kabul <ediyorum>", help_text="Bir & iki")
        optional = forms.BooleanField(required=False, label="İsteğe bağlı")
        states = forms.MultipleChoiceField(
            choices=[("a", "Yeni <1>"), ("b", "Atandı")],
            widget=forms.CheckboxSelectMultiple,
            help_text="Birden çok",
        )
        kind = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
        name = forms.CharField(label='Ad "soyad"', help_text="<b>yardım</b>", max_length=3)
        unit = forms.ChoiceField(choices=[("", "---"), ("1", "Bir")], required=False)
        when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    return Sample


@pytest.mark.parametrize("data", [None, {"name": "çok uzun <ad>", "states": ["z"], "kind": "q"}])
def test_field_groups_render_as_the_field_template(data):
    from django.template.loader import get_template

    template = get_template("core/forms/field.html")
    form = field_group_form()(data)
    if data:
        assert form.errors
    for field in form.visible_fields():
        ours = field.as_field_group()
        assert squeeze(ours) == squeeze(template.render({"field": field})), field.name
        assert "<ediyorum>" not in ours and "<b>yardım" not in ours and "<1>" not in ours


def test_an_installations_own_field_template_is_used(tmp_path, settings):
    from django.conf import settings as django_settings

    from biys.core.forms import BootstrapFormRenderer

    override = tmp_path / "core" / "forms"
    override.mkdir(parents=True)
    (override / "field.html").write_text("<p>own {{ field.name }}</p>")
    engine = {
        **django_settings.TEMPLATES[0],
        "DIRS": [tmp_path, *django_settings.TEMPLATES[0]["DIRS"]],
    }
    settings.TEMPLATES = [engine]
    renderer = BootstrapFormRenderer()
    assert "core/forms/field.html" not in renderer._python_widgets
    form = field_group_form()(renderer=renderer)
    assert form["name"].as_field_group() == "<p>own name</p>"


def test_each_table_owns_its_columns_copied_without_a_deep_copy():
    import django_tables2 as tables

    from biys.core.tables import BiysTable, ShallowCopiedColumns

    class UnitTable(BiysTable):
        name = tables.Column(attrs={"td": {"class": "text-nowrap"}})
        code = tables.Column()

        class Meta(BiysTable.Meta):
            model = Unit
            fields = ("name", "code")

    assert isinstance(UnitTable.base_columns, ShallowCopiedColumns)
    first, second = UnitTable([]), UnitTable([])
    first.columns.hide("code")
    first.columns["name"].column.attrs["td"]["class"] = "changed"
    assert second.columns["code"].visible
    assert second.columns["name"].column.attrs["td"]["class"] == "text-nowrap"
    assert UnitTable.base_columns["name"].attrs["td"]["class"] == "text-nowrap"
    assert UnitTable([]).columns["code"].visible


def test_a_detail_field_shows_dates_in_the_readers_format():
    from datetime import date, datetime

    from django.utils import translation

    from biys.core.templatetags.biys import field_display
    from biys.org.models import Person

    moment = datetime(2026, 11, 30, 19, 56, 7, 82048, tzinfo=UTC)
    person = Person(created=moment, last_updated=moment)
    created = Person._meta.get_field("created")
    with translation.override("tr"):
        shown = field_display(person, created)
    assert shown == "30 Kas 2026 22:56"  # Istanbul time, Turkish format
    with translation.override("en"):
        assert "+00:00" not in field_display(person, created)

    class Holder:
        day = date(2026, 3, 1)

    day_field = type("F", (), {"choices": None, "name": "day", "is_relation": False})()
    with translation.override("tr"):
        assert field_display(Holder(), day_field) == "01 Mar 2026"


@pytest.mark.django_db
def test_a_detail_field_lists_the_objects_of_a_many_to_many_field(org_tree, make_user):
    from biys.core.templatetags.biys import field_display
    from biys.evrak.models import IncomingDocument
    from biys.evrak.tests.factories import make_document

    reader = make_user("evrak_reader", org_tree["network"])
    document = make_document(org_tree["network"], confidentiality="GZL", named_readers=[reader])
    field = IncomingDocument._meta.get_field("named_readers")
    shown = str(field_display(document, field))
    assert str(reader) in shown and "None" not in shown and "accounts.User" not in shown
    empty = make_document(org_tree["network"])
    assert "—" in str(field_display(empty, field))


def test_static_td_attributes_are_the_librarys_for_every_table_of_the_installation():
    from biys.core.tables import BiysTable, _has_callable, static_td_html

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    checked = 0
    for table_class in set(subclasses(BiysTable)):
        try:
            table = table_class([])
        except TypeError:  # a table that needs arguments of its own
            continue
        for bound_column in table.columns:
            attrs = {**table.attrs, **bound_column.column.attrs}
            if _has_callable(attrs.get("td", attrs.get("cell", {}))):
                continue
            assert static_td_html(table, bound_column) == bound_column.attrs["td"].as_html()
            checked += 1
    assert checked > 30
