"""Screenshots of the main pages, desktop (1366×768) and phone (390×844), Polish and Ukrainian,
into docs/screenshots/ (`make screenshots`; the README shows them).

The demo is served on a throw-away SQLite database with the notice's catalog and seeded visits,
and photographed in Debian's Chromium through Playwright. Pass page names to take only those.
With Debian's optipng installed the pictures are recompressed (about a quarter smaller).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]
CHROMIUM = os.environ.get("WIZYTA_CHROMIUM", "/usr/bin/chromium")
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
LANGUAGES = ("pl", "uk")


def manage_path() -> str:
    """The manage link of the first confirmed FAMI visit ahead, as its e-mail gives it."""
    from sqlalchemy import select

    from app import create_app
    from app.booking.links import MANAGE, make_token
    from app.booking.models import Visit, VisitStatus
    from app.database import utcnow
    from app.extensions import db

    with create_app().app_context():
        visit = db.session.scalars(
            select(Visit)
            .where(
                Visit.status == VisitStatus.CONFIRMED,
                Visit.starts_at > utcnow(),
                Visit.email.is_not(None),
                Visit.matter.has(slug="fami"),
            )
            .order_by(Visit.starts_at)
        ).first()
        return f"/visits/manage/{make_token(visit, MANAGE)}"


def pages() -> dict[str, str]:
    manage = manage_path()
    return {
        "home": "/",
        "matter": "/matters/fami",
        "matter-place": "/matters/fami?location=fami-nowy-sacz",
        "manage": manage,
        "move": f"{manage}/move",
        "by-phone": "/matters/orzekanie-o-niepelnosprawnosci",
        "no-visits": "/matters/przeciwdzialanie-przemocy",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the demo did not start at {url}")


def main(only: list[str]) -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        os.environ |= {  # for the commands, the server and this process alike
            "DATABASE_URL": f"sqlite:///{folder}/screenshots.sqlite",
            "SECRET_KEY": "screenshots",
        }
        for command in (
            ["db", "upgrade"],
            ["catalog", "load"],
            ["demo", "seed", "--visits", "3000"],
        ):
            subprocess.run(FLASK + command, cwd=ROOT, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            FLASK + ["run", "--port", str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base)
            shoot(
                base,
                {name: path for name, path in pages().items() if not only or name in only},
            )
        finally:
            server.terminate()
            server.wait()


def shoot(base: str, chosen: dict[str, str]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for size, (width, height) in SIZES.items():
            for language in LANGUAGES:
                context = browser.new_context(
                    base_url=base,
                    viewport={"width": width, "height": height},
                    locale=language,
                    timezone_id="Europe/Warsaw",
                )
                page = context.new_page()
                page.goto(f"/?lang={language}")
                for name, path in chosen.items():
                    page.goto(path)
                    target = OUT / f"{name}-{size}-{language}.png"
                    page.screenshot(path=str(target), full_page=True)
                    if shutil.which("optipng"):
                        subprocess.run(["optipng", "-quiet", "-o2", str(target)], check=True)
                    print(target.relative_to(ROOT))
                context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
