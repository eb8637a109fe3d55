"""The scheduler's jobs under a controlled clock (Tue 2026-12-01 09:00 in Warsaw): expiry,
request checks, re-checks, reminders, retention; each safe to run twice or twice at once."""

from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.booking import operations
from app.booking.links import MANAGE, make_token
from app.booking.messages import problem_message
from app.booking.models import Visit, VisitChange, VisitStatus
from app.booking.needs import Companion, SignLanguage
from app.booking.operations import Visitor
from app.booking.recheck import mark_closure, mark_for_recheck
from app.booking.rules import Problem
from app.booking.schedule import matter_free_slots
from app.database import utcnow
from app.extensions import db
from app.mail.models import MessageStatus
from app.mail.outbox import enqueue
from app.mail.sender import send_due
from app.matters.models import Closure, Confirmation, Matter, ReceptionWindow
from app.scheduler.jobs import (
    check_requests,
    erase_personal_data,
    expire_held,
    free_released_desks,
    recheck_marked,
    send_reminders,
)
from tests.mails import calendar_method, event_of, links_in, outbox, text_of
from tests.support import at_once, request_online, run_job, run_scheduler_once, warsaw

# Every test here runs on the fixed clock of conftest.py (Tuesday 1 December 2026, 9:00).
pytestmark = pytest.mark.usefixtures("clock")

WEDNESDAY = 2
S = VisitStatus


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Warsaw, December 2026 (the 1st is the clock's Tuesday)."""
    return warsaw(2026, 12, day, hour, minute)


def offered_times(text: str) -> list[str]:
    """The hours of the free times an e-mail lists, one "- <date>, HH:MM" line each."""
    return [line.strip()[-5:] for line in text.splitlines() if line.startswith("- ")]


def reason(problem: Problem, matter: Matter) -> str:
    with force_locale("en"):
        return problem_message(problem, matter)


def changes_to(visit: Visit, status: VisitStatus) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(VisitChange)
        .where(VisitChange.visit_id == visit.id, VisitChange.to_status == status)
    )


def free_starts(matter: Matter) -> list[datetime]:
    return [slot.start for _, slot in matter_free_slots(matter, matter.locations, utcnow())]


# --- expiry -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hold_minutes", "waited", "expired"),
    [
        pytest.param(None, 29, False, id="default, inside the hold"),
        pytest.param(None, 30, True, id="default, hold over"),
        pytest.param(10, 9, False, id="10 min, inside the hold"),
        pytest.param(10, 10, True, id="10 min, hold over"),
    ],
)
def test_a_held_visit_expires_after_the_hold_time(
    app, make_matter, make_visit, clock, hold_minutes, waited, expired
):
    if hold_minutes is None:
        assert app.config["HOLD_MINUTES"] == 30
    else:
        app.config["HOLD_MINUTES"] = hold_minutes
    matter = make_matter()
    visit = make_visit(matter, at(2, 10), status=S.HELD)
    assert at(2, 10) not in free_starts(matter)

    clock.shift(timedelta(minutes=waited))
    assert run_job(expire_held) == int(expired)

    if expired:
        # The desk is offered again a while later (DESK_REOFFER_MINUTES), not to a waiting bot.
        assert (visit.status, visit.desk) == (S.EXPIRED, 1)
        assert visit.changes[-1].actor == "scheduler"
        clock.shift(timedelta(minutes=10))
        assert run_job(free_released_desks) == 1
        assert at(2, 10) in free_starts(matter)
    else:
        assert (visit.status, visit.desk) == (S.HELD, 1)
        assert at(2, 10) not in free_starts(matter)
    assert run_job(expire_held) == 0


def verification_path() -> str:
    (row,) = outbox("verification")
    (path,) = links_in(row)
    return path


