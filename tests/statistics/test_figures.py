"""The statistics' figures against the seeded rows, counted here again in plain Python: every
table, as the spreadsheet export gives it, and the same numbers in its CSV and on the page."""

import csv
import io
import statistics
from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.booking.models import Visit
from app.booking.states import ON_AGENDA, Channel, VisitStatus
from app.extensions import db
from app.matters.models import Location, Matter
from app.statistics.models import FreeDateSample, OfferedDesks
from tests.pages import page
from tests.statistics.conftest import YEAR, sheet_rows

S = VisitStatus
WARSAW = ZoneInfo("Europe/Warsaw")
FIRST, LAST = date(2025, 12, 2), date(2026, 12, 1)


def year_visits() -> list[Visit]:
    visits = db.session.scalars(select(Visit).options(selectinload(Visit.changes))).all()
    return [v for v in visits if FIRST <= v.starts_at.astimezone(WARSAW).date() <= LAST]


def share(part, whole):
    return part / whole if whole else None


def ended_by(visit: Visit):
    """The door of the change that called the visit off."""
    return next(c.channel for c in reversed(visit.changes) if c.to_status is visit.status)


def test_how_the_visits_ended(seeded, admin):
    visits = year_visits()
    states = Counter(v.status for v in visits)
    off = Counter((v.status, ended_by(v)) for v in visits if v.status in (S.CANCELLED, S.DECLINED))
    expected = [
        ("Attended", states[S.ATTENDED]),
        ("Did not come", states[S.NO_SHOW]),
        ("Cancelled by the visitor", off[S.CANCELLED, Channel.ONLINE]),
        ("Cancelled through the infoline", off[S.CANCELLED, Channel.INFOLINE]),
        ("Cancelled by the unit", off[S.CANCELLED, Channel.STAFF]),
        ("Cancelled by the office after a change of hours or closures", off[S.CANCELLED, None]),
        ("Declined by the unit", off[S.DECLINED, Channel.STAFF]),
        ("Declined under the booking rules", off[S.DECLINED, None]),
        ("Not confirmed by e-mail in time", states[S.EXPIRED]),
        ("Not over yet", sum(states[s] for s in (S.HELD, S.REQUESTED, S.CONFIRMED, S.ARRIVED))),
    ]
    rows = sheet_rows(admin, "outcomes", YEAR)
    assert rows[0] == ("Outcome", "Visits", "Share")
    assert rows[1:] == [(label, n, pytest.approx(share(n, len(visits)))) for label, n in expected]
    assert sum(n for _label, n in expected) == len(visits) > 1000
    # The seed has every kind of ending the office sees in a year.
    assert all(n > 0 for label, n in expected if "office" not in label and "rules" not in label)


def test_by_channel_and_by_language(seeded, admin):
    visits = year_visits()
    channels = Counter(v.channel for v in visits)
    assert sheet_rows(admin, "channels", YEAR)[1:] == [
        (label, channels[channel], pytest.approx(channels[channel] / len(visits)))
        for label, channel in [
            ("Online", Channel.ONLINE),
            ("By the infoline, for a caller", Channel.INFOLINE),
            ("By the unit's staff", Channel.STAFF),
        ]
    ]
    languages = Counter(v.language for v in visits)
    names = {"pl": "polski", "en": "English", "uk": "українська", "ru": "русский"}
    rows = sheet_rows(admin, "languages", YEAR)[1:]
    assert {name: n for name, n, _share in rows} == {names[k]: n for k, n in languages.items()}
    assert [n for _name, n, _share in rows] == sorted(languages.values(), reverse=True)


def test_offer_and_demand_by_place(seeded, admin):
    visits = year_visits()
    offered = Counter()
    for row in db.session.scalars(select(OfferedDesks)):
        if FIRST <= row.day <= LAST:
            offered[row.matter_id, row.location_id] += row.desk_slots
    asked = Counter((v.matter_id, v.location_id) for v in visits)
    booked = Counter((v.matter_id, v.location_id) for v in visits if v.status in ON_AGENDA)
    titles = {m.id: m.title["en"] for m in db.session.scalars(select(Matter))}
    names = {loc.id: loc.name["en"] for loc in db.session.scalars(select(Location))}
    expected = [
        (titles[m], names[loc], offered[m, loc], asked[m, loc], booked[m, loc])
        + (pytest.approx(share(booked[m, loc], offered[m, loc])),)
        for m, loc in sorted(set(offered) | set(asked))
    ]
    assert sheet_rows(admin, "places", YEAR)[1:] == expected
    # The seed fills at most three quarters of the past year's desks.
    assert all(0 < row[4] <= 0.8 * row[2] for row in expected)


