"""Every message the visitor gets, in every language: its subject survives the wire word for
word (a long one is folded into encoded words, where a lost space is easy), and its links open
the visit's pages in the visit's language."""

import re
from email import message_from_string, policy

import pytest

from app.booking import notifications
from app.extensions import db
from tests.mails import links_in, outbox
from tests.support import warsaw

LANGUAGES = ["pl", "en", "uk", "ru"]


def previous(visit) -> notifications.Previous:
    return notifications.Previous(visit.location, warsaw(2026, 12, 2, 9))


MESSAGES = {
    "verification": notifications.verification,
    "confirmation": notifications.confirmation,
    "changed": lambda visit: notifications.confirmation(visit, previous(visit)),
    "moved_for_decision": lambda visit: notifications.moved_for_decision(visit, previous(visit)),
    "cancellation": notifications.cancellation,
    "declined": notifications.declined,
    "reminder": notifications.reminder,
}


@pytest.fixture
def visit_in(clock, make_matter, make_visit):
    matter = make_matter()

    def make(language: str):
        return make_visit(matter, warsaw(2026, 12, 3, 10), language=language)

    return make


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_subject_arrives_word_for_word(app, visit_in, language):
    visit = visit_in(language)
    for send in MESSAGES.values():
        send(visit)
    db.session.commit()

    rows = outbox()
    assert len(rows) == len(MESSAGES)
    for row in rows:
        wire = message_from_string(row.raw, policy=policy.default)
        assert wire["Subject"] == row.subject, row.kind
        assert visit.reference in row.subject
    long = [row for row in rows if "\n" in row.raw.split("\r\n\r\n")[0].partition("Subject:")[2]]
    if language != "en":
        assert long, "no subject was long enough to fold: the test would prove nothing"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_links_open_the_visits_pages_in_its_language(app, client, visit_in, language):
    visit = visit_in(language)
    notifications.confirmation(visit)
    notifications.verification(visit)
    db.session.commit()

    paths = [path for row in outbox() for path in links_in(row, query=True)]
    assert paths and all(f"lang={language}" in path for path in paths), paths
    for path in paths:
        fresh_browser = app.test_client()  # no language chosen before
        page = fresh_browser.get(path).get_data(as_text=True)
        assert re.search(rf'<html lang="{language}"', page), path


def test_a_first_visit_follows_the_browsers_language(app, client, catalog):
    ukrainian = client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"})
    unknown = app.test_client().get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    chosen = app.test_client()
    chosen.get("/?lang=en")
    after_choice = chosen.get("/", headers={"Accept-Language": "uk"})

    assert '<html lang="uk"' in ukrainian.get_data(as_text=True)
    assert '<html lang="pl"' in unknown.get_data(as_text=True)
    assert '<html lang="en"' in after_choice.get_data(as_text=True)  # the choice wins
