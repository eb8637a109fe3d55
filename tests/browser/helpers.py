"""What the browser tests share besides their fixtures: axe-core's findings on a page, and
logging in to the office's screens.

axe-core comes inside the ``axe-playwright-python`` wheel (the ``test`` extra): nothing is
downloaded while the tests run.
"""

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
PASSWORD = "correct horse battery"  # make_user's default


def axe_violations(page) -> list[str]:
    """Every axe-core rule that fails on the page (all impacts, best practices included)."""
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in AXE.run(page).response["violations"]
    ]


def log_in(page, email: str, home: str) -> None:
    """Log in through the login form, land on ``home`` ("/staff/"), then switch the interface
    to English (the choice sticks)."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"**{home}")
    page.goto(f"{home}?lang=en")
