"""The whole path over a real SMTP server: request → verification mail → link → scheduler →
confirmation with a calendar event → cancel through the manage link → METHOD:CANCEL."""

from datetime import timedelta

import pytest

from app.booking.models import VisitStatus
from tests.mails import calendar_method, calendar_of, event_of, html_of, links_in, text_of
from tests.support import run_scheduler_once, visit_by, warsaw


def request_fami_visit(client, language="pl") -> str:
    response = client.post(
        "/api/v1/visits",
        json={
            "matter": "fami",
            "location": "fami-krakow",
            "start": "2026-12-02T10:00:00+01:00",
            "name": "Olena Kowalenko",
            "email": "olena@example.org",
            "language": language,
        },
    )
    assert response.status_code == 201, response.json
    return response.json["reference"]


def test_from_request_to_cancellation(client, runner, catalog, clock, mail_to):
    reference = request_fami_visit(client)

    run_scheduler_once(runner)
    (verification,) = mail_to.take()
    assert verification["To"] == "olena@example.org"
    assert reference in verification["Subject"]
    assert reference in text_of(verification) and reference in html_of(verification)
    (verify_path,) = [path for path in links_in(verification) if "/verify/" in path]

    # Opening the link (as a mail scanner would) changes nothing.
    page = client.get(verify_path)
    assert page.status_code == 200
    assert visit_by(reference).status is VisitStatus.HELD
    assert client.post(verify_path).status_code == 200
    assert visit_by(reference).status is VisitStatus.REQUESTED
    # Used once; a second press changes nothing either.
    assert client.post(verify_path).status_code == 200
    assert [c.to_status for c in visit_by(reference).changes] == [
        VisitStatus.HELD,
        VisitStatus.REQUESTED,
    ]

    run_scheduler_once(runner)
    assert visit_by(reference).status is VisitStatus.CONFIRMED
    (confirmation,) = mail_to.take()
    body = text_of(confirmation)
    for expected in (reference, "ul. Basztowa 22", "10:00", "2 grudnia 2026"):
        assert expected in body
    assert "jedna osoba" in body.lower()
    # Published, not a meeting request: no Accept/Decline for a no-reply sender to ignore.
    assert calendar_method(confirmation) == "PUBLISH"
    calendar = calendar_of(confirmation)
    assert calendar["METHOD"] == "PUBLISH"
    event = event_of(confirmation)
    assert "ATTENDEE" not in event
    (alarm,) = event.walk("VALARM")
    assert (str(alarm["ACTION"]), alarm.decoded("TRIGGER")) == ("DISPLAY", -timedelta(days=1))
    uid = str(event["UID"])
    assert uid.startswith(reference)
    assert event.decoded("DTSTART") == warsaw(2026, 12, 2, 10, 0)
    assert event["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert event.decoded("DTEND") == warsaw(2026, 12, 2, 10, 30)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    assert "Basztowa 22" in str(event["LOCATION"])
    (manage_path,) = [path for path in links_in(confirmation) if "/manage/" in path]
    assert manage_path in str(event["DESCRIPTION"])

    assert reference in client.get(manage_path).get_data(as_text=True)
    assert client.get(manage_path + "/cancel").status_code == 200
    assert visit_by(reference).status is VisitStatus.CONFIRMED  # the GET only asks
    client.post(manage_path + "/cancel")
    cancelled = visit_by(reference)
    assert cancelled.status is VisitStatus.CANCELLED
    assert cancelled.desk_free_at is not None  # the desk is offered again a while later

    run_scheduler_once(runner)
    (cancellation,) = mail_to.take()
    assert calendar_method(cancellation) == "CANCEL"
    event = event_of(cancellation)
    assert str(event["UID"]) == uid
    assert event["SEQUENCE"] > 0
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.walk("VALARM") == []  # nothing to be reminded of


def test_the_mail_comes_in_the_visits_language(client, runner, catalog, clock, mail_to):
    request_fami_visit(client, language="en")
    run_scheduler_once(runner)
    (verification,) = mail_to.take()
    assert "Confirm your visit request" in verification["Subject"]


@pytest.mark.parametrize(
    ("language", "one_person"),
    [
        ("uk", "На зустрічі може бути присутня одна особа."),
        ("ru", "На встрече может присутствовать один человек."),
    ],
)
def test_the_mail_comes_in_ukrainian_or_russian_too(
    client, runner, catalog, clock, mail_to, language, one_person
):
    request_fami_visit(client, language=language)
    run_scheduler_once(runner)
    (verification,) = mail_to.take()
    assert any("\u0400" <= char <= "\u04ff" for char in verification["Subject"])  # Cyrillic
    # The catalog's own texts come in the visit's language as well.
    assert "FAMI" in text_of(verification)
    path = [p for p in links_in(verification) if "/verify/" in p][0]
    client.post(path)
    run_scheduler_once(runner)
    (confirmation,) = mail_to.take()
    assert one_person in text_of(confirmation)
