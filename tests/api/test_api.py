"""JSON API v1: the contract of issue 2, item 6 — names, shapes, status codes and messages.

Every test runs on SQLite and PostgreSQL (the ``app`` fixture). The clock stands on Tuesday
2026-12-01, 9:00 in Warsaw, so the first bookable day of a default matter is Wednesday 2 December
and the last one (30 days ahead) is Thursday 31 December.
"""

import re
from datetime import datetime, time, timedelta

import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate as validate_openapi
from sqlalchemy import func, select

from app.booking.models import Visit
from app.extensions import db
from app.matters.models import Closure, Matter, VisitPolicy
from tests.support import REFERENCE, shipped_catalog, warsaw

WEDNESDAY_TEN = "2026-12-02T10:00:00+01:00"
THURSDAY_TEN = "2026-12-03T10:00:00+01:00"
MISSING = object()  # a field left out of the request body


def visit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Visit))


def visit_body(matter, /, **overrides) -> dict:
    """A valid request for Wednesday 10:00 at the matter's first location; ``MISSING`` drops a
    field."""
    body = {
        "matter": matter.slug,
        "location": matter.locations[0].slug,
        "start": WEDNESDAY_TEN,
        "name": "Jan Kowalski",
        "email": "jan.kowalski@example.pl",
    } | overrides
    return {field: value for field, value in body.items() if value is not MISSING}


def post_visit(client, body, **kwargs):
    return client.post("/api/v1/visits", json=body, **kwargs)


def get_slots(client, slug, first=None, last=None, **params):
    query = {"from": first, "to": last} | params
    return client.get(
        f"/api/v1/matters/{slug}/slots",
        query_string={name: value for name, value in query.items() if value is not None},
    )


