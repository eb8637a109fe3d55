"""The public form's signs of a program: a field only programs fill in and a form sent faster
than a person can. A person never meets either; a script that posts the form does."""

import pytest

from tests.pages import page
from tests.support import visits

pytestmark = pytest.mark.usefixtures("clock")  # Tuesday 1 December 2026, 9:00
FORM_URL = "/matters/fami/book?lang=en&location=fami-krakow&start=2026-12-10T10:00:00%2B01:00"
PERSON = {"name": "Olena Kowalenko", "email": "olena@example.org", "language": "uk"}


@pytest.fixture
def timing_on(app):
    app.config["FORM_MIN_FILL_SECONDS"] = 3


def shown_form(client):
    return page(client.get(FORM_URL)).form("/matters/fami/book")


def test_a_person_who_takes_a_few_seconds_books(client, catalog, clock, timing_on):
    form = shown_form(client)
    clock.shift(20)

    response = client.post(form.action, data=form.data(**PERSON))

    assert response.status_code == 303
    assert [visit.name for visit in visits()] == ["Olena Kowalenko"]


def test_a_form_sent_at_once_is_shown_again_and_taken_when_sent_again(
    client, catalog, clock, timing_on
):
    form = shown_form(client)
    clock.shift(1)
    response = client.post(form.action, data=form.data(**PERSON))

    assert response.status_code == 422
    again = page(response)
    assert "Please check your details and send the request again." in again.text
    assert visits() == []
    form = again.form("/matters/fami/book")
    assert form.fields["name"] == "Olena Kowalenko"  # nothing to type again
    clock.shift(5)
    assert client.post(form.action, data=form.data()).status_code == 303
    assert len(visits()) == 1


@pytest.mark.parametrize(
    "tampered",
    [
        {"shown_at": ""},
        {"shown_at": "1700000000.0"},  # a time without the signature
        {"shown_at": "MTcwMDAwMDAwMC4w.aaaa.bbbb"},  # signed with another key
    ],
)
def test_a_script_that_makes_up_the_time_is_turned_away(
    client, catalog, clock, timing_on, tampered
):
    form = shown_form(client)
    clock.shift(20)

    response = client.post(form.action, data=form.data(**PERSON | tampered))

    assert response.status_code == 422
    assert visits() == []


def test_the_field_only_programs_see_turns_the_request_away(client, catalog, clock):
    form = shown_form(client)
    response = client.post(form.action, data=form.data(**PERSON, website="http://spam.example"))

    assert response.status_code == 422
    assert visits() == []


def test_people_and_screen_readers_do_not_meet_the_field(client, catalog):
    html = client.get(FORM_URL).get_data(as_text=True)
    field = html[html.index('class="not-for-people"') - 5 :]
    field = field[: field.index("</div>")]

    assert 'aria-hidden="true"' in field and 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field