@pytest.mark.parametrize(
    "job_ran",
    [
        pytest.param(False, id="before the job"),
        pytest.param(True, id="after the job"),
    ],
)
def test_an_expired_verification_link_shows_the_expired_page_and_changes_nothing(
    client, make_matter, clock, job_ran
):
    matter = make_matter()
    visitor = Visitor("Anna Nowak", "anna@example.org", language="en")
    visit = request_online(matter, matter.locations[0].slug, at(2, 10), visitor, utcnow())
    db.session.commit()
    path = verification_path()

    clock.shift(timedelta(minutes=30))
    if job_ran:
        run_job(expire_held)
    for open_link in (client.get, client.post):
        assert open_link(path).status_code == 410
    db.session.expire_all()
    assert visit.status is (S.EXPIRED if job_ran else S.HELD)
    assert changes_to(visit, S.REQUESTED) == 0


# --- checking requests ----------------------------------------------------------------------


def test_a_valid_request_is_confirmed_with_a_calendar_invitation(make_matter, make_visit):
    matter = make_matter()
    visit = make_visit(matter, at(2, 10), status=S.REQUESTED)

    assert run_job(check_requests) == 1
    assert visit.status is S.CONFIRMED
    (row,) = outbox()
    assert (row.kind, row.recipient, row.visit_id) == ("confirmation", visit.email, visit.id)
    assert calendar_method(row) == "PUBLISH"
    event = event_of(row)
    assert str(event["UID"]).startswith(visit.reference)
    assert event.decoded("DTSTART") == at(2, 10)

    assert run_job(check_requests) == 0
    assert len(outbox()) == 1


def test_a_staff_matter_waits_and_its_unit_hears_of_it_once(make_matter, make_visit, clock):
    matter = make_matter(confirmation=Confirmation.STAFF)
    matter.unit.email = "unit@example.org"
    visit = make_visit(matter, at(2, 10), status=S.REQUESTED)

    assert run_job(check_requests) == 1
    assert visit.status is S.REQUESTED
    assert visit.staff_notified_at == utcnow()
    (row,) = outbox()
    assert (row.kind, row.recipient) == ("staff_request", "unit@example.org")
    assert visit.reference in row.subject and visit.reference in text_of(row)

    notified = visit.staff_notified_at
    clock.shift(timedelta(hours=1))
    assert run_job(check_requests) == 0
    assert len(outbox()) == 1
    assert (visit.status, visit.staff_notified_at) == (S.REQUESTED, notified)


def close_wednesday_morning(matter: Matter) -> None:
    db.session.add(Closure(location=matter.locations[0], starts_at=at(2, 10), ends_at=at(2, 11)))


def close_the_office_on_wednesday_morning(_matter: Matter) -> None:
    db.session.add(Closure(location=None, starts_at=at(2, 10), ends_at=at(2, 11)))


def open_wednesday_at_noon(matter: Matter) -> None:
    location = matter.locations[0]
    location.hours = [w for w in location.hours if w.weekday != WEDNESDAY] + [
        ReceptionWindow(weekday=WEDNESDAY, opens=time(12), closes=time(15))
    ]


@pytest.mark.parametrize(
    ("change", "problem", "offered"),
    [
        pytest.param(
            close_wednesday_morning,
            Problem.CLOSED,
            ["09:00", "09:30", "11:00", "11:30", "12:00"],
            id="closure",
        ),
        pytest.param(
            close_the_office_on_wednesday_morning,
            Problem.CLOSED,
            ["09:00", "09:30", "11:00", "11:30", "12:00"],
            id="office-wide closure",
        ),
        pytest.param(
            open_wednesday_at_noon,
            Problem.OUTSIDE_HOURS,
            ["12:00", "12:30", "13:00", "13:30", "14:00"],
            id="hours changed",
        ),
    ],
)
def test_a_request_the_office_can_no_longer_receive_is_declined_with_the_nearest_times(
    make_matter, make_visit, change, problem, offered
):
    matter = make_matter()
    visit = make_visit(matter, at(2, 10), status=S.REQUESTED)
    change(matter)

    assert run_job(check_requests) == 1
    assert (visit.status, visit.desk) == (S.DECLINED, None)
    assert visit.reason == reason(problem, matter)
    (row,) = outbox()
    assert (row.kind, row.recipient) == ("declined", visit.email)
    text = text_of(row)
    assert visit.reference in text and visit.reason in text
    assert offered_times(text) == offered  # all on that Wednesday
    assert run_job(check_requests) == 0


