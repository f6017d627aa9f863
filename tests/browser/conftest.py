"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server. Pages are Turkish by default, so the browser asks for Turkish."""

import os
import threading
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the fixtures make
# around it are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "Parola-Guclu-123"  # the shared make_user fixture's password


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class InFlightRequests:
    """A WSGI wrapper counting the requests the live server is still answering.

    With in-memory SQLite the server thread shares the test's database connection, so the
    database flush after a test must not run while the server is still answering a request the
    browser sent last (a favicon, an HTMX call): that is "database table is locked" in teardown.
    """

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
        try:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            with self.lock:
                self.count -= 1

    def wait_until_idle(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.count and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture(scope="session")
def in_flight(live_server):
    server = live_server.thread.httpd
    guard = InFlightRequests(server.get_app())
    server.set_app(guard)
    return guard


@pytest.fixture
def context(browser, live_server, in_flight):
    context = browser.new_context(
        base_url=live_server.url,
        locale="tr-TR",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()
    in_flight.wait_until_idle()  # before the database is flushed under the server's feet


CSP_VIOLATION = "Content Security Policy"


@pytest.fixture
def page(context):
    """A page that fails the test if the browser refused anything under the CSP header."""
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if CSP_VIOLATION in message.text else None,
    )
    page.csp_violations = violations
    yield page
    assert violations == [], violations


@pytest.fixture
def login_as(context, live_server, in_flight):
    """Sign a user in by handing the browser a session made by the test client (once the
    server has answered what the browser last asked: it shares the in-memory database)."""
    from django.conf import settings
    from django.test import Client

    def login(user):
        in_flight.wait_until_idle()
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return user

    return login


@pytest.fixture
def screenshot(tmp_path):
    """Take the README's screenshot ``name``: into docs/screenshots with
    ``BIYS_SCREENSHOTS=1`` (``make screenshots``), else into the test's own folder, so that a
    test run leaves the working tree as it found it (the picture is still taken)."""
    folder = SCREENSHOTS if os.environ.get("BIYS_SCREENSHOTS") == "1" else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name: str):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)

    return save


@pytest.fixture
def duties(org_tree):
    """A regulation article whose items give duties to the IT units."""
    from biys.org.models import Article, Duty, Paragraph, Regulation

    regulation = Regulation.objects.create(
        title="Bilgi İşlem Dairesi Başkanlığı Görev, Yetki ve Sorumluluk Yönetmeliği",
        council_decision_no="2024/112",
    )
    article = Article.objects.create(
        regulation=regulation, number=10, heading="Sistem ve Ağ Şube Müdürlüğünün görevleri"
    )
    paragraph = Paragraph.objects.create(article=article, number=1, order=1)
    items = [
        ("a", "Belediye binalarındaki ağ altyapısını kurmak ve işletmek.", "network"),
        ("b", "PARMAK İZİ ile personel giriş-çıkış ve kapı geçiş sistemlerini kurmak.", "helpdesk"),
        ("c", "Kurumsal yazılımları geliştirmek ve bakımını yapmak.", "software"),
        ("ç", "Elektronik imza (e-imza) başvurularını yürütmek.", "helpdesk"),
    ]
    return [
        Duty.objects.create(
            paragraph=paragraph, label=label, text=text, unit=org_tree[unit], order=index
        )
        for index, (label, text, unit) in enumerate(items)
    ]