def slot_starts(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [slot["start"] for slot in response.get_json()["slots"]]


def assert_messages(messages) -> None:
    """Messages are for people: a non-empty list of non-empty strings."""
    assert isinstance(messages, list) and messages
    assert all(isinstance(message, str) and message.strip() for message in messages)


# --- GET /api/v1/matters -----------------------------------------------------------------------

MATTER_KEYS = {
    "slug",
    "title",
    "unit",
    "visit_policy",
    "confirmation",
    "locations",
    "channels",
    "languages",
}


def api_matters(client) -> dict[str, dict]:
    response = client.get("/api/v1/matters")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return {matter["slug"]: matter for matter in response.get_json()["matters"]}


def test_matters_have_exactly_the_contract_keys(client, catalog):
    matters = api_matters(client)

    assert matters
    for matter in matters.values():
        assert set(matter) == MATTER_KEYS
        assert matter["visit_policy"] in {"online", "by_phone", "none"}
        assert matter["confirmation"] in {"auto", "staff"}
        for location in matter["locations"]:
            assert set(location) == {"slug", "name", "address"}
            assert all(isinstance(value, str) and value for value in location.values())
        for channel in matter["channels"]:
            assert set(channel) == {"kind", "value", "label", "hours"}
    assert matters["fami"]["languages"] == ["en", "uk", "ru"]


def test_matters_follow_the_catalog_file(client, catalog):
    matters = api_matters(client)
    in_file = shipped_catalog()["matters"]

    assert set(matters) == {entry["slug"] for entry in in_file}
    for entry in in_file:
        matter = matters[entry["slug"]]
        assert matter["title"] == entry["title"]["pl"]
        assert matter["unit"] == entry["unit"]
        assert matter["visit_policy"] == entry["visit_policy"]
        assert matter["confirmation"] == entry["confirmation"]
        assert [location["slug"] for location in matter["locations"]] == entry["locations"]
        assert [(c["kind"], c["value"]) for c in matter["channels"]] == [
            (c["kind"], c["value"]) for c in entry["channels"]
        ]


def test_fami_is_booked_online_at_two_points(client, catalog):
    fami = api_matters(client)["fami"]

    assert (fami["visit_policy"], fami["confirmation"]) == ("online", "auto")
    assert [(loc["slug"], loc["address"]) for loc in fami["locations"]] == [
        ("fami-krakow", "ul. Basztowa 22, 31-156 Kraków"),
        ("fami-nowy-sacz", "ul. Jagiellońska 52, 33-300 Nowy Sącz"),
    ]


def test_matter_texts_come_in_the_asked_language(client, catalog):
    english = client.get("/api/v1/matters?lang=en").get_json()["matters"]
    fami = next(matter for matter in english if matter["slug"] == "fami")

    assert fami["title"].startswith("Information and Advisory Points")
    assert fami["locations"][0]["name"].endswith("in Kraków")


# --- GET /api/v1/matters/<slug>/slots ----------------------------------------------------------


def wednesday(*times: str) -> list[str]:
    return [f"2026-12-02T{hhmm}:00+01:00" for hhmm in times]


def test_slots_are_warsaw_times_with_their_offset(client, clock, make_matter):
    matter = make_matter()
    response = get_slots(client, matter.slug, "2026-12-02", "2026-12-02")

    assert response.status_code == 200
    slots = response.get_json()["slots"]
    assert [slot["start"] for slot in slots] == wednesday(
        *(f"{hour:02d}:{minute:02d}" for hour in range(9, 15) for minute in (0, 30))
    )
    assert slots[0] == {
        "start": "2026-12-02T09:00:00+01:00",
        "end": "2026-12-02T09:30:00+01:00",
        "location": matter.locations[0].slug,
        "free": 1,
    }


def test_slots_begin_after_the_lead_time_and_skip_weekends_and_holidays(client, clock, make_matter):
    matter = make_matter()
    starts = slot_starts(get_slots(client, matter.slug, "2026-11-30", "2026-12-31"))

    # Today (Tuesday) is before the lead time; 5–6, 12–13, 19–20 and 26–27 December are
    # weekends; 24 and 25 December public holidays.
    days = sorted({start[:10] for start in starts})
    assert days == [
        f"2026-12-{day:02d}"
        for day in (2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23, 28, 29, 30, 31)
    ]


def test_slots_leave_out_a_closure(client, clock, make_matter):
    matter = make_matter()
    db.session.add(
        Closure(
            location=matter.locations[0],
            starts_at=warsaw(2026, 12, 2, 9, 45),
            ends_at=warsaw(2026, 12, 2, 14, 0),
            reason="Szkolenie",
        )
    )
    db.session.commit()

    starts = slot_starts(get_slots(client, matter.slug, "2026-12-02", "2026-12-02"))
    assert starts == wednesday("09:00", "14:00", "14:30")


@pytest.mark.parametrize(
    ("today", "friday", "monday", "before", "after"),
    [
        pytest.param("2026-03-25T09:00+01:00", "2026-03-27", "2026-03-30", "+01:00", "+02:00"),
        pytest.param("2026-10-21T09:00+02:00", "2026-10-23", "2026-10-26", "+02:00", "+01:00"),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_offsets_change_with_summer_time_and_wall_clock_hours_stay(
    client, clock, make_matter, today, friday, monday, before, after
):
    clock.move_to(today)
    matter = make_matter()
    starts = slot_starts(get_slots(client, matter.slug, friday, monday))

    opening_hours = [f"T{hour:02d}:{minute:02d}:00" for hour in range(9, 15) for minute in (0, 30)]
    assert starts == [f"{friday}{hhmm}{before}" for hhmm in opening_hours] + [
        f"{monday}{hhmm}{after}" for hhmm in opening_hours
    ]


@pytest.mark.parametrize(
    ("today", "sunday", "expected"),
    [
        pytest.param(
            "2026-03-25T09:00+01:00",
            "2026-03-29",
            ["01:00+01:00", "01:30+01:00", "03:00+02:00", "03:30+02:00"],
            id="spring-forward: the hour from 2:00 does not exist",
        ),
        pytest.param(
            "2026-10-21T09:00+02:00",
            "2026-10-25",
            ["01:00+02:00", "01:30+02:00", "02:00+02:00", "02:30+02:00"]
            + ["02:00+01:00", "02:30+01:00", "03:00+01:00", "03:30+01:00"],
            id="fall-back: the hour from 2:00 comes twice",
        ),
    ],
)
def test_a_window_over_the_night_of_the_change_neither_shifts_nor_duplicates_slots(
    client, clock, make_matter, today, sunday, expected
):
    clock.move_to(today)
    matter = make_matter(hours={6: [(time(1), time(4))]})
    response = get_slots(client, matter.slug, sunday, sunday)

    slots = response.get_json()["slots"]
    assert [slot["start"] for slot in slots] == [
        f"{sunday}T{hhmm[:5]}:00{hhmm[5:]}" for hhmm in expected
    ]
    for slot in slots:
        start, end = datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"])
        assert end - start == timedelta(minutes=30)


def test_a_slot_disappears_when_its_only_desk_is_booked(client, clock, make_matter):
    matter = make_matter()
    before = slot_starts(get_slots(client, matter.slug, "2026-12-02", "2026-12-02"))
    assert WEDNESDAY_TEN in before

    assert post_visit(client, visit_body(matter)).status_code == 201

    after = slot_starts(get_slots(client, matter.slug, "2026-12-02", "2026-12-02"))
    assert after == [start for start in before if start != WEDNESDAY_TEN]


def test_free_counts_the_desks_left(client, clock, make_matter):
    matter = make_matter(desks=2)

    def free_at_ten() -> int | None:
        slots = get_slots(client, matter.slug, "2026-12-02", "2026-12-02").get_json()["slots"]
        return next((slot["free"] for slot in slots if slot["start"] == WEDNESDAY_TEN), None)

    assert free_at_ten() == 2
    assert post_visit(client, visit_body(matter, email="anna@example.pl")).status_code == 201
    assert free_at_ten() == 1
    assert post_visit(client, visit_body(matter, email="piotr@example.pl")).status_code == 201
    assert free_at_ten() is None


def test_location_narrows_the_slots_to_one_point(client, clock, catalog):
    both = get_slots(client, "fami", "2026-12-02", "2026-12-02").get_json()["slots"]
    krakow = get_slots(client, "fami", "2026-12-02", "2026-12-02", location="fami-krakow")

    assert {slot["location"] for slot in both} == {"fami-krakow", "fami-nowy-sacz"}
    assert krakow.status_code == 200
    assert krakow.get_json()["slots"] == [s for s in both if s["location"] == "fami-krakow"]
    assert krakow.get_json()["slots"][0]["start"] == "2026-12-02T07:30:00+01:00"
    instants = [datetime.fromisoformat(slot["start"]) for slot in both]
    assert instants == sorted(instants)


def test_the_last_day_of_the_horizon_may_be_asked_for(client, clock, make_matter):
    matter = make_matter()
    starts = slot_starts(get_slots(client, matter.slug, "2026-12-31", "2026-12-31"))

    assert starts[0] == "2026-12-31T09:00:00+01:00"


def test_an_unknown_matter_is_a_json_404(client, clock, make_matter):
    response = get_slots(client, "no-such-matter", "2026-12-02", "2026-12-02")

    assert response.status_code == 404
    body = response.get_json()
    assert body["error"] == "not_found"
    assert_messages([body["message"]])


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        pytest.param({"last": "2026-12-02"}, "from", id="from missing"),
        pytest.param({"first": "2026-12-02"}, "to", id="to missing"),
        pytest.param({"first": "", "last": "2026-12-02"}, "from", id="from empty"),
        pytest.param({"first": "2026-12-32", "last": "2026-12-31"}, "from", id="no such day"),
        pytest.param({"first": "02.12.2026", "last": "2026-12-31"}, "from", id="Polish style"),
        pytest.param({"first": "2026-12-02", "last": "jutro"}, "to", id="to not a date"),
        pytest.param({"first": "20261202", "last": "2026-12-02"}, "from", id="basic ISO form"),
        pytest.param({"first": "2026-12-02", "last": "2026-W49-5"}, "to", id="ISO week date"),
        pytest.param({"first": "2026-12-03", "last": "2026-12-02"}, "from", id="from after to"),
        pytest.param({"first": "2026-12-02", "last": "2027-01-01"}, "2026-12-31", id="horizon"),
        pytest.param(
            {"first": "2026-12-02", "last": "2026-12-02", "location": "nowhere"},
            "",
            id="unknown location",
        ),
        pytest.param(
            {"first": "2026-12-02", "last": "2026-12-02", "location": "elsewhere"},
            "",
            id="location of another matter",
        ),
    ],
)
def test_bad_slot_queries_are_400_with_a_message(client, clock, make_matter, query, mentions):
    matter = make_matter()
    make_matter(location_slug="elsewhere")
    response = get_slots(client, matter.slug, **query)

    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "bad_request"
    assert_messages([body["message"]])
    assert mentions in body["message"]


# --- POST /api/v1/visits: accepted, and the last desk ------------------------------------------


def test_a_valid_request_is_held_and_answered_with_exactly_the_contract_keys(
    client, clock, make_matter
):
    matter = make_matter()
    response = post_visit(client, visit_body(matter, phone="12 430 29 73", language="uk"))

    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"reference", "status", "matter", "location", "start", "end"}
    assert REFERENCE.fullmatch(body["reference"])
    assert body | {"reference": None} == {
        "reference": None,
        "status": "held",
        "matter": matter.slug,
        "location": matter.locations[0].slug,
        "start": WEDNESDAY_TEN,
        "end": "2026-12-02T10:30:00+01:00",
    }
    stored = db.session.scalars(select(Visit)).one()
    assert (stored.reference, stored.status.value) == (body["reference"], "held")
    assert (stored.name, stored.email, stored.phone, stored.language) == (
        "Jan Kowalski",
        "jan.kowalski@example.pl",
        "+48124302973",
        "uk",
    )