PERSON = {"email": "olena@example.org", "phone": "+48600100200"}


@pytest.mark.parametrize(
    ("earlier", "problem"),
    [
        pytest.param([{"matter": 0}], Problem.ALREADY_BOOKED_MATTER, id="same matter"),
        pytest.param(
            [{"matter": 0, "email": "other@example.org"}],
            Problem.ALREADY_BOOKED_MATTER,
            id="same matter, same phone",
        ),
        pytest.param(
            [{"matter": 0, "email": "Olena@Example.org", "phone": None}],
            Problem.ALREADY_BOOKED_MATTER,
            id="same matter, e-mail in capitals",
        ),
        pytest.param(
            [{"matter": 1}, {"matter": 2}, {"matter": 3}],
            Problem.TOO_MANY_VISITS,
            id="three other matters",
        ),
        pytest.param(
            [{"matter": 0, "status": S.CANCELLED}, {"matter": 1}, {"matter": 2}],
            None,
            id="a cancelled one and two others",
        ),
    ],
)
def test_a_person_with_earlier_active_visits(make_matter, make_visit, earlier, problem):
    matters = [make_matter() for _ in range(4)]
    for hour, visit in enumerate(earlier, start=9):
        values = PERSON | visit
        make_visit(matters[values.pop("matter")], at(3, hour), **values)
    visit = make_visit(matters[0], at(2, 10), status=S.REQUESTED, **PERSON)

    run_job(check_requests)
    if problem is None:
        assert visit.status is S.CONFIRMED
    else:
        assert visit.status is S.DECLINED
        assert visit.reason == reason(problem, matters[0])
        assert [row.kind for row in outbox()] == ["declined"]


# --- re-checking confirmed visits ------------------------------------------------------------


def close_wednesday(matter: Matter) -> None:
    closure = Closure(location=matter.locations[0], starts_at=at(2, 0), ends_at=at(3, 0))
    db.session.add(closure)
    db.session.flush()
    mark_closure(closure, utcnow())


def remove_wednesday_hours(matter: Matter) -> None:
    location = matter.locations[0]
    location.hours = [w for w in location.hours if w.weekday != WEDNESDAY]
    mark_for_recheck(utcnow(), {"location_id": location.id})


@pytest.mark.parametrize(
    ("close", "checked"),
    [
        pytest.param(close_wednesday, 1, id="a closure: the visits in it"),
        pytest.param(remove_wednesday_hours, 2, id="new hours: every visit at the place"),
    ],
)
def test_visits_on_a_day_that_closes_are_cancelled_and_their_people_told(
    make_matter, make_visit, close, checked
):
    matter = make_matter()
    affected = make_visit(matter, at(2, 10))
    unaffected = make_visit(matter, at(3, 10))
    close(matter)

    assert run_job(recheck_marked) == checked
    assert (affected.status, affected.desk, affected.sequence) == (S.CANCELLED, None, 1)
    assert affected.reason
    assert (unaffected.status, unaffected.desk, unaffected.sequence) == (S.CONFIRMED, 1, 0)
    (row,) = outbox()
    assert (row.kind, row.recipient) == ("cancellation", affected.email)
    assert calendar_method(row) == "CANCEL"
    event = event_of(row)
    assert str(event["UID"]).startswith(affected.reference)
    assert (event["SEQUENCE"], str(event["STATUS"])) == (1, "CANCELLED")

    assert run_job(recheck_marked) == 0
    assert len(outbox()) == 1


