"""Text messages (issue 11, part 5): a visit with a phone number is told its confirmation (with
the check-in code), the reminder and a cancellation by text message too, in its language,
through the outbox — written with the change, retried, never sent twice — and an SMS gateway
speaking SMSAPI.pl's protocol on loopback (``tests/sms_gateway.py``)."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.booking import operations
from app.booking.operations import Visitor
from app.booking.retention import erase
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.kiosk.models import Kiosk
from app.mail.models import Medium, MessageStatus, OutboxMessage, OutboxPause, PauseCause
from app.matters.models import Matter
from app.scheduler.jobs import send_outbox, send_reminders, send_text_messages
from tests.mails import outbox
from tests.support import book_by_phone, request_online, run_job, warsaw

WEDNESDAY_TEN = warsaw(2026, 12, 2, 10)  # the clock stands on Tuesday, 9:00
CALLER = Visitor("Jan Kowalski", None, "+48600100200", "en")


@pytest.fixture
def operator(make_user):
    return make_user("operator", email="anna.operator@urzad.example")


@pytest.fixture
def place(make_matter):
    """A matter whose place has a kiosk (its visitors are given a check-in code)."""
    matter = make_matter(desks=3)
    db.session.add(
        Kiosk(
            location_id=matter.locations[0].id,
            name="Wejście",
            token_hash="x" * 64,
            paired_at=utcnow() - timedelta(days=1),
        )
    )
    db.session.commit()
    return matter


def texts() -> list[OutboxMessage]:
    return [message for message in outbox() if message.medium is Medium.SMS]


def book(matter, operator, caller=CALLER, start=WEDNESDAY_TEN):
    visit = book_by_phone(matter, matter.locations[0].slug, start, caller, operator)
    db.session.commit()
    return visit


def retry_after_the_pause():
    """Move the clock past the paused gateway's next probe."""
    (pause,) = db.session.scalars(select(OutboxPause).where(OutboxPause.current.is_(True)))
    return pause.probe_at


def test_a_booking_by_phone_is_confirmed_by_text_message(clock, sms_gateway, place, operator):
    visit = book(place, operator)

    (text,) = texts()
    assert text.kind == "confirmation" and text.recipient == "+48600100200"
    code = f"{visit.check_in_code[:3]} {visit.check_in_code[3:]}"
    manage = text.raw.rsplit(" ", 1)[1]
    assert text.raw == (
        f"Your visit is confirmed: Wednesday, 2 December 2026, 10:00, ul. Testowa {place.id}, "
        f"31-000 Kraków. Reference: {visit.reference}. Check-in code at the entrance: {code}. "
        f"To cancel or move it: {manage}"
    )
    assert "/visits/manage/" in manage
    assert outbox("confirmation") == [text]  # no e-mail: the caller gave none

    assert run_job(send_text_messages) == 1
    (delivered,) = sms_gateway.delivered
    assert delivered["to"] == "48600100200"
    assert delivered["from"] == "MUW Krakow"
    assert delivered["message"] == text.raw
    assert (delivered["idx"], delivered["check_idx"]) == (text.message_id, "1")
    assert (delivered["encoding"], delivered["format"]) == ("utf-8", "json")
    (sent,) = texts()
    assert sent.status is MessageStatus.SENT and sent.attempts == 1
    assert run_job(send_text_messages) == 0  # nothing twice


def test_without_a_gateway_nobody_is_texted(clock, place, operator):
    visit = book(place, operator)
    assert texts() == []
    assert run_job(send_text_messages) == 0
    # A visitor without e-mail nor text messages cannot be told: the office calls them.
    operations.cancel(visit, operations.SCHEDULER, "closed", utcnow())
    assert visit.attention == operations.CALL_THE_VISITOR


def test_a_cancellation_by_the_scheduler_reaches_a_caller_by_text_message(
    clock, sms_gateway, place, operator
):
    visit = book(place, operator)
    operations.cancel(visit, operations.SCHEDULER, "The office is closed that day.", utcnow())
    db.session.commit()

    cancellation = [text for text in texts() if text.kind == "cancellation"]
    (text,) = cancellation
    assert text.raw.startswith(
        f"Your visit {visit.reference} (Wednesday, 2 December 2026, 10:00) is cancelled. "
        "Reason: The office is closed that day. To book another time: "
    )
    # A text message may not arrive (a landline) and says less: the office still calls.
    assert visit.attention == operations.CALL_THE_VISITOR


def test_a_number_typed_online_gets_no_link_that_changes_the_visit(
    client, clock, sms_gateway, place
):
    visitor = Visitor("Jan Kowalski", "jan@example.pl", "+48600100200", "pl")
    visit = request_online(place, place.locations[0].slug, WEDNESDAY_TEN, visitor)
    operations.verify(visit, utcnow())
    operations.confirm(visit, operations.SCHEDULER, utcnow())
    db.session.commit()
    (text,) = texts()
    assert visit.reference in text.raw and "/visits/manage/" not in text.raw


@pytest.mark.parametrize("language", ["pl", "uk", "ru", "en"])
def test_a_confirmation_fits_five_parts_at_the_catalogs_longest_place(
    app, clock, catalog, sms_gateway, operator, language
):
    """Polish and Cyrillic texts go in parts of 67 characters: five parts at most."""
    app.config["PUBLIC_URL"] = "https://wizyta.malopolska.uw.gov.pl"
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    caller = Visitor("Jan Kowalski", None, "+48600100200", language)
    start = warsaw(2026, 12, 2, 10)
    operations.book(
        fami,
        "fami-nowy-sacz",
        start,
        caller,
        operations.Actor.office(operator, Channel.INFOLINE),
        utcnow(),
    )
    db.session.commit()
    (text,) = texts()
    assert len(text.raw) <= 5 * 67, text.raw


