"""Closures: listed, added for a location or the whole office (days or hours), removed."""

import pytest
from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.extensions import db
from app.matters.models import Closure
from tests.pages import page
from tests.support import warsaw


def closures() -> list[Closure]:
    db.session.expire_all()
    return list(db.session.scalars(select(Closure).order_by(Closure.id)))


def logged(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def closure_form(**values) -> dict:
    return {
        "location": "",
        "first_day": "2026-12-24",
        "last_day": "",
        "starts": "",
        "ends": "",
        "reason": "",
    } | values


def test_whole_days_at_a_location_are_closed_and_logged(client, admin, matter):
    place = matter.locations[0]
    data = closure_form(
        location=place.slug, first_day="2026-12-24", last_day="2026-12-27", reason="Wigilia"
    )
    response = client.post("/admin/closures/new", data=data)

    assert response.status_code == 303 and response.location == "/admin/closures"
    [closure] = closures()
    assert closure.location_id == place.id
    assert closure.starts_at == warsaw(2026, 12, 24)
    assert closure.ends_at == warsaw(2026, 12, 28)
    assert closure.reason == "Wigilia"
    [entry] = logged("closure.add")
    assert entry.before is None
    assert entry.after == {
        "location": place.slug,
        "starts_at": "2026-12-24 00:00",
        "ends_at": "2026-12-28 00:00",
        "reason": "Wigilia",
    }
    page = client.get("/admin/closures").get_data(as_text=True)
    assert "Wigilia" in page and "Thursday, 24 December 2026 – Sunday, 27 December 2026" in page


def test_a_time_range_for_the_whole_office_is_closed(client, admin, matter):
    data = closure_form(first_day="2026-12-03", starts="12:00", ends="15:30", reason="Szkolenie")
    page = client.post("/admin/closures/new", data=data, follow_redirects=True)

    assert "The closure is saved. No booked visit is affected." in page.get_data(as_text=True)
    [closure] = closures()
    assert closure.location is None
    assert closure.starts_at == warsaw(2026, 12, 3, 12)
    assert closure.ends_at == warsaw(2026, 12, 3, 15, 30)
    listing = client.get("/admin/closures").get_data(as_text=True)
    assert "The whole office" in listing and "Thursday, 3 December 2026, 12:00–15:30" in listing


def test_hours_over_several_days_run_from_the_first_days_start_to_the_last_days_end(
    client, admin, matter
):
    data = closure_form(first_day="2026-12-03", last_day="2026-12-04", starts="12:00", ends="10:00")
    assert client.post("/admin/closures/new", data=data).status_code == 303
    [closure] = closures()
    assert closure.starts_at == warsaw(2026, 12, 3, 12)
    assert closure.ends_at == warsaw(2026, 12, 4, 10)


BAD_CLOSURES = {
    "no day": ({"first_day": ""}, "first_day", "This field is required."),
    "not a date": ({"first_day": "24.12.2026"}, "first_day", "Not a valid date value."),
    "last before first": ({"last_day": "2026-12-23"}, "last_day", "cannot come before the first"),
    "end before start": ({"starts": "12:00", "ends": "10:00"}, "ends", "must come after the start"),
    "end at start": ({"starts": "12:00", "ends": "12:00"}, "ends", "must come after the start"),
    "start only": ({"starts": "12:00"}, "ends", "Enter both times, or neither"),
    "end only": ({"ends": "12:00"}, "starts", "Enter both times, or neither"),
    "bad time": ({"starts": "25:00", "ends": "26:00"}, "starts", "Enter a time like 09:30."),
    "unknown place": ({"location": "nowhere"}, "location", "Not a valid choice"),
    "long reason": ({"reason": "x" * 201}, "reason", "longer than 200"),
}


@pytest.mark.parametrize(("values", "field", "message"), BAD_CLOSURES.values(), ids=BAD_CLOSURES)
def test_a_bad_closure_is_refused_with_a_message_at_the_field(
    client, admin, matter, values, field, message
):
    response = client.post("/admin/closures/new", data=closure_form(**values))

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    assert closures() == [] and logged("closure.add") == []


def test_a_closure_is_removed_and_the_log_keeps_what_it_was(client, admin, matter):
    data = closure_form(location=matter.locations[0].slug, reason="Awaria")
    client.post("/admin/closures/new", data=data)
    [closure] = closures()

    response = client.post(f"/admin/closures/{closure.id}/remove")

    assert response.status_code == 303
    assert closures() == []
    [entry] = logged("closure.remove")
    assert entry.target == f"closure {closure.id}" and entry.after is None
    assert entry.before["reason"] == "Awaria" and entry.before["starts_at"] == "2026-12-24 00:00"


def test_removing_needs_a_post_and_an_existing_closure(client, admin):
    assert client.get("/admin/closures/1/remove").status_code == 405
    assert client.post("/admin/closures/1/remove").status_code == 404


def test_the_list_pages_through_many_closures(client, admin, app, matter):
    app.config["ADMIN_PAGE_SIZE"] = 2
    for day in (1, 2, 3):
        db.session.add(
            Closure(
                starts_at=warsaw(2026, 12, day),
                ends_at=warsaw(2026, 12, day + 1),
                reason=f"closure {day}",
            )
        )
    db.session.commit()
    first = client.get("/admin/closures").get_data(as_text=True)
    assert "closure 3" in first and "closure 2" in first and "closure 1" not in first
    second = client.get("/admin/closures?page=2").get_data(as_text=True)
    assert "closure 1" in second and "Page 2 of 2" in second


@pytest.mark.parametrize(
    "days",
    [
        {"first_day": "0001-01-01"},
        {"first_day": "9999-12-31"},
        {"first_day": "2026-12-24", "last_day": "9999-12-31"},
    ],
)
def test_a_day_far_outside_any_use_is_a_form_error(client, admin, matter, days):
    response = client.post("/admin/closures/new", data=closure_form(**days))

    assert response.status_code == 200
    assert "Enter a day between the years 2000 and 2999." in response.get_data(as_text=True)
    assert closures() == []


def test_the_form_starts_at_a_place_and_offers_the_whole_office_last(client, admin, matter):
    form = page(client.get("/admin/closures/new"), 200).form("")
    assert form.options["location"] == [matter.locations[0].slug, ""]
    assert form.chosen["location"] == matter.locations[0].slug  # not every place by a slip
