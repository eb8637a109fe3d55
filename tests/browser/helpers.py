"""What the browser tests share besides their fixtures: axe-core's findings on a page,
logging in to the office's screens, and moving through a page with the Tab key.

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


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {
                tag: element.tagName.toLowerCase(),
                id: element.id,
                text: (element.innerText || element.value || "").trim().replace(/\\s+/g, " "),
                outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
            };
        }"""
    )


def tab_to(page, matches, limit: int = 150) -> dict:
    """Press Tab until the focused element matches; every stop must show where focus is.

    Focus on <body> means it left the document (past the last control, or before a page that
    just loaded has placed it): the next Tab comes back in at the top.
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["tag"] == "body":
            continue
        assert element["outline"], f"no visible focus on {element}"
        if matches(element):
            return element
    raise AssertionError("Tab never reached the element")
