"""No personal data in the logs or the URLs: a visit's whole life, from the public form through
the e-mails and the scheduler to its cancellation, logged at DEBUG, and nothing of the visitor
appears in what the service logs or in any address it sends the browser to."""

import logging

import pytest

from tests.mails import links_in
from tests.pages import page
from tests.support import run_scheduler_once, visit_by

pytestmark = pytest.mark.usefixtures("clock")  # Tuesday 1 December 2026, 9:00
NAME, EMAIL, PHONE = "Olena Kowalenko", "olena.kowalenko@example.org", "+48 601 202 303"
PERSONAL = [NAME, "Kowalenko", EMAIL, "olena.kowalenko", "601 202 303", "601202303"]
FORM_URL = "/matters/fami/book?location=fami-krakow&start=2026-12-02T10:00:00%2B01:00"


def test_a_visits_life_leaves_no_personal_data_in_logs_or_urls(
    client, runner, catalog, mail_to, caplog
):
    caplog.set_level(logging.DEBUG)
    seen_urls = []

    def visit(method, url, **kwargs):
        response = getattr(client, method)(url, **kwargs)
        seen_urls.extend([url, response.headers.get("Location", "")])
        return response

    form = page(visit("get", FORM_URL)).form("/matters/fami/book")
    sent = visit("post", form.action, data=form.data(name=NAME, email=EMAIL, phone=PHONE))
    assert sent.status_code == 303
    run_scheduler_once(runner)
    (verification,) = mail_to.take()
    (verify_path,) = [path for path in links_in(verification) if "/verify/" in path]
    visit("post", verify_path)
    run_scheduler_once(runner)
    (confirmation,) = mail_to.take()
    (manage_path,) = [path for path in links_in(confirmation) if "/manage/" in path]
    visit("post", f"{manage_path}/cancel")
    run_scheduler_once(runner)
    reference = next(word for word in confirmation["Subject"].split() if word.startswith("WP-"))
    assert visit_by(reference).status.value == "cancelled"

    # The service's own records (the test's SMTP server, "mail.log", logs what it received).
    logged = "\n".join(
        record.getMessage() for record in caplog.records if not record.name.startswith("mail.log")
    )
    assert logged, "the flow logs what it does"
    for value in PERSONAL:
        assert value not in logged, value
        assert not [url for url in seen_urls if value in url], value