# --- reminders -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours_before", "now", "reminded"),
    [
        pytest.param(None, at(1, 9, 59), False, id="default, 24 h 1 min before"),
        pytest.param(None, at(1, 10), True, id="default, 24 h before"),
        pytest.param(None, at(2, 9, 59), True, id="default, 1 min before"),
        pytest.param(None, at(2, 10), False, id="default, started"),
        pytest.param(48, at(1, 9), True, id="48 h, 25 h before"),
    ],
)
def test_a_reminder_is_sent_within_the_hours_before_the_visit(
    app, make_matter, make_visit, clock, hours_before, now, reminded
):
    if hours_before is None:
        assert app.config["REMINDER_HOURS_BEFORE"] == 24
    else:
        app.config["REMINDER_HOURS_BEFORE"] = hours_before
    make_visit(make_matter(), at(2, 10))

    clock.move_to(now)
    assert run_job(send_reminders) == int(reminded)
    assert [row.kind for row in outbox()] == ["reminder"] * reminded


def test_a_reminder_goes_once_and_never_for_a_cancelled_visit(make_matter, make_visit, clock):
    matter = make_matter()
    confirmed = make_visit(matter, at(2, 10))
    make_visit(matter, at(2, 11), status=S.CANCELLED)
    clock.move_to(at(1, 12))

    assert run_job(send_reminders) == 1
    clock.shift(timedelta(hours=2))
    assert run_job(send_reminders) == 0
    (row,) = outbox()
    assert (row.kind, row.recipient) == ("reminder", confirmed.email)
    assert confirmed.reference in text_of(row)
    assert "/visits/manage/" in text_of(row)
    assert confirmed.reminded_at == at(1, 12)


# --- retention -----------------------------------------------------------------------------

DISABILITY = "orzekanie-o-niepelnosprawnosci"
RETENTION = [  # matter, ended how long ago, status, erased
    (DISABILITY, timedelta(days=30, minutes=1), S.ATTENDED, True),
    (DISABILITY, timedelta(days=29, hours=23), S.NO_SHOW, False),
    ("fami", timedelta(days=90, minutes=1), S.CANCELLED, True),
    ("fami", timedelta(days=31), S.ATTENDED, False),
    ("maluch-plus", timedelta(days=90, minutes=1), S.REQUESTED, True),  # staff never decided
]


def sent_mail_for(visit: Visit) -> None:
    row = enqueue("confirmation", visit.email, "Subject", "Text", "<p>HTML</p>", visit_id=visit.id)
    row.status, row.sent_at = MessageStatus.SENT, utcnow()
    db.session.commit()


def test_personal_data_is_erased_after_the_matters_retention(client, catalog, make_visit, clock):
    visits, links = [], []
    for slug, ago, status, _erased in RETENTION:
        matter = db.session.scalar(select(Matter).where(Matter.slug == slug))
        start = utcnow() - ago - matter.slot_length
        visit = make_visit(
            matter,
            start,
            status=status,
            phone="+48600100200",
            companion=Companion.ASSISTANT,  # what was declared can reveal a disability
            sign_language=SignLanguage.SJM,
            step_free=True,
            more_time=True,
            case_reference="WPS-II.8.2026",
        )
        sent_mail_for(visit)
        visits.append(visit)
        links.append(f"/visits/manage/{make_token(visit, MANAGE)}")
    statistics = [(v.matter_id, v.location_id, v.starts_at, v.status) for v in visits]
    assert all(client.get(link).status_code == 200 for link in links)

    assert run_job(erase_personal_data) == 3

    for visit, link, stats, (slug, ago, _status, erased) in zip(
        visits, links, statistics, RETENTION, strict=True
    ):
        case = f"{slug}, ended {ago} ago"
        assert (visit.matter_id, visit.location_id, visit.starts_at, visit.status) == stats, case
        personal = (visit.name, visit.email, visit.phone, visit.manage_key)
        declared = (
            visit.companion,
            visit.sign_language,
            visit.step_free,
            visit.more_time,
            visit.case_reference,
        )
        mails = [row for row in outbox() if row.visit_id == visit.id]
        if erased:
            assert personal == ("", None, None, None), case
            assert declared == (None, None, False, False, ""), case
            assert visit.erased_at == utcnow(), case
            assert mails == [], case
            assert client.get(link).status_code == 404, case
        else:
            assert all(personal) and all(declared) and visit.erased_at is None, case
            assert len(mails) == 1, case
            assert client.get(link).status_code == 200, case
    assert run_job(erase_personal_data) == 0