@pytest.mark.parametrize(
    "start",
    [
        "2026-12-02T10:00:00+01:00",
        "2026-12-02T09:00:00Z",
        "2026-12-02T11:00:00+02:00",
        "2026-12-02T10:00:00",  # no offset: office wall-clock time
    ],
)
def test_any_offset_names_the_same_slot(client, clock, make_matter, start):
    matter = make_matter()
    response = post_visit(client, visit_body(matter, start=start))

    assert response.status_code == 201
    assert response.get_json()["start"] == WEDNESDAY_TEN


def test_optional_fields_may_be_null(client, clock, make_matter):
    matter = make_matter()
    response = post_visit(client, visit_body(matter, phone=None, language=None))

    assert response.status_code == 201
    stored = db.session.scalars(select(Visit)).one()
    assert (stored.phone, stored.language) == (None, "pl")


@pytest.mark.parametrize("desks", [1, 2])
def test_the_request_after_the_last_desk_is_a_409(client, clock, make_matter, desks):
    matter = make_matter(desks=desks)
    for n in range(desks):
        response = post_visit(client, visit_body(matter, email=f"osoba{n}@example.pl"))
        assert response.status_code == 201

    response = post_visit(client, visit_body(matter, email="spozniony@example.pl"))

    assert response.status_code == 409
    assert response.get_json() == {"error": "slot_taken"}
    assert visit_count() == desks


