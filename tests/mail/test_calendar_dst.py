"""A visit just after a change of summer time keeps its wall-clock hour in the calendar event."""

from datetime import datetime, timedelta

import pytest

from tests.mails import calendar_of, calendar_part, event_of, links_in, outbox
from tests.support import WARSAW, run_scheduler_once


@pytest.mark.parametrize(
    ("today", "monday", "offset"),
    [
        pytest.param("2026-03-24T09:00+01:00", "2026-03-30", 2, id="after the spring change"),
        pytest.param("2026-10-20T09:00+02:00", "2026-10-26", 1, id="after the autumn change"),
    ],
)
def test_the_event_keeps_its_hour_across_a_change_of_summer_time(
    client, runner, catalog, clock, mail_to, today, monday, offset
):
    clock.move_to(today)  # a Tuesday; the Sunday between moves the clocks
    response = client.post(
        "/api/v1/visits",
        json={
            "matter": "fami",
            "location": "fami-krakow",
            "start": f"{monday}T10:00:00",  # office wall-clock time
            "name": "Olena Kowalenko",
            "email": "olena@example.org",
        },
    )
    assert response.status_code == 201, response.json
    (verification,) = outbox("verification")
    (verify,) = [path for path in links_in(verification) if "/verify/" in path]
    assert client.post(verify).status_code == 200

    run_scheduler_once(runner)

    (confirmation,) = [m for m in mail_to.messages if calendar_part(m)]
    calendar = calendar_of(confirmation)
    event = event_of(confirmation)
    start = event.decoded("DTSTART")
    assert start == datetime.fromisoformat(monday).replace(hour=10, tzinfo=WARSAW)
    assert start.utcoffset() == timedelta(hours=offset)
    assert event["DTSTART"].params["TZID"] == "Europe/Warsaw"
    ics = calendar_part(confirmation).get_content()
    assert f"DTSTART;TZID=Europe/Warsaw:{monday.replace('-', '')}T100000" in ics
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Warsaw"
    assert {component.name for component in timezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
