"""Browser fixtures, shared through tests/conftest.py: the app served on a free port, driven by
Debian's Chromium through Playwright.

The browser tests run on SQLite only (the database is not what they test). The app is served by
werkzeug in a background thread of this process, so the frozen clock (time_machine) is the
server's clock too: the free times are those of Tuesday 2026-12-01, 9:00 in Warsaw.

Without ``/usr/bin/chromium`` the tests are skipped, except under CI, where that is a failure.
Screenshots of the key pages are written to ``test-artifacts/`` (not committed).
"""

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from app.booking.models import Visit
from app.extensions import db
from tests.support import require_or_skip

FORM_URL = "/matters/fami/book?location=fami-krakow&start=2026-12-02T07%3A30%3A00%2B01%3A00"

CHROMIUM = Path(os.environ.get("WIZYTA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 5_000


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        require_or_skip(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - the test extra installs it
        require_or_skip(f"Playwright is not installed: {error}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class QuietRequestHandler(WSGIRequestHandler):
    """No access log for every request; errors are still logged."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture
def live_server(app, catalog, clock) -> Iterator[str]:
    """The app with the notice's catalog, on 127.0.0.1 at a free port; yields its base URL."""
    db.session.remove()  # the test's own session holds no connection while the server writes
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (own cookies, so its own language and session) and page.

    Any response with a 5xx status fails the test.
    """
    context = browser.new_context(
        base_url=live_server,
        locale="pl-PL",
        timezone_id="Europe/Warsaw",
        viewport={"width": 1024, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    server_errors: list[str] = []
    page.on(
        "response",
        lambda response: (
            server_errors.append(f"{response.status} {response.url}")
            if response.status >= 500
            else None
        ),
    )
    yield page
    context.close()
    assert not server_errors, f"the server answered with errors: {server_errors}"


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` saves a full-page screenshot to test-artifacts/name.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


@pytest.fixture
def stored_visits(app_context):
    """``stored_visits()``: every visit in the database, read in a transaction of its own.

    The transaction is ended at once: on SQLite it holds the write lock (BEGIN IMMEDIATE),
    which would keep the server waiting.
    """

    def read() -> list[Visit]:
        try:
            visits = db.session.scalars(select(Visit).order_by(Visit.id)).all()
            for visit in visits:
                db.session.expunge(visit)
            return visits
        finally:
            db.session.rollback()

    return read


@pytest.fixture
def send_request():
    """``send_request(page)``: request the first FAMI time in Kraków through the form."""

    def send(page, name: str = "Jan Nowak", email: str = "jan@example.pl") -> None:
        page.goto(FORM_URL)
        page.locator("#name").fill(name)
        page.locator("#email").fill(email)
        page.locator("form button[type=submit]").click()
        page.wait_for_url("**/booking/sent")

    return send
