"""Inputs no one types, at every door: a clear 4xx that says what is wrong, never a 500, and
nothing stored. The rule itself (``app.inputs``) is one, shared by the forms and the API."""

import pytest

from app.inputs import LARGEST_ID, text_problem
from tests.operator.helpers import book
from tests.support import visits

pytestmark = pytest.mark.usefixtures("clock")  # Tuesday 1 December 2026, 9:00

VISIT = {
    "matter": "fami",
    "location": "fami-krakow",
    "start": "2026-12-10T10:00:00+01:00",
    "name": "Jan Kowalski",
    "email": "jan@example.pl",
    "language": "pl",
}


@pytest.mark.parametrize(
    ("text", "multiline", "taken"),
    [
        ("Jan Kowalski", False, True),
        ("Łucja Żółć-Ąę", False, True),
        ("Jan\r\nBcc: victim@example.org", False, False),
        ("Jan\tKowalski", False, False),
        ("Jan\x1bKowalski", False, False),
        ("Jan \ud800", False, False),  # half of a UTF-16 pair
        ("Line one\r\nline two\tand a tab", True, True),
        ("Line \x00 two", True, False),
        ("\ud83d\ude00", True, False),  # a pair as JSON's two escapes leave it (not joined)
        ("😀", False, True),
    ],
)
def test_the_one_text_rule(text, multiline, taken):
    assert (text_problem(text, multiline) is None) is taken


def test_a_line_break_in_the_web_forms_name_is_a_form_error(client, catalog):
    response = client.post(
        "/matters/fami/book?lang=en",
        data=VISIT | {"name": "Jan\r\nBcc: victim@example.org"},
    )

    assert response.status_code == 422
    assert "Must not contain control characters." in response.get_data(as_text=True)
    assert visits() == []


@pytest.mark.parametrize("field", ["name", "matter", "location", "email"])
def test_half_a_utf16_pair_in_the_api_is_a_field_error(client, catalog, field):
    response = client.post(
        "/api/v1/visits?lang=en",
        data=f'{{"{field}": "x\\ud800"}}',
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.get_json()["errors"][field] == [
        "Must not contain characters that are not text."
    ]
    assert visits() == []


def test_the_infoline_refuses_a_control_character_in_a_callers_name(
    client, catalog, login, make_user
):
    login(make_user("operator"))
    client.get("/operator/?lang=en")
    slot = "fami-krakow|2026-12-10T10:00:00+01:00"
    response = book(client, "fami", slot, name="Jan\x1b[31mKowalski")

    assert "Must not contain control characters." in response.get_data(as_text=True)
    assert visits() == []


@pytest.mark.parametrize("path", ["/admin/users/{id}", "/admin/units/{id}", "/admin/matters/{id}"])
def test_an_id_larger_than_the_database_holds_is_a_404(client, login, make_user, path):
    login(make_user("admin"))

    assert client.get(path.format(id=LARGEST_ID)).status_code == 404
    assert client.get(path.format(id="9" * 30)).status_code == 404
