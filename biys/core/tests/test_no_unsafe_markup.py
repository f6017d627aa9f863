"""No template or module marks user-editable data as safe HTML.

Every ``|safe``, ``|safeseq``, ``{% autoescape off %}``, ``mark_safe`` and ``SafeString`` in the
product is listed below with the reason it cannot carry a user's markup; anything new fails
until it is escaped or proven safe here.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import biys

ROOT = Path(biys.__file__).resolve().parent
TEMPLATE_PATTERN = re.compile(r"\|\s*safe(seq)?\b|{%\s*autoescape\s+off\s*%}")
PYTHON_PATTERN = re.compile(r"\bmark_safe\s*\(|\bSafeString\s*\(|\bSafeText\s*\(")

# (path under biys/, the exact text of the line, stripped) -> why it is safe
ALLOWED = {
    (
        "core/frame.py",
        "with context.push(**{name: mark_safe(value) for name, value in values.items()}):",
    ): "the frame's per-request values, each escaped by per_request_values()",
    (
        "core/frame.py",
        "return mark_safe(nodelist.render(context))",
    ): "a template's output, rendered with autoescape",
    (
        "core/frame.py",
        "with context.push(**{name: mark_safe(marker) for name, marker in PER_REQUEST.items()}):",
    ): "constant markers (private-use characters)",
    (
        "core/frame.py",
        "return mark_safe(html)",
    ): "a template's output with the escaped per-request values put in place of the markers",
    (
        "bgys/templatetags/bgys_compliance.py",
        'return mark_safe("".join(cells))  # whole numbers and fixed markup only',
    ): "a compliance tally's cells: int() of each count and rate, and constant markup",
    (
        "accounts/templates/accounts/two_factor_setup.html",
        "qr_svg|safe",
    ): "an SVG drawn by the qrcode library from the TOTP URI: paths only, no user text",
    (
        "servicedesk/templates/servicedesk/email/ticket_event.txt",
        "{% autoescape off %}",
    ): "the plain-text e-mail part: no HTML reader; the HTML part stays escaped",
    (
        "core/templatetags/biys.py",
        'return mark_safe("".join(parts))',
    ): "highlight(): every chunk of the text went through conditional_escape first",
    (
        "core/templatetags/biys.py",
        "return mark_safe('<span class=\"text-secondary\">—</span>')",
    ): "a constant",
    (
        "core/tables.py",
        'return mark_safe("\\n".join(html))',
    ): "render_rows(): attributes from AttributeDict.as_html() (escaped) and cells through"
    " render_value_in_context (escaped unless the column's own render marked them safe);"
    " render_header(): the same attributes, headers through conditional_escape, the query"
    " string through html.escape",
    (
        "core/navigation.py",
        'return mark_safe("\\n".join(html))',
    ): "render_menu(): every label, URL and icon name through html.escape",
    (
        "core/html.py",
        "return SafeString(format_string.format(*map(_escaped, args), **_escaped_values(kwargs)))",
    ): "core.html.format_html: django's format_html, every argument escaped (_escaped)",
    (
        "core/html.py",
        "return SafeString(format_string.format(*map(_escaped, args)))",
    ): "core.html.format_html without keyword arguments: every argument escaped (_escaped)",
    (
        "core/html.py",
        "return SafeString(separator.join(map(_escaped, pieces)))",
    ): "core.html.join_html: every piece escaped (_escaped), the separator the caller's constant",
    (
        "servicedesk/tables.py",
        'return mark_safe(f"{before}{int(record.pk)}{between}{escape(record.number)}{after}")',
    ): "the Take form: pieces of one format_html() output, an int and the escaped number",
    (
        "servicedesk/tables.py",
        "return mark_safe(f'<a href=\"{escape(url)}\">{escape(record.number)}</a>')",
    ): "the ticket link: the URL and the number escaped",
    (
        "servicedesk/tables.py",
        """return SafeString(f"{before}{escape(str(due_text(clock['due'])))}{after}")""",
    ): "the SLA badge: pieces of one format_html() output around the escaped due time",
    (
        "servicedesk/tables.py",
        "SafeString(marker),",
    ): "the SLA badge's frame: a constant marker where the due time goes",
    (
        "inventory/tables.py",
        "text = texts[name, key] = SafeString(escape(shown))",
    ): "an asset row's related object (model, custodian, unit, location): its text escaped",
    (
        "inventory/tables.py",
        "return SafeString(f'<a href=\"{escape(url)}\">{escape(record.inventory_number)}</a>')",
    ): "the asset link: the URL and the inventory number escaped",
    (
        "inventory/tables.py",
        "return None if day is None else SafeString(day.isoformat())",
    ): "an asset's date in ISO form: digits and dashes",
    (
        "inventory/tables.py",
        "return SafeString(escape(text))",
    ): "an asset's value: the localised number, escaped",
    (
        "inventory/templatetags/inventory_rows.py",
        'return SafeString("".join(html))',
    ): "custody rows: constant markup, every value through escape() or _text() (escaped"
    " unless already HTML), URLs escaped",
    (
        "org/tables.py",
        """return SafeString(f'{_CHECKBOX[0]}{int(pk)}{_CHECKBOX[1]}{escape(label)}">')""",
    ): "a person's selection box: constant markup, an int and the escaped label",
    (
        "org/tables.py",
        "return SafeString(f'<a href=\"{escape(url)}\">{escape(record.full_name)}</a>')",
    ): "the person link: the URL and the name escaped",
    (
        "org/tables.py",
        "return SafeString(f'<a href=\"mailto:{email}\">{email}</a>')",
    ): "a person's e-mail link: the address escaped on the line before",
}


def offending_lines(root: Path = ROOT):
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in f"/{relative}" or "/static/" in f"/{relative}" or not path.is_file():
            continue
        if path.suffix in (".html", ".txt", ".xml", ".svg"):
            pattern = TEMPLATE_PATTERN
        elif path.suffix == ".py":
            pattern = PYTHON_PATTERN
        else:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not pattern.search(line):
                continue
            if any(rel == relative and snippet in line for rel, snippet in ALLOWED):
                continue
            yield f"{relative}:{number}: {line.strip()}"


def test_no_safe_markup_outside_the_allow_list():
    assert list(offending_lines()) == []


def test_every_allow_list_entry_still_exists():
    """A stale entry would let a new use slip in on the same line text."""
    for relative, snippet in ALLOWED:
        assert snippet in (ROOT / relative).read_text(encoding="utf-8"), relative


def test_the_scanner_finds_a_safe_filter(tmp_path):
    templates = tmp_path / "x" / "templates"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text("<p>{{ item.help|safe }}</p>\n", encoding="utf-8")
    (tmp_path / "x" / "views.py").write_text("html = mark_safe(user_text)\n", encoding="utf-8")
    (templates / "raw.html").write_text("{% autoescape off %}{{ x }}{% endautoescape %}\n")
    assert len(list(offending_lines(tmp_path))) == 3


@pytest.mark.django_db
def test_catalogue_help_text_is_escaped_on_the_new_ticket_page(client, org_tree, make_user):
    from biys.servicedesk.tests.factories import CatalogItemFactory

    attack = '<img src=x onerror="alert(1)">'
    item = CatalogItemFactory(
        unit=org_tree["helpdesk"],
        form_fields=[{"name": "model", "label": "Model", "type": "text", "help": attack}],
    )
    client.force_login(make_user("requester", org_tree["roads"]))
    response = client.get(reverse("servicedesk:ticket_create", args=[item.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert attack not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