def test_booked_against_offered_by_weekday_and_hour(seeded, admin):
    visits = [v for v in year_visits() if v.status in ON_AGENDA]
    booked = Counter()
    for visit in visits:
        local = visit.starts_at.astimezone(WARSAW)
        booked[local.weekday(), local.hour] += 1
    offered = Counter()
    for row in db.session.scalars(select(OfferedDesks)):
        if FIRST <= row.day <= LAST:
            offered[row.day.weekday(), row.hour] += row.desk_slots
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    expected = [
        (weekdays[d], f"{h:02d}:00", offered[d, h], booked[d, h])
        + (pytest.approx(share(booked[d, h], offered[d, h])),)
        for d, h in sorted(set(booked) | set(offered))
    ]
    assert sheet_rows(admin, "hours", YEAR)[1:] == expected
    assert {row[0] for row in expected} == set(weekdays[:5])  # nobody receives at weekends


def test_how_far_ahead_visits_were_booked(seeded, admin):
    lead = [(v.starts_at - v.created_at).days for v in year_visits() if v.status in ON_AGENDA]
    groups = [
        ("less than a day", 0, 0),
        ("1 day", 1, 1),
        ("2–3 days", 2, 3),
        ("4–7 days", 4, 7),
        ("8–14 days", 8, 14),
        ("15–30 days", 15, 30),
        ("31–60 days", 31, 60),
        ("more than 60 days", 61, 10_000),
    ]
    expected = [
        (label, n, pytest.approx(n / len(lead)))
        for label, fewest, most in groups
        for n in [sum(fewest <= days <= most for days in lead)]
    ]
    assert sheet_rows(admin, "lead_times", YEAR)[1:] == expected
    median = statistics.median_low(lead)
    html = page(admin.get("/statistics/", query_string=YEAR), 200)
    assert f"Median: {median} days." in html.text
    assert html.section("summary").text.count(f"{median} days") == 1


def test_days_until_the_first_free_time_week_by_week(seeded, admin):
    samples = [s for s in db.session.scalars(select(FreeDateSample)) if FIRST <= s.day <= LAST]
    weeks: dict[date, list] = {}
    for sample in samples:
        weeks.setdefault(sample.day - timedelta(days=sample.day.weekday()), []).append(sample)
    expected = []
    for week, found in sorted(weeks.items()):
        ahead = [s.days_ahead for s in found if s.days_ahead is not None]
        expected.append(
            (week, pytest.approx(statistics.mean(ahead)) if ahead else None)
            + (max(ahead) if ahead else None, len(found) - len(ahead))
        )
    rows = sheet_rows(admin, "free_dates", YEAR)
    assert rows[0] == ("Week from", "Average days", "Longest", "Places with nothing free")
    assert [(row[0].date(),) + row[1:] for row in rows[1:]] == expected
    assert len(expected) == 53  # 2 December 2025 is a Tuesday: 52 weeks and a day


def test_a_short_period_day_by_day(seeded, admin):
    november = {"first": "2026-11-01", "last": "2026-11-30"}
    rows = sheet_rows(admin, "free_dates", november)
    assert rows[0][0] == "Day"
    assert [row[0].date() for row in rows[1:]] == [
        date(2026, 11, 1) + timedelta(days=n) for n in range(30)
    ]


def test_the_csv_and_the_page_give_the_same_table(seeded, admin):
    response = admin.get("/statistics/outcomes.csv", query_string=YEAR)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="wizyta-outcomes-2025-12-02-2026-12-01.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    sheet = sheet_rows(admin, "outcomes", YEAR)
    assert rows[0] == list(sheet[0])
    assert [(label, int(n.replace(",", ""))) for label, n, _share in rows[1:]] == [
        (label, n) for label, n, _share in sheet[1:]
    ]
    html = page(admin.get("/statistics/", query_string=YEAR), 200)
    shown = html.section("outcomes").text
    for label, n, share_text in rows[1:]:
        assert f"{label} {n} {share_text}" in shown


def test_a_link_naming_only_a_matter_counts_last_month(seeded, admin):
    response = admin.get("/statistics/", query_string={"matter": "fami"})
    assert "Period: Sunday, 1 November 2026 – Monday, 30 November 2026" in page(response, 200).text


def test_the_page_defaults_to_last_month(seeded, admin):
    html = page(admin.get("/statistics/"), 200)
    assert "Period: Sunday, 1 November 2026 – Monday, 30 November 2026" in html.text
    november = [v for v in year_visits() if v.starts_at.astimezone(WARSAW).month == 11]
    summary = html.section("summary").text
    assert f"Visits asked for {len(november):,}" in summary