# --- POST /api/v1/visits: 422, one row per invalid case ----------------------------------------


def close_the_location(client, matter, make_matter):
    db.session.add(
        Closure(
            location=matter.locations[0],
            starts_at=warsaw(2026, 12, 2, 9, 0),
            ends_at=warsaw(2026, 12, 2, 12, 0),
            reason="Szkolenie",
        )
    )
    db.session.commit()


def close_the_whole_office(client, matter, make_matter):
    db.session.add(
        Closure(
            location=None,
            starts_at=warsaw(2026, 12, 2, 0, 0),
            ends_at=warsaw(2026, 12, 3, 0, 0),
            reason="Dzień wolny za święto",
        )
    )
    db.session.commit()


def another_matters_location(client, matter, make_matter):
    make_matter(location_slug="elsewhere")
    return {"location": "elsewhere"}


def book_thursday(**person):
    """The same person already holds Thursday 10:00 for this matter."""

    def arrange(client, matter, make_matter):
        response = post_visit(client, visit_body(matter, start=THURSDAY_TEN) | person)
        assert response.status_code == 201

    return arrange


def book_three_other_matters(client, matter, make_matter):
    for _ in range(3):
        other = make_matter()
        assert post_visit(client, visit_body(other)).status_code == 201


INVALID_REQUESTS = [
    # (matter overrides, arrange, body overrides, fields reported)
    pytest.param({}, None, {"matter": MISSING}, {"matter"}, id="matter missing"),
    pytest.param({}, None, {"location": MISSING}, {"location"}, id="location missing"),
    pytest.param({}, None, {"start": MISSING}, {"start"}, id="start missing"),
    pytest.param({}, None, {"name": MISSING}, {"name"}, id="name missing"),
    pytest.param({}, None, {"email": MISSING}, {"email"}, id="email missing"),
    pytest.param({}, None, {"name": "   "}, {"name"}, id="name blank"),
    pytest.param({}, None, {"name": "J"}, {"name"}, id="name too short"),
    pytest.param({}, None, {"name": "J" * 121}, {"name"}, id="name too long"),
    pytest.param({}, None, {"email": "jan.kowalski.example.pl"}, {"email"}, id="email no @"),
    pytest.param({}, None, {"email": "jan@"}, {"email"}, id="email no domain"),
    pytest.param({}, None, {"email": "jan kowalski@example.pl"}, {"email"}, id="email space"),
    pytest.param({}, None, {"phone": "12"}, {"phone"}, id="phone too short"),
    pytest.param({}, None, {"phone": "zadzwoń"}, {"phone"}, id="phone not a number"),
    pytest.param({}, None, {"language": "de"}, {"language"}, id="unknown language"),
    pytest.param({}, None, {"start": "jutro o 10"}, {"start"}, id="start not ISO"),
    pytest.param({}, None, {"start": "02.12.2026 10:00"}, {"start"}, id="start Polish style"),
    pytest.param({}, None, {"start": "2026-12-02T08:30:00+01:00"}, {"start"}, id="before opening"),
    pytest.param({}, None, {"start": "2026-12-02T15:00:00+01:00"}, {"start"}, id="at closing"),
    pytest.param({}, None, {"start": "2026-12-02T10:15:00+01:00"}, {"start"}, id="off the grid"),
    pytest.param({}, None, {"start": "2026-12-05T10:00:00+01:00"}, {"start"}, id="Saturday"),
    pytest.param({}, None, {"start": "2026-12-24T10:00:00+01:00"}, {"start"}, id="Christmas Eve"),
    pytest.param({}, None, {"start": "2026-12-25T10:00:00+01:00"}, {"start"}, id="Christmas"),
    pytest.param({}, close_the_location, {}, {"start"}, id="closure of the location"),
    pytest.param({}, close_the_whole_office, {}, {"start"}, id="closure of the office"),
    pytest.param({}, None, {"start": "2026-12-01T08:30:00+01:00"}, {"start"}, id="earlier today"),
    pytest.param({}, None, {"start": "2026-11-30T10:00:00+01:00"}, {"start"}, id="yesterday"),
    pytest.param({}, None, {"start": "2026-12-01T11:00:00+01:00"}, {"start"}, id="later today"),
    pytest.param({"lead_days": 2}, None, {}, {"start"}, id="tomorrow, lead time 2 days"),
    pytest.param({}, None, {"start": "2027-01-04T10:00:00+01:00"}, {"start"}, id="after horizon"),
    pytest.param(
        {"visit_policy": VisitPolicy.BY_PHONE}, None, {}, {"matter"}, id="policy by_phone"
    ),
    pytest.param({"visit_policy": VisitPolicy.NONE}, None, {}, {"matter"}, id="policy none"),
    pytest.param({}, None, {"location": "nowhere"}, {"location"}, id="unknown location"),
    pytest.param({}, another_matters_location, {}, {"location"}, id="another matter's location"),
    pytest.param({}, None, {"matter": "no-such-matter"}, {"matter"}, id="unknown matter"),
    pytest.param({}, None, {"name": 5}, {"name"}, id="name a number"),
    pytest.param({}, None, {"email": ["jan@example.pl"]}, {"email"}, id="email a list"),
    pytest.param({}, None, {"phone": 124302973}, {"phone"}, id="phone a number"),
    pytest.param({}, None, {"language": True}, {"language"}, id="language a boolean"),
    pytest.param({}, None, {"start": 1764666000}, {"start"}, id="start a timestamp"),
    pytest.param({}, None, {"matter": {"slug": "x"}}, {"matter"}, id="matter an object"),
    pytest.param({}, None, {"location": 1}, {"location"}, id="location a number"),
    pytest.param({}, book_thursday(), {}, {"email"}, id="already booked this matter"),
    pytest.param(
        {},
        book_thursday(email="JAN.KOWALSKI@example.pl"),
        {},
        {"email"},
        id="already booked, e-mail in other case",
    ),
    pytest.param(
        {},
        book_thursday(email="inny@example.pl", phone="+48 600 100 200"),
        {"phone": "600100200"},
        {"email"},
        id="already booked, same phone",
    ),
    pytest.param({}, book_three_other_matters, {}, {"email"}, id="too many visits in all"),
]


