"""A visit just after a change of summer time keeps its wall-clock hour in the calendar event."""

import re
from datetime import datetime, timedelta
from email import message_from_string, policy
from urllib.parse import urlsplit

import icalendar
import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from tests.support import WARSAW


def mail(kind: str):
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == kind))
    return message_from_string(row.raw, policy=policy.default)


def link_in(message, part: str) -> str:
    text = message.get_body(("plain",)).get_content()
    (path,) = [urlsplit(u).path for u in re.findall(r"https?://\S+", text) if part in u]
    return path


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
    assert client.post(link_in(mail("verification"), "/verify/")).status_code == 200
    db.session.commit()  # on SQLite an open transaction would block the scheduler

    result = runner.invoke(args=["scheduler", "run-once"])
    assert result.exit_code == 0, result.output

    (confirmation,) = [m for m in mail_to.messages if any(m.iter_attachments())]
    (part,) = confirmation.iter_attachments()
    calendar = icalendar.Calendar.from_ical(part.get_content())
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == datetime.fromisoformat(monday).replace(hour=10, tzinfo=WARSAW)
    assert start.utcoffset() == timedelta(hours=offset)
    assert event["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert f"DTSTART;TZID=Europe/Warsaw:{monday.replace('-', '')}T100000" in part.get_content()
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Warsaw"
    assert {component.name for component in timezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
