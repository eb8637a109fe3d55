"""Units, locations, reception hours and matters, edited through the admin forms."""

import re
from datetime import time

import pytest
from flask_babel import refresh
from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.extensions import db
from app.matters.models import Location, Matter, VisitPolicy
from app.matters.settings import SETTINGS, Fault
from tests.admin.helpers import texts
from tests.matters.settings_cases import REFUSED, Case, params
from tests.support import fresh


def entries(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def errors_of(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


# Units


def test_a_unit_is_renamed_and_given_an_email_and_the_log_keeps_both_values(client, admin, matter):
    unit = matter.unit
    assert unit.name["pl"] in client.get("/admin/units").get_data(as_text=True)
    data = texts("name", {"pl": "Zespół nowy", "en": "New team", "uk": "Нова", "ru": "Новая"})
    response = client.post(
        f"/admin/units/{unit.id}", data=data | {"email": " zespol@urzad.example "}
    )

    assert response.status_code == 303 and response.location == "/admin/units"
    unit = fresh(unit)
    assert unit.name == {"pl": "Zespół nowy", "en": "New team", "uk": "Нова", "ru": "Новая"}
    assert unit.email == "zespol@urzad.example"
    [entry] = entries("unit.update")
    assert entry.actor == admin.email and entry.user_id == admin.id
    assert entry.target == f"unit {unit.slug}"
    assert entry.before == {"name": {"pl": "Zespół 1"}, "email": None}
    assert entry.after == {"name": unit.name, "email": "zespol@urzad.example"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (texts("name", {"en": "Team"}) | {"email": ""}, "The Polish text is required."),
        (texts("name", {"pl": "Zespół"}) | {"email": "not-an-email"}, "Enter an e-mail address"),
        (texts("name", {"pl": "Z" * 201}) | {"email": ""}, "longer than 200"),
    ],
    ids=["no Polish name", "bad e-mail", "name too long"],
)
def test_a_unit_form_with_a_mistake_says_so_and_changes_nothing(
    client, admin, matter, data, message
):
    before = dict(matter.unit.name)
    page = errors_of(client.post(f"/admin/units/{matter.unit.id}", data=data))
    assert message in page and 'aria-invalid="true"' in page
    assert fresh(matter.unit).name == before
    assert entries("unit.update") == []


def test_saving_a_form_unchanged_writes_no_audit_entry(client, admin, matter):
    unit = matter.unit
    data = texts("name", unit.name) | {"email": ""}
    response = client.post(f"/admin/units/{unit.id}", data=data, follow_redirects=True)
    assert "Nothing changed." in response.get_data(as_text=True)
    assert entries("unit.update") == []


def test_an_unknown_record_is_a_404(client, admin):
    for path in ("/admin/units/999", "/admin/locations/999", "/admin/matters/999"):
        assert client.get(path).status_code == 404
        assert client.post(path, data={}).status_code == 404


# Locations


def test_a_location_is_edited_with_its_entrance_texts(client, admin, matter):
    location = matter.locations[0]
    data = (
        texts("name", {"pl": "Punkt Obsługi Klienta", "en": "Customer service point"})
        | {"address": "ul. Basztowa 22, 31-156 Kraków"}
        | texts("entrance", {"pl": "Wejście od ul. Basztowej", "uk": "Вхід з вул. Баштова"})
        | {"hours_assumed": "y"}
    )
    response = client.post(f"/admin/locations/{location.id}", data=data)

    assert response.status_code == 303
    location = fresh(location)
    assert location.name == {"pl": "Punkt Obsługi Klienta", "en": "Customer service point"}
    assert location.entrance == {"pl": "Wejście od ul. Basztowej", "uk": "Вхід з вул. Баштова"}
    assert location.hours_assumed is True
    [entry] = entries("location.update")
    assert entry.before["hours_assumed"] is False and entry.after["hours_assumed"] is True
    assert entry.before["entrance"] == {} and entry.after["entrance"] == location.entrance
    assert entry.after["address"] == "ul. Basztowa 22, 31-156 Kraków"


def test_a_location_needs_an_address(client, admin, matter):
    location = matter.locations[0]
    data = texts("name", location.name) | {"address": "  "}
    assert "This field is required." in errors_of(
        client.post(f"/admin/locations/{location.id}", data=data)
    )
    assert fresh(location).address.startswith("ul. Testowa")


# Reception hours

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def hours_form(**days) -> dict:
    return {day: days.get(day, "") for day in WEEK}


def windows_of(location: Location) -> list[tuple]:
    return sorted((w.weekday, w.opens, w.closes) for w in fresh(location).hours)


def test_the_hours_form_shows_the_current_hours_one_line_a_day(client, admin, matter):
    page = client.get(f"/admin/locations/{matter.locations[0].id}/hours").get_data(as_text=True)
    assert page.count('value="09:00-15:00"') == 5
    assert re.search(r'<input[^>]*name="sat"[^>]*value=""', page)


def test_hours_with_several_windows_a_day_replace_the_old_ones_and_are_logged(
    client, admin, matter
):
    location = matter.locations[0]
    data = hours_form(
        mon="10:00-14:00, 15:00-18:00",
        tue="07:30-15:30",
        wed="10:00-12:00, 12:00-14:00",  # touching is fine
        thu="07:30-15:30",
        fri="9:00–12:00",  # one-digit hour, en dash
    )
    response = client.post(f"/admin/locations/{location.id}/hours", data=data)

    assert response.status_code == 303
    assert windows_of(location) == [
        (0, time(10), time(14)),
        (0, time(15), time(18)),
        (1, time(7, 30), time(15, 30)),
        (2, time(10), time(12)),
        (2, time(12), time(14)),
        (3, time(7, 30), time(15, 30)),
        (4, time(9), time(12)),
    ]
    [entry] = entries("location.hours")
    assert entry.target == f"location {location.slug}"
    assert entry.before == {
        "mon": "09:00-15:00",
        "tue": "09:00-15:00",
        "wed": "09:00-15:00",
        "thu": "09:00-15:00",
        "fri": "09:00-15:00",
    }
    assert entry.after == {
        "mon": "10:00-14:00, 15:00-18:00",
        "tue": "07:30-15:30",
        "wed": "10:00-12:00, 12:00-14:00",
        "thu": "07:30-15:30",
        "fri": "09:00-12:00",
    }
    page = client.get("/admin/locations").get_data(as_text=True)
    assert "10:00–14:00, 15:00–18:00" in page


def test_a_saved_hours_change_says_the_scheduler_rechecks_visits(client, admin, matter):
    data = hours_form(mon="10:00-14:00")
    page = client.post(
        f"/admin/locations/{matter.locations[0].id}/hours", data=data, follow_redirects=True
    ).get_data(as_text=True)
    assert "The reception hours are saved. No booked visit is affected." in page


BAD_HOURS = {
    "overlapping": ("mon", "10:00-12:00, 11:00-13:00", "“10:00-12:00” and “11:00-13:00” overlap."),
    "one inside another": ("tue", "09:00-17:00, 12:00-13:00", "overlap"),
    "opens at closing": ("wed", "10:00-10:00", "“10:00-10:00” closes before it opens."),
    "closes before opening": ("thu", "14:00-10:00", "“14:00-10:00” closes before it opens."),
    "hour 25": ("fri", "10:00-25:00", "“10:00-25:00” is not a time range HH:MM-HH:MM."),
    "minute 61": ("sat", "10:61-12:00", "is not a time range"),
    "no minutes": ("sun", "10-12", "is not a time range"),
    "words": ("mon", "rano", "“rano” is not a time range"),
}


@pytest.mark.parametrize(("day", "text", "message"), BAD_HOURS.values(), ids=BAD_HOURS)
def test_bad_hours_come_back_with_an_error_at_the_day_and_change_nothing(
    client, admin, matter, day, text, message
):
    location = matter.locations[0]
    before = windows_of(location)
    data = hours_form(**{"mon": "09:00-15:00", day: text})
    page = errors_of(client.post(f"/admin/locations/{location.id}/hours", data=data))

    assert message in page
    assert f'id="{day}-error"' in page and f'href="#{day}"' in page  # at the field, and on top
    assert f'value="{text}"' in page  # what was typed stays
    assert windows_of(location) == before
    assert entries("location.hours") == []


def test_a_day_left_empty_has_no_reception(client, admin, matter):
    location = matter.locations[0]
    data = hours_form(mon="09:00-15:00")
    assert client.post(f"/admin/locations/{location.id}/hours", data=data).status_code == 303
    assert windows_of(location) == [(0, time(9), time(15))]


# Matters


def matter_form(matter: Matter, **changes) -> dict:
    data = {}
    for name in ("title", "description", "without_visit", "what_to_bring"):
        data |= texts(name, getattr(matter, name))
    data |= {
        "visit_policy": matter.visit_policy.value,
        "confirmation": matter.confirmation.value,
        "slot_minutes": matter.slot_minutes,
        "desks": matter.desks,
        "phone_desks": matter.phone_desks,
        "phone_release_days": matter.phone_release_days,
        "lead_days": matter.lead_days,
        "horizon_days": matter.horizon_days,
        "retention_days": matter.retention_days,
        "locations": [location.slug for location in matter.locations],
        "languages": matter.languages,
    }
    return data | changes


def test_a_matters_texts_and_booking_settings_are_changed_and_logged(
    client, admin, matter, make_matter
):
    other_place = make_matter(location_slug="fami-nowy-sacz").locations[0]
    page = client.get(f"/admin/matters/{matter.id}").get_data(as_text=True)
    assert 'value="Sprawa 1"' in page and 'value="Matter 1"' in page
    data = matter_form(
        matter,
        visit_policy="by_phone",
        confirmation="staff",
        slot_minutes="45",
        desks="3",
        phone_desks="1",
        phone_release_days="2",
        lead_days="2",
        horizon_days="60",
        retention_days="30",
        locations=[matter.locations[0].slug, "fami-nowy-sacz"],
        **texts("what_to_bring", {"pl": "Dowód osobisty", "en": "An identity card"}),
        **{"title-uk": "Справа 1"},
    )
    response = client.post(f"/admin/matters/{matter.id}", data=data)

    assert response.status_code == 303 and response.location == "/admin/matters"
    matter = fresh(matter)
    assert matter.visit_policy is VisitPolicy.BY_PHONE
    assert matter.confirmation.value == "staff"
    assert (matter.slot_minutes, matter.desks, matter.phone_desks) == (45, 3, 1)
    assert (matter.phone_release_days, matter.lead_days) == (2, 2)
    assert (matter.horizon_days, matter.retention_days) == (60, 30)
    assert [location.id for location in matter.locations] == sorted(
        [matter.locations[0].id, other_place.id]
    )
    assert matter.title == {"pl": "Sprawa 1", "en": "Matter 1", "uk": "Справа 1"}
    assert matter.what_to_bring == {"pl": "Dowód osobisty", "en": "An identity card"}
    [entry] = entries("matter.update")
    assert entry.before == {
        "title": {"pl": "Sprawa 1", "en": "Matter 1"},
        "what_to_bring": {},
        "visit_policy": "online",
        "confirmation": "auto",
        "slot_minutes": 30,
        "desks": 1,
        "phone_desks": 0,
        "lead_days": 1,
        "horizon_days": 30,
        "retention_days": 90,
        "locations": [matter.locations[0].slug],
    }
    assert entry.after["locations"] == [matter.locations[0].slug, "fami-nowy-sacz"]
    assert entry.after["slot_minutes"] == 45 and entry.after["visit_policy"] == "by_phone"
    assert "phone_release_days" not in entry.after  # 2 before and after: not logged


# Settings beyond their limits are the table's (below); these are the form's own mistakes.
BAD_MATTERS = {
    "not a number": ({"slot_minutes": "half an hour"}, "slot_minutes", "integer"),
    "empty": ({"slot_minutes": ""}, "slot_minutes", "Enter a whole number."),
    "huge number": ({"retention_days": "99999999999"}, "retention_days", "from 1 to 3650"),
    "unknown policy": ({"visit_policy": "sometimes"}, "visit_policy", "Not a valid choice"),
    "visits without a location": ({"locations": []}, "locations", "at least one location"),
    "unknown location": ({"locations": ["nowhere"]}, "locations", "not a valid choice"),
    "unknown language": ({"languages": ["de"]}, "languages", "not a valid choice"),
    "no Polish title": ({"title-pl": ""}, "title-pl", "The Polish text is required."),
}


@pytest.mark.parametrize(("changes", "field", "message"), BAD_MATTERS.values(), ids=BAD_MATTERS)
def test_a_matter_form_with_a_mistake_says_so_at_the_field_and_changes_nothing(
    client, admin, matter, changes, field, message
):
    before = (matter.slot_minutes, matter.desks, matter.lead_days, dict(matter.title))
    response = client.post(f"/admin/matters/{matter.id}", data=matter_form(matter, **changes))

    page = errors_of(response)
    assert message.lower() in page.lower()
    assert f'id="{field}-error"' in page
    matter = fresh(matter)
    assert (matter.slot_minutes, matter.desks, matter.lead_days, matter.title) == before
    assert entries("matter.update") == []


def test_the_languages_a_matter_is_served_in_are_set_and_logged(client, admin, matter):
    data = matter_form(matter, languages=["en", "uk"])

    assert client.post(f"/admin/matters/{matter.id}", data=data).status_code == 303

    assert fresh(matter).languages == ["en", "uk"]  # in the interface's order
    [entry] = entries("matter.update")
    assert (entry.before["languages"], entry.after["languages"]) == ([], ["en", "uk"])
    listed = client.get("/?lang=en").get_data(as_text=True)
    assert '<span lang="en">English</span> · <span lang="uk">українська</span>' in listed


def test_a_matter_without_visits_needs_no_location(client, admin, matter):
    data = matter_form(matter, visit_policy="none", locations=[])
    assert client.post(f"/admin/matters/{matter.id}", data=data).status_code == 303
    matter = fresh(matter)
    assert matter.visit_policy is VisitPolicy.NONE and matter.locations == []


# What the form says, in English and in Polish, about a setting beyond its limits.
SETTING_MESSAGES = {
    Fault.OUT_OF_RANGE: (
        "Enter a whole number from {lowest} to {highest}.",
        "Wpisz liczbę całkowitą od {lowest} do {highest}.",
    ),
    Fault.OFF_STEP: (
        "Enter a multiple of {step} from {lowest} to {highest}.",
        "Wpisz wielokrotność liczby {step} od {lowest} do {highest}.",
    ),
    Fault.MORE_THAN_DESKS: (
        "There cannot be more kept desks than desks.",
        "Zarezerwowanych stanowisk nie może być więcej niż stanowisk.",
    ),
    Fault.NOT_BEFORE_HORIZON: (
        "The lead time must be shorter than the horizon.",
        "Wyprzedzenie musi być krótsze niż horyzont.",
    ),
}


def switch_to(client, language: str) -> None:
    """Ask for ``language``. The test's app context outlives each request, and Flask-Babel keeps
    the locale it chose in that context's ``g``: forget it so that ``?lang=`` is read again."""
    refresh()
    client.get(f"/admin/?lang={language}")


def settings_of(matter: Matter) -> dict[str, int]:
    return {name: getattr(fresh(matter), name) for name in SETTINGS}


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("case", params(REFUSED))
def test_a_setting_beyond_its_limits_is_refused_at_its_field_in_the_readers_language(
    client, admin, matter, case: Case, language
):
    switch_to(client, language)
    before = settings_of(matter)

    page = errors_of(
        client.post(f"/admin/matters/{matter.id}", data=matter_form(matter, **case.values))
    )

    setting = SETTINGS[case.field]
    english, polish = SETTING_MESSAGES[case.fault]
    message = (english if language == "en" else polish).format(
        lowest=setting.lowest, highest=setting.highest, step=setting.step
    )
    errors = re.search(rf'<ul class="errors" id="{case.field}-error">(.*?)</ul>', page, re.S)
    assert errors and re.findall(r"<li>(.*?)</li>", errors[1]) == [message]
    assert f'href="#{case.field}">' in page  # the summary at the top links the field
    assert settings_of(matter) == before
    assert entries("matter.update") == []


def test_the_slot_length_hint_gives_its_limits_in_the_readers_language(client, admin, matter):
    english = client.get(f"/admin/matters/{matter.id}").get_data(as_text=True)
    assert "From 5 to 240, in steps of 5. Changing it changes the times offered" in english
    switch_to(client, "pl")
    polish = client.get(f"/admin/matters/{matter.id}").get_data(as_text=True)
    assert "Od 5 do 240, co 5 min. Zmiana zmienia oferowane godziny" in polish