@pytest.mark.parametrize(("matter_overrides", "arrange", "overrides", "fields"), INVALID_REQUESTS)
def test_an_invalid_request_is_a_422_naming_each_field_and_stores_nothing(
    client, clock, make_matter, matter_overrides, arrange, overrides, fields
):
    matter = make_matter(**matter_overrides)
    if arrange is not None:
        overrides = (arrange(client, matter, make_matter) or {}) | overrides
    stored_before = visit_count()

    response = post_visit(client, visit_body(matter, **overrides))

    assert response.status_code == 422
    body = response.get_json()
    assert set(body) == {"errors"}
    assert set(body["errors"]) == fields
    for messages in body["errors"].values():
        assert_messages(messages)
    assert visit_count() == stored_before


def test_several_errors_are_reported_together(client, clock, make_matter):
    matter = make_matter(visit_policy=VisitPolicy.BY_PHONE)
    body = visit_body(
        matter,
        name=MISSING,
        email="nie-email",
        phone="12",
        language="de",
        start="2026-12-24T10:00:00+01:00",
    )
    response = post_visit(client, body)

    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"matter", "start", "name", "email", "phone", "language"}
    for messages in errors.values():
        assert_messages(messages)
    assert visit_count() == 0


def test_each_rule_has_its_own_message(client, clock, make_matter):
    """Different problems read differently: the message says what is wrong, not just "invalid"."""
    matter = make_matter()
    starts = {
        "in the past": "2026-11-30T10:00:00+01:00",
        "before lead time": "2026-12-01T11:00:00+01:00",
        "after horizon": "2027-01-04T10:00:00+01:00",
        "holiday": "2026-12-24T10:00:00+01:00",
        "outside hours": "2026-12-02T08:00:00+01:00",
    }
    messages = {
        problem: post_visit(client, visit_body(matter, start=start)).get_json()["errors"]["start"]
        for problem, start in starts.items()
    }

    assert len({message for found in messages.values() for message in found}) == len(starts)


