"""No English left in the Turkish UI, no Turkish left in the English UI.

Every page of the UI matrix (list, detail with its tabs, edit) and the shell's own pages are
rendered in both languages for an administrator. The visible text (and titles, placeholders,
ARIA labels) is checked: in Turkish for words of English UI vocabulary, in English for letters
only Turkish writes (ğ ş ı İ). What the database holds (names of units, people, services) is data,
not UI, and is taken out first.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from biys.core.testing import FACTORIES
from tests.permissions.matrix import ui_pages

pytestmark = pytest.mark.django_db

# Words of English UI text that are not Turkish words (nor abbreviations Turkish uses, like
# "No" in "Sicil No").
ENGLISH_WORDS = {
    "the",
    "and",
    "of",
    "with",
    "for",
    "from",
    "your",
    "this",
    "that",
    "you",
    "Search",
    "Save",
    "Cancel",
    "Delete",
    "Edit",
    "Add",
    "Filter",
    "Export",
    "Import",
    "Back",
    "Next",
    "Previous",
    "Select",
    "Change",
    "Changes",
    "History",
    "Details",
    "Created",
    "Updated",
    "Deleted",
    "None",
    "Yes",
    "Name",
    "Number",
    "Order",
    "Title",
    "Description",
    "Status",
    "State",
    "Active",
    "Inactive",
    "User",
    "Users",
    "Role",
    "Roles",
    "Unit",
    "Units",
    "Person",
    "People",
    "Ticket",
    "Tickets",
    "Paragraph",
    "Article",
    "Regulation",
    "Duty",
    "Duties",
    "breached",
    "met",
    "paused",
    "late",
    "left",
    "Requester",
    "Technician",
    "Chief",
    "Administrator",
    "Auditor",
    "Department",
    "Manager",
    "Priority",
    "Impact",
    "Urgency",
    "Comment",
    "Comments",
    "Attachment",
    "Attachments",
    "Notifications",
    "Home",
    "Logout",
    "Profile",
    "Settings",
    "Loading",
    "Submit",
    "Close",
    "Open",
    "New",
    "View",
    "Show",
    "Hide",
    "results",
    "result",
    "page",
    "Page",
    "items",
    "item",
    "Type",
    "Action",
    "Time",
    "Date",
    "Subject",
    "Phone",
    "Location",
    "Keywords",
    "Text",
    "Label",
    "Quantity",
    "Equipment",
    "Justification",
    "Software",
    "Material",
    "Operation",
    "System",
    "Access",
}
ENGLISH = re.compile(r"(?<![\w-])(" + "|".join(sorted(ENGLISH_WORDS)) + r")(?![\w-])")
TURKISH_ONLY = re.compile(r"[ğĞşŞıİ]")
# Proper names and legal terms written the same in both languages.
ALLOWED = {
    "tr": ["BİYS", "API", "CSV", "PDF", "SLA", "LDAP", "KVKK", "HTMX", "e-mail", "Excel"],
    "en": [
        "BİYS",
        "Türkçe",
        "MADDE",
        "GEÇİCİ",
        "Bilgi İşlem",
        "T.C.",
        "TC kimlik",
        "CİMER",
        "DETSİS",
        "MERSİS",
        "e-Yazışma",
    ],
}
# The English UI names Turkish institutions with their Turkish term ("Department (daire
# başkanlığı)") and gives examples of what staff type ("e.g. yazıcı çalışmıyor").
ALLOWED_PATTERNS = {
    "tr": [],
    "en": [
        re.compile(r"(?<=\w )\([a-zçğıöşüâî /]+\)"),
        re.compile(r"e\.g\. [^.\n]*"),
    ],
}
SHELL_PAGES = [
    ("core:home", {}),
    ("core:search", {"q": "a"}),
    ("core:changelog", {}),
    ("core:audit_verify", {}),
    ("servicedesk:ticket_new", {}),
    ("servicedesk:my_tickets", {}),
    ("servicedesk:unit_tickets", {}),
    ("servicedesk:approvals", {}),
    ("servicedesk:phone_intake", {}),
    ("servicedesk:stats", {}),
    ("org:regulation_import", {}),
    ("org:regulation_draft_list", {}),
    ("org:chart", {}),
    ("accounts:users", {}),
    ("accounts:roles", {}),
    ("accounts:profile", {}),
    ("notifications:list", {}),
    ("calendar:year_current", {}),
]


class _VisibleText(HTMLParser):
    ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm")

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        self.parts += [value for name, value in attrs if name in self.ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(re.sub(r"</?mark>", "", html))  # search hits mark parts of words
    return parser.parts


def data_strings() -> list[str]:
    """Every text value in the database: names are data in any language. Values the catalogue
    translates (built-in role names are stored in English) are UI text and stay checked."""
    values = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if fields:
            for row in model._base_manager.values_list(*fields):
                values.update(str(value) for value in row if value and len(str(value)) > 1)
        # A JSON list of names (the documents an application type asks for) is data too.
        lists = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        if lists:
            for row in model._base_manager.values_list(*lists):
                for value in row:
                    if isinstance(value, list):
                        values.update(str(item) for item in value
                                      if isinstance(item, str) and len(item) > 1)  # fmt: skip
    with translation.override("tr"):
        values = {value for value in values if translation.gettext(value) == value}
    return sorted(values, key=len, reverse=True)


def leaks(language: str, text: str, data: list[str]) -> list[str]:
    for value in [*data, *ALLOWED[language]]:
        text = text.replace(value, " ")
    for pattern in ALLOWED_PATTERNS[language]:
        text = pattern.sub(" ", text)
    pattern = ENGLISH if language == "tr" else TURKISH_ONLY
    found = []
    for match in pattern.finditer(text):
        found.append(text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " "))
    return found


def urls_to_check(org_tree) -> list[str]:
    urls = []
    for name, query in SHELL_PAGES:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        urls.append(url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""))
    for page in ui_pages():
        obj = FACTORIES[page.model](org_tree["helpdesk"])
        if page.list_url_name:
            urls.append(reverse(page.list_url_name))
        if page.detail_url_name:
            detail = reverse(page.detail_url_name, kwargs={"pk": obj.pk})
            urls += [detail, detail + "?tab=history"]
        if page.edit_url_name:
            urls.append(reverse(page.edit_url_name, kwargs={"pk": obj.pk}))
    return urls


@pytest.mark.parametrize("language", ["tr", "en"])
def test_every_page_speaks_one_language(language, org_tree, make_user):
    admin = make_user("administrator", org_tree["dept"], superuser=True)
    urls = urls_to_check(org_tree)
    data = data_strings()
    client = Client()
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    problems = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        text = "\n".join(visible_text(response.content.decode()))
        problems += [f"{url}: …{leak}…" for leak in leaks(language, text, data)]
    assert not problems, f"{len(problems)} untranslated in {language}:\n" + "\n".join(
        dict.fromkeys(problems)
    )