def test_the_reminder_goes_by_text_message_in_the_visits_language(
    clock, sms_gateway, place, operator
):
    caller = Visitor("Ołena Kowal", None, "+48600100201", "uk")
    visit = book(place, operator, caller)
    clock.move_to(WEDNESDAY_TEN - timedelta(hours=23))
    assert run_job(send_reminders) == 1

    (reminder,) = [text for text in texts() if text.kind == "reminder"]
    assert visit.reference in reminder.raw
    assert "2 грудня 2026" in reminder.raw  # the date in Ukrainian


def test_a_text_message_goes_once_through_an_outage_of_the_gateway(
    clock, sms_gateway, place, operator
):
    book(place, operator)
    sms_gateway.faults = ["unavailable", "unavailable"]

    assert run_job(send_text_messages) == 0
    (pause,) = db.session.scalars(select(OutboxPause))
    assert (pause.medium, pause.cause) == (Medium.SMS, PauseCause.UNAVAILABLE)
    (waiting,) = texts()
    assert (waiting.status, waiting.attempts) == (MessageStatus.PENDING, 0)  # none spent
    assert run_job(send_text_messages) == 0  # before the probe's time nothing is tried
    assert sms_gateway.requests == 1

    clock.move_to(retry_after_the_pause())
    assert run_job(send_text_messages) == 0  # the probe meets the outage again
    clock.move_to(retry_after_the_pause())
    assert run_job(send_text_messages) == 1

    assert len(sms_gateway.delivered) == 1
    assert sms_gateway.requests == 3
    (sent,) = texts()
    assert sent.status is MessageStatus.SENT
    assert db.session.scalar(select(OutboxPause)).ended_at is not None


def test_an_answer_lost_after_the_gateway_took_the_message_sends_no_second_copy(
    clock, sms_gateway, place, operator
):
    book(place, operator)
    sms_gateway.faults = ["lost"]

    assert run_job(send_text_messages) == 0  # no answer: it may or may not have gone
    clock.move_to(retry_after_the_pause())
    assert run_job(send_text_messages) == 1  # the gateway knows its key: error 53, sent

    assert len(sms_gateway.delivered) == 1
    assert sms_gateway.requests == 2
    assert texts()[0].status is MessageStatus.SENT


def test_a_number_the_gateway_refuses_fails_that_message_alone(clock, sms_gateway, place, operator):
    book(place, operator)
    book(place, operator, Visitor("Anna Nowak", None, "+48600100202", "pl"))
    sms_gateway.refused_numbers["48600100200"] = 13

    assert run_job(send_text_messages) == 1
    refused, sent = texts()
    assert refused.status is MessageStatus.FAILED
    assert refused.last_error == "SMSAPI error 13: Invalid number"
    assert sent.status is MessageStatus.SENT
    assert db.session.scalar(select(OutboxPause)) is None


def test_a_refused_account_pauses_text_messages_and_the_administrator_sees_why(
    app, client, clock, sms_gateway, place, operator, make_user, log_in
):
    app.config["SMS_GATEWAY_TOKEN"] = "expired"
    book(place, operator)
    assert run_job(send_text_messages) == 0
    (pause,) = db.session.scalars(select(OutboxPause))
    assert (pause.medium, pause.cause) == (Medium.SMS, PauseCause.LOGIN)
    assert pause.reason == "SMSAPI error 101: Authorization failed"

    log_in(make_user("admin"))
    page = client.get("/admin/outbox?lang=en").get_data(as_text=True)
    assert "Sending text messages is paused" in page
    assert "Sending e-mail is paused" not in page
    assert "does not accept the service&#39;s token" in page


def test_an_e_mail_and_a_text_message_go_their_own_ways(clock, sms_gateway, place, mail_to):
    caller = Visitor("Jan Kowalski", "jan@example.pl", "+48600100200", "en")
    operator = operations.Actor("staff@urzad.example", Channel.STAFF)
    operations.book(place, place.locations[0].slug, WEDNESDAY_TEN, caller, operator, utcnow())
    db.session.commit()
    sms_gateway.faults = ["unavailable"]

    assert run_job(send_outbox) == 1  # the gateway's outage does not stop e-mail
    assert run_job(send_text_messages) == 0
    assert [message.get("To") for message in mail_to.messages] == ["jan@example.pl"]


def test_the_development_folder_keeps_a_copy_until_the_visit_is_erased(app, clock, place, operator):
    app.config["SMS_TRANSPORT"] = "file"
    visit = book(place, operator)
    assert run_job(send_text_messages) == 1
    (copy,) = (Path(app.instance_path) / "sms").glob("*.txt")
    assert copy.read_text(encoding="utf-8").startswith("From: \nTo: +48600100200\n\nYour visit")

    erase(visit, utcnow())
    db.session.commit()
    assert texts() == [] and not copy.exists()


def test_a_refusal_the_gateway_does_not_explain_holds_up_no_other_message(
    clock, sms_gateway, place, operator
):
    book(place, operator)
    book(place, operator, Visitor("Anna Nowak", None, "+48600100202", "pl"))
    sms_gateway.faults = [999]  # a code of its own, for the first message

    assert run_job(send_text_messages) == 1
    retried, sent = texts()
    assert (retried.status, retried.attempts) == (MessageStatus.PENDING, 1)
    assert retried.last_error == "SMSAPI error 999: Error on demand"
    assert sent.status is MessageStatus.SENT
    assert db.session.scalar(select(OutboxPause)) is None