# --- two schedulers at once ------------------------------------------------------------------


def test_two_schedulers_at_once_confirm_each_request_once(app, make_matter, make_visit):
    matter = make_matter()
    starts = [at(2, 9) + timedelta(minutes=30 * n) for n in range(12)]
    ids = [make_visit(matter, start, status=S.REQUESTED).id for start in starts]
    db.session.commit()

    counts = at_once(app, lambda _index: check_requests(utcnow()))

    assert sum(counts) == len(ids)
    assert Counter(row.visit_id for row in outbox("confirmation")) == Counter(ids)
    visits = db.session.scalars(select(Visit).order_by(Visit.id)).all()
    assert [(v.status, changes_to(v, S.CONFIRMED)) for v in visits] == [(S.CONFIRMED, 1)] * 12


# --- the command -----------------------------------------------------------------------------


def test_run_once_runs_every_job_and_reports_what_each_did(
    runner, make_matter, make_visit, clock, mail_to
):
    matter = make_matter()
    make_visit(matter, at(2, 11), status=S.HELD, created_at=utcnow() - timedelta(hours=1))
    requested = make_visit(matter, at(2, 10), status=S.REQUESTED)  # confirmed
    tomorrow = make_visit(matter, at(2, 9))  # 24 h ahead: reminded
    make_visit(matter, utcnow() - timedelta(days=100), status=S.ATTENDED)
    told = sorted([requested.email, tomorrow.email])

    assert run_scheduler_once(runner) == [
        "expire_held: 1",
        "free_released_desks: 0",
        "offer_freed_desks: 0",
        "check_requests: 1",
        "recheck_marked: 0",
        "mark_missed: 0",
        "send_reminders: 1",
        "send_outbox: 2",
        "send_text_messages: 0",  # text messages are off unless configured
        "erase_personal_data: 1",
        # Six hours of today and of each working day of the week before, one free-date sample.
        "record_statistics: 37",
    ]
    assert sorted(message["To"] for message in mail_to.messages) == told

    assert all(line.endswith(": 0") for line in run_scheduler_once(runner))
    assert len(mail_to.messages) == 2


def test_a_request_staff_never_decided_is_declined_once_its_time_has_passed(
    client, runner, make_matter, clock
):
    matter = make_matter(confirmation=Confirmation.STAFF)
    visit = request_online(
        matter,
        matter.locations[0].slug,
        warsaw(2026, 12, 2, 10, 0),
        Visitor("Jan Kowalski", "jan@example.pl"),
        utcnow(),
    )
    operations.verify(visit, utcnow())
    visit.staff_notified_at = utcnow()
    db.session.commit()

    run_scheduler_once(runner)
    assert db.session.get(Visit, visit.id).status is VisitStatus.REQUESTED  # staff may decide

    clock.move_to(warsaw(2026, 12, 2, 10, 1))
    run_scheduler_once(runner)
    db.session.expire_all()
    declined = db.session.get(Visit, visit.id)
    assert declined.status is VisitStatus.DECLINED
    assert declined.desk is None


def test_erasure_reaches_the_copies_the_development_default_wrote(
    app, catalog, make_visit, clock, tmp_path
):
    app.config["MAIL_SERVER"] = None
    app.instance_path = str(tmp_path)
    matter = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    ended = make_visit(matter, utcnow() - timedelta(days=91), status=S.ATTENDED)
    ahead = make_visit(matter, utcnow() + timedelta(days=2), status=S.CONFIRMED)
    for visit in (ended, ahead):
        enqueue("confirmation", visit.email, "Subject", visit.name, "<p>x</p>", visit_id=visit.id)
    db.session.commit()
    assert send_due().sent == 2
    files = {
        path.read_text(encoding="utf-8").count(ended.email) > 0: path
        for path in (tmp_path / "mail").glob("*.eml")
    }

    assert run_job(erase_personal_data) == 1

    assert not files[True].exists()  # the erased visitor's message
    assert files[False].exists()  # the other visitor's stays