CHRISTMAS_EVE = {"start": "2026-12-24T10:00:00+01:00"}


@pytest.mark.parametrize(
    ("query", "overrides", "errors"),
    [
        ("", CHRISTMAS_EVE, {"start": ["W to święto urząd jest nieczynny."]}),
        ("?lang=en", CHRISTMAS_EVE, {"start": ["The office is closed on this public holiday."]}),
        ("", {"name": MISSING}, {"name": ["To pole jest wymagane."]}),
        ("?lang=en", {"name": MISSING}, {"name": ["This field is required."]}),
    ],
    ids=["rule, Polish", "rule, English", "missing, Polish", "missing, English"],
)
def test_messages_speak_the_asked_language_polish_by_default(
    client, clock, make_matter, query, overrides, errors
):
    matter = make_matter()
    response = client.post(f"/api/v1/visits{query}", json=visit_body(matter, **overrides))

    assert response.get_json() == {"errors": errors}


def test_a_missing_location_is_only_reported_missing(client, clock, make_matter):
    matter = make_matter()
    response = post_visit(client, visit_body(matter, location=MISSING))

    assert response.get_json() == {"errors": {"location": ["To pole jest wymagane."]}}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Jan\x00Kowalski"),
        ("name", "Jan\nKowalski"),
        ("matter", "matter\x00-1"),
        ("location", "place\x00-1"),
        ("email", "jan\x00@example.pl"),
        ("phone", "600\x00100200"),
        ("start", "2026-12-02T10:00\x00"),
        ("language", "p\x00l"),
    ],
)
def test_control_characters_are_a_422_not_a_server_error(client, clock, make_matter, field, value):
    """PostgreSQL refuses NUL in text: the API must refuse it first, the same on every engine."""
    matter = make_matter()
    response = post_visit(client, visit_body(matter, phone="600100200") | {field: value})

    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert_messages(response.get_json()["errors"][field])
    assert visit_count() == 0


def test_the_control_character_message_is_polish_by_default(client, clock, make_matter):
    matter = make_matter()
    response = post_visit(client, visit_body(matter, name="Jan\tKowalski"))

    assert response.get_json()["errors"]["name"] != ["Must not contain control characters."]


