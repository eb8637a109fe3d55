"""Reception hours as text (app/matters/hours.py): plain functions, no app needed."""

from datetime import date, time

import pytest

from app.matters.hours import (
    Fault,
    HoursError,
    closure_bounds,
    format_day,
    parse_day,
    parse_time,
)
from tests.support import WARSAW, shipped_catalog, warsaw

GOOD_DAYS = {
    "empty": ("", []),
    "blank": ("   ", []),
    "one window": ("09:00-15:00", [(time(9), time(15))]),
    "one-digit hour": ("9:00-15:30", [(time(9), time(15, 30))]),
    "en dash and spaces": ("10:00 – 18:00", [(time(10), time(18))]),
    "two windows, sorted": (
        "15:00-18:00, 10:00-14:00",
        [(time(10), time(14)), (time(15), time(18))],
    ),
    "touching windows": ("10:00-12:00, 12:00-14:00", [(time(10), time(12)), (time(12), time(14))]),
    "semicolons": ("07:30-10:00; 11:00-15:00", [(time(7, 30), time(10)), (time(11), time(15))]),
    "trailing comma": ("09:00-15:00,", [(time(9), time(15))]),
}


@pytest.mark.parametrize(("text", "windows"), GOOD_DAYS.values(), ids=GOOD_DAYS)
def test_a_days_hours_are_read_from_text(text, windows):
    assert parse_day(text) == windows


BAD_DAYS = {
    "overlapping": ("10:00-12:00, 11:00-13:00", Fault.OVERLAP, "10:00-12:00", "11:00-13:00"),
    "inside another": ("09:00-17:00, 12:00-13:00", Fault.OVERLAP, "09:00-17:00", "12:00-13:00"),
    "the same twice": ("09:00-12:00, 09:00-12:00", Fault.OVERLAP, "09:00-12:00", "09:00-12:00"),
    "closes before it opens": ("12:00-10:00", Fault.CLOSES_FIRST, "12:00-10:00", ""),
    "opens when it closes": ("10:00-10:00", Fault.CLOSES_FIRST, "10:00-10:00", ""),
    "hour 25": ("10:00-25:00", Fault.NOT_A_WINDOW, "10:00-25:00", ""),
    "minute 60": ("10:60-12:00", Fault.NOT_A_WINDOW, "10:60-12:00", ""),
    "24:00": ("10:00-24:00", Fault.NOT_A_WINDOW, "10:00-24:00", ""),
    "no minutes": ("10-12", Fault.NOT_A_WINDOW, "10-12", ""),
    "dots": ("10.00-12.00", Fault.NOT_A_WINDOW, "10.00-12.00", ""),
    "seconds": ("10:00:00-12:00:00", Fault.NOT_A_WINDOW, "10:00:00-12:00:00", ""),
    "one time only": ("10:00", Fault.NOT_A_WINDOW, "10:00", ""),
    "three times": ("10:00-11:00-12:00", Fault.NOT_A_WINDOW, "10:00-11:00-12:00", ""),
    "words": ("rano", Fault.NOT_A_WINDOW, "rano", ""),
    "negative": ("-10:00-12:00", Fault.NOT_A_WINDOW, "-10:00-12:00", ""),
}


@pytest.mark.parametrize(("text", "fault", "window", "other"), BAD_DAYS.values(), ids=BAD_DAYS)
def test_bad_hours_say_what_is_wrong_with_which_window(text, fault, window, other):
    with pytest.raises(HoursError) as raised:
        parse_day(text)
    assert (raised.value.fault, raised.value.text, raised.value.other) == (fault, window, other)


@pytest.mark.parametrize("text", ["", "7", "07:5", "x7:30", "07:30 am", "-1:00"])
def test_a_time_is_hh_mm(text):
    with pytest.raises(HoursError):
        parse_time(text)


def test_written_back_hours_read_the_same():
    windows = [(time(7, 30), time(10)), (time(10), time(15))]
    assert format_day(reversed(windows)) == "07:30-10:00, 10:00-15:00"
    assert parse_day(format_day(windows)) == windows


def test_a_closure_of_whole_days_runs_from_midnight_to_the_midnight_after_the_last_day():
    start, end = closure_bounds(date(2026, 12, 24), date(2026, 12, 27), None, None, WARSAW)
    assert start == warsaw(2026, 12, 24)
    assert end == warsaw(2026, 12, 28)


def test_a_closure_of_hours_runs_on_the_office_clock_even_across_a_dst_change():
    start, end = closure_bounds(date(2026, 10, 24), date(2026, 10, 26), time(12), time(10), WARSAW)
    assert start.isoformat() == "2026-10-24T12:00:00+02:00"
    assert end.isoformat() == "2026-10-26T10:00:00+01:00"


def test_a_closure_with_one_time_only_is_refused():
    with pytest.raises(ValueError, match="both"):
        closure_bounds(date(2026, 12, 24), None, time(12), None, WARSAW)


def test_the_catalog_file_may_not_give_a_location_overlapping_hours(app_context):
    from app.matters.loader import CatalogError, load_catalog

    data = shipped_catalog()
    fami = next(item for item in data["locations"] if item["slug"] == "fami-krakow")
    fami["hours"]["mon"] = ["10:00-14:00", "13:00-18:00"]
    with pytest.raises(CatalogError, match="mon: 10:00-14:00 and 13:00-18:00 overlap"):
        load_catalog(data)
    fami["hours"]["mon"] = ["10:00-14:00", "14:00-18:00"]  # touching is fine
    load_catalog(data)