def test_a_nul_character_in_a_matter_slug_is_a_400_that_says_so(client, clock, make_matter):
    response = get_slots(client, "fa%00mi", "2026-12-02", "2026-12-02")

    assert response.status_code == 400
    assert response.get_json() == {
        "error": "bad_request",
        "message": "Zapytanie zawiera niedozwolone znaki.",
    }


# --- POST /api/v1/visits: 400 for a body that is not a JSON object -----------------------------


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        pytest.param('{"matter": "fami", ', "application/json", id="malformed JSON"),
        pytest.param("", "application/json", id="empty body"),
        pytest.param('[{"matter": "fami"}]', "application/json", id="JSON array"),
        pytest.param('"fami"', "application/json", id="JSON string"),
        pytest.param("null", "application/json", id="JSON null"),
        pytest.param("matter=fami&name=Jan", "application/x-www-form-urlencoded", id="a form"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400(client, clock, make_matter, data, content_type):
    make_matter()
    response = client.post("/api/v1/visits", data=data, content_type=content_type)

    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "bad_request"
    assert_messages([body["message"]])
    assert visit_count() == 0


def test_a_json_array_of_valid_requests_is_still_a_400(client, clock, make_matter):
    matter = make_matter()
    response = post_visit(client, [visit_body(matter)])

    assert response.status_code == 400
    assert visit_count() == 0


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/no-such-endpoint", 404),
        ("get", "/api/v1/visits", 405),
        ("delete", "/api/v1/matters", 405),
    ],
)
def test_other_requests_under_the_api_get_json_errors(client, method, path, status):
    response = client.open(path, method=method.upper())

    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert_messages([response.get_json()["message"]])


# --- GET /api/v1/openapi.json ------------------------------------------------------------------

DOCUMENTED = {
    "/matters": {"get"},
    "/matters/{slug}/slots": {"get"},
    "/visits": {"post"},
    "/openapi.json": {"get"},
}


@pytest.fixture
def openapi(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_openapi_document_is_valid_openapi_3(openapi):
    validate_openapi(openapi)
    assert openapi["openapi"].startswith("3.")
    assert openapi["servers"] == [{"url": "http://localhost/api/v1"}]


def test_the_openapi_document_describes_exactly_the_four_endpoints(app, openapi):
    documented = {path: set(operations) for path, operations in openapi["paths"].items()}
    assert documented == DOCUMENTED

    served: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            served.setdefault(path, set()).update(
                method.lower() for method in rule.methods - {"HEAD", "OPTIONS"}
            )
    assert served == documented


def assert_documented(openapi: dict, path: str, method: str, response) -> None:
    """The response matches the schema the document gives for its path, method and status."""
    responses = openapi["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, response.status_code
    schema = responses[str(response.status_code)]["content"]["application/json"]["schema"]
    validator = OAS30Validator(
        schema | {"components": openapi["components"]}, format_checker=oas30_format_checker
    )
    validator.validate(response.get_json())


def test_every_answer_matches_the_openapi_document(client, clock, catalog, openapi):
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    fami.desks, fami.phone_desks = 1, 0  # one desk, so that the second request finds it taken
    db.session.commit()
    slots_path, visits = "/matters/{slug}/slots", "/visits"
    request = {
        "matter": "fami",
        "location": "fami-krakow",
        "start": "2026-12-02T07:30:00+01:00",
        "name": "Olena Kowalenko",
        "email": "olena@example.com",
        "language": "uk",
    }
    answers = [
        ("/matters", "get", client.get("/api/v1/matters")),
        (slots_path, "get", get_slots(client, "fami", "2026-12-02", "2026-12-04")),
        (slots_path, "get", get_slots(client, "fami", "2026-12-02", "2027-02-01")),
        (slots_path, "get", get_slots(client, "no-such-matter", "2026-12-02", "2026-12-02")),
        (visits, "post", post_visit(client, request)),
        (visits, "post", post_visit(client, request | {"email": "inna@example.com"})),
        (visits, "post", post_visit(client, request | {"email": "zły"})),
        (visits, "post", client.post("/api/v1/visits", json=[request])),
    ]

    assert [response.status_code for _, _, response in answers] == [
        200, 200, 400, 404, 201, 409, 422, 400
    ]  # fmt: skip
    for path, method, response in answers:
        assert_documented(openapi, path, method, response)
