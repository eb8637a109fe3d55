"""The operations every door shares: what each refuses, what each leaves behind (state, history,
messages), and that two changes of one visit take turns instead of overwriting each other."""

import threading
from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import event, func, select

from app.booking import notifications, operations
from app.booking.links import MANAGE, make_token
from app.booking.models import Visit, VisitStatus
from app.booking.operations import CITIZEN, Actor, Visitor
from app.booking.recheck import mark_closure
from app.booking.rules import BookingRefused, Problem
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.matters.models import Closure, Confirmation, Matter
from app.scheduler.jobs import check_requests, recheck_marked
from tests.mails import calendar_method, event_of, outbox, text_of
from tests.support import at_once, book_by_phone, fresh, request_online, run_job, warsaw

S = VisitStatus
STAFF = Actor("ewa@urzad.example", Channel.STAFF)
pytestmark = pytest.mark.usefixtures("clock")  # Tuesday 1 December 2026, 9:00


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return warsaw(2026, 12, day, hour, minute)


def refusal(change) -> dict:
    with pytest.raises(BookingRefused) as refused:
        change()
    return refused.value.problems


def history(visit: Visit) -> list[tuple]:
    return [(c.actor, c.from_status, c.to_status) for c in fresh(visit).changes]


# --- A citizen's move of a visit the unit approved -----------------------------------------


@pytest.fixture
def approved(make_matter, make_visit):
    """A visit of a matter whose visits the unit confirms, confirmed by them."""
    matter = make_matter(confirmation=Confirmation.STAFF, desks=2)
    matter.unit.email = "unit@urzad.example"
    return make_visit(matter, at(2, 10), staff_notified_at=utcnow())


def test_a_citizens_move_of_an_approved_visit_goes_back_to_the_unit(client, approved):
    token = make_token(approved, MANAGE)
    page = client.get(f"/visits/manage/{token}/move?lang=en").get_data(as_text=True)
    assert "the new time waits for their confirmation" in page

    client.post(f"/visits/manage/{token}/move", data={"slot": f"place-1|{at(3, 11).isoformat()}"})

    moved = fresh(approved)
    assert (moved.status, moved.starts_at, moved.sequence) == (S.REQUESTED, at(3, 11), 1)
    assert moved.staff_notified_at == utcnow()
    assert history(moved)[-1] == ("citizen", S.CONFIRMED, S.REQUESTED)
    (to_visitor,) = outbox("moved_for_decision")
    method, found = calendar_method(to_visitor), event_of(to_visitor)
    assert (method, str(found["STATUS"]), found["SEQUENCE"]) == ("PUBLISH", "TENTATIVE", 1)
    assert found.decoded("DTSTART") == at(3, 11)
    (to_unit,) = outbox("staff_request")
    assert to_unit.recipient == "unit@urzad.example"
    with force_locale("pl"):  # the unit reads Polish
        moved_line = gettext(
            "The visitor has moved a confirmed visit to a new time; it waits for a decision again:"
        )
    assert moved_line in text_of(to_unit)
    db.session.commit()
    assert check_requests(utcnow()) == 0  # waits for the unit, not for the scheduler

    operations.confirm(fresh(approved), STAFF, utcnow())
    mail = outbox("confirmation")[-1]
    method, found = calendar_method(mail), event_of(mail)
    assert (method, str(found["STATUS"]), found["SEQUENCE"]) == ("PUBLISH", "CONFIRMED", 2)


def test_declining_a_moved_visit_withdraws_its_calendar_event(approved):
    operations.move(approved, "place-1", at(3, 11), CITIZEN, utcnow())
    operations.decline(approved, STAFF, "Brak wolnego urzędnika", utcnow())
    mail = outbox("declined")[-1]
    method, found = calendar_method(mail), event_of(mail)
    assert (method, str(found["STATUS"]), found["SEQUENCE"]) == ("CANCEL", "CANCELLED", 2)


def test_the_office_moves_an_approved_visit_without_asking_itself(approved):
    operations.move(approved, "place-1", at(3, 11), STAFF, utcnow())
    assert (fresh(approved).status, fresh(approved).starts_at) == (S.CONFIRMED, at(3, 11))
    assert [row.kind for row in outbox()] == ["confirmation"]


def test_a_citizens_move_in_an_automatic_matter_stays_confirmed(make_matter, make_visit):
    visit = make_visit(make_matter(), at(2, 10))
    operations.move(visit, "place-1", at(3, 11), CITIZEN, utcnow())
    assert fresh(visit).status is S.CONFIRMED
    mail = outbox("confirmation")[-1]
    method, found = calendar_method(mail), event_of(mail)
    assert (method, found["SEQUENCE"]) == ("PUBLISH", 1)


# --- Day marks ------------------------------------------------------------------------------


def test_day_marks_keep_to_the_visits_time_and_only_the_office_makes_them(
    make_matter, make_visit, clock
):
    visit = make_visit(make_matter(), at(1, 10))
    assert refusal(lambda: operations.mark(visit, S.NO_SHOW, STAFF, utcnow())) == {
        "visit": [Problem.NOT_STARTED]
    }
    assert refusal(lambda: operations.mark(visit, S.ARRIVED, STAFF, utcnow())) == {
        "visit": [Problem.NOT_STARTED]
    }
    clock.move_to(at(1, 9, 30))
    assert refusal(lambda: operations.mark(visit, S.ARRIVED, CITIZEN, utcnow())) == {
        "visit": [Problem.OFFICE_ONLY]
    }
    operations.mark(visit, S.ARRIVED, STAFF, utcnow())
    assert refusal(lambda: operations.mark(visit, S.ATTENDED, STAFF, utcnow())) == {
        "visit": [Problem.NOT_STARTED]
    }
    clock.move_to(at(1, 10))
    operations.mark(visit, S.NO_SHOW, STAFF, utcnow())
    operations.undo_mark(visit, STAFF, utcnow())
    assert visit.status is S.ARRIVED  # what it was before the mark
    assert history(visit)[-1] == (STAFF.name, S.NO_SHOW, S.ARRIVED)


def test_a_mark_is_undone_only_on_the_day_it_was_made(make_matter, make_visit, clock):
    visit = make_visit(make_matter(), at(1, 10))
    clock.move_to(at(1, 23, 50))
    operations.mark(visit, S.ATTENDED, STAFF, utcnow())
    db.session.commit()
    clock.move_to(at(2, 0, 10))  # after midnight in Warsaw
    assert refusal(lambda: operations.undo_mark(visit, STAFF, utcnow())) == {
        "visit": [Problem.MARK_NOT_UNDOABLE]
    }
    assert refusal(lambda: operations.undo_mark(visit, CITIZEN, utcnow())) == {
        "visit": [Problem.OFFICE_ONLY]
    }
    assert fresh(visit).status is S.ATTENDED


# --- What every operation refuses ------------------------------------------------------------


def test_a_refused_change_leaves_the_visit_as_it_was(make_matter, make_visit):
    visit = make_visit(make_matter(), at(2, 10), status=S.CANCELLED)
    changes = [
        lambda: operations.confirm(visit, STAFF, utcnow()),
        lambda: operations.decline(visit, STAFF, "x", utcnow()),
        lambda: operations.cancel(visit, STAFF, "x", utcnow()),
        lambda: operations.move(visit, "place-1", at(3, 10), STAFF, utcnow()),
        lambda: operations.verify(visit, utcnow()),
    ]
    for change in changes:
        refused = refusal(change)
        assert refused == {"visit": [Problem.WRONG_STATE]}
    visit = fresh(visit)
    assert (visit.status, visit.reason, visit.starts_at, visit.desk) == (
        S.CANCELLED,
        "",
        at(2, 10),
        None,
    )
    assert history(visit) == [("citizen", None, S.CANCELLED)]
    assert outbox() == []


def test_the_e_mail_link_after_the_hold_time_is_refused(make_matter):
    matter = make_matter()
    visit = request_online(matter, "place-1", at(2, 10), Visitor("Anna Nowak", "anna@example.pl"))
    later = utcnow() + timedelta(minutes=30)
    assert refusal(lambda: operations.verify(visit, later)) == {"visit": [Problem.HOLD_OVER]}
    operations.verify(visit, utcnow() + timedelta(minutes=29))
    assert refusal(lambda: operations.verify(visit, utcnow())) == {"visit": [Problem.WRONG_STATE]}
    assert [to for *_, to in history(visit)] == [S.HELD, S.REQUESTED]


def test_who_may_book_follows_the_matters_visit_policy(make_matter, make_user):
    by_phone = make_matter(visit_policy="by_phone")
    none = make_matter(visit_policy="none")
    caller = Visitor("Jan Kowalski", None, "+48600100200")
    assert refusal(lambda: request_online(by_phone, "place-1", at(2, 10), caller)) == {
        "matter": [Problem.NOT_ONLINE]
    }
    assert refusal(
        lambda: book_by_phone(none, "place-2", at(2, 10), caller, make_user("operator"))
    ) == {"matter": [Problem.NO_VISITS]}
    visit = book_by_phone(by_phone, "place-1", at(2, 10), caller, make_user("operator"))
    assert (visit.status, visit.channel) == (S.CONFIRMED, Channel.INFOLINE)
    assert outbox() == []  # no e-mail address: nobody to write to


def test_a_person_without_e_mail_or_phone_is_nobody_the_limits_count(
    make_matter, make_visit, make_user
):
    """The per-person rules compare e-mail and phone; a visit with neither (erased, or booked
    for somebody who gave none) is no person's, and no new person matches it."""
    matter = make_matter(desks=5)
    for hour in (9, 10, 11):
        make_visit(matter, at(2, hour), email=None, phone=None)
    caller = Visitor("Jan Kowalski", None, None)
    visit = book_by_phone(matter, "place-1", at(2, 12), caller, make_user("operator"))
    assert visit.status is S.CONFIRMED


# --- Two changes of one visit at once -----------------------------------------------------------


def test_a_citizen_cancelling_while_the_scheduler_confirms_waits_for_it(
    app, client, make_matter, make_visit, monkeypatch
):
    """The scheduler confirms (and holds the row) while the visitor presses "cancel" in the
    e-mail link: the cancellation waits, sees the confirmation and cancels the confirmed
    visit: one history, each message once, the calendar event withdrawn."""
    visit = make_visit(make_matter(), at(2, 10), status=S.REQUESTED)
    visit_id, token = visit.id, make_token(visit, MANAGE)
    db.session.commit()
    confirming, may_finish = threading.Event(), threading.Event()
    confirmation = notifications.confirmation

    def slow_confirmation(visit, changed=False):
        confirming.set()
        assert may_finish.wait(timeout=20)
        return confirmation(visit, changed)

    monkeypatch.setattr(notifications, "confirmation", slow_confirmation)
    citizen_done = []

    def scheduler(_index):
        return check_requests(utcnow())

    def citizen():
        assert confirming.wait(timeout=20)
        with app.app_context():
            citizen_done.append(client.post(f"/visits/manage/{token}/cancel").status_code)

    citizen_thread = threading.Thread(target=citizen)
    citizen_thread.start()
    releaser = threading.Timer(1.5, may_finish.set)  # the citizen waits this long, at least
    releaser.start()
    assert at_once(app, scheduler, 1) == [1]
    citizen_thread.join(timeout=30)
    releaser.cancel()

    assert citizen_done == [303]
    visit = db.session.get(Visit, visit_id)
    assert [to for *_, to in history(visit)] == [S.REQUESTED, S.CONFIRMED, S.CANCELLED]
    assert [row.kind for row in outbox()] == ["confirmation", "cancellation"]
    mail = outbox("cancellation")[0]
    method, found = calendar_method(mail), event_of(mail)
    assert (method, found["SEQUENCE"]) == ("CANCEL", 1)


def test_two_operators_booking_one_caller_at_once_give_them_one_visit(app, make_matter, make_user):
    matter = make_matter(desks=3)
    operators = [make_user("operator").id for _ in range(2)]
    matter_id = matter.id
    db.session.commit()

    def book(index: int) -> str:
        from app.accounts.models import User

        try:
            book_by_phone(
                db.session.get(Matter, matter_id),
                "place-1",
                at(2, 9 + index),
                Visitor("Jan Kowalski", None, "+48600100200"),
                db.session.get(User, operators[index]),
            )
        except BookingRefused as refused:
            db.session.rollback()
            return refused.problems["person"][0].value
        db.session.commit()
        return "booked"

    assert sorted(at_once(app, book, 2)) == ["already_booked_matter", "booked"]
    assert db.session.scalar(select(func.count(Visit.id))) == 1


def test_a_closure_saved_while_a_booking_is_under_way_still_reaches_its_visit(
    app, make_matter, make_user, monkeypatch
):
    """A booking has checked the day (no closure yet) and is writing its visit when a member of
    staff closes the place that day: the closure's marking waits for the booking to end, so
    the new visit is marked for the re-check and called off, not left standing in a closure."""
    matter = make_matter()
    operator_id, location_id, matter_id = (
        make_user("operator").id,
        matter.locations[0].id,
        matter.id,
    )
    db.session.commit()
    booking, may_finish = threading.Event(), threading.Event()
    confirmation = notifications.confirmation

    def slow_confirmation(visit, changed=False):
        booking.set()  # the checks are behind it, the visit not yet committed
        assert may_finish.wait(timeout=20)
        return confirmation(visit, changed)

    monkeypatch.setattr(notifications, "confirmation", slow_confirmation)

    def book(_index):
        from app.accounts.models import User

        caller = Visitor("Jan Kowalski", "jan@example.com", None)
        matter = db.session.get(Matter, matter_id)
        visit = book_by_phone(
            matter, "place-1", at(2, 10), caller, db.session.get(User, operator_id)
        )
        db.session.commit()
        return visit.id

    marked = []

    def close_the_day():
        assert booking.wait(timeout=20)
        with app.app_context():
            closure = Closure(location_id=location_id, starts_at=at(2, 0), ends_at=at(3, 0))
            db.session.add(closure)
            db.session.flush()
            marked.append(mark_closure(closure, utcnow()))
            db.session.commit()
            db.session.remove()

    closing = threading.Thread(target=close_the_day)
    closing.start()
    releaser = threading.Timer(1.5, may_finish.set)  # the closure waits this long, at least
    releaser.start()
    (visit_id,) = at_once(app, book, 1)
    closing.join(timeout=30)
    releaser.cancel()

    assert marked == [1]
    assert db.session.get(Visit, visit_id).recheck_at is not None
    run_job(recheck_marked)
    assert db.session.get(Visit, visit_id).status is S.CANCELLED


# --- What a booking costs -----------------------------------------------------------------------


def statements_of(app, work) -> int:
    count = []
    listener = lambda *_args: count.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(count)


def post_booking(client, n: int, start: datetime):
    response = client.post(
        "/api/v1/visits",
        json={
            "matter": "matter-1",
            "location": "place-1",
            "start": start.isoformat(),
            "name": f"Osoba {n}",
            "email": f"osoba{n}@example.pl",
        },
    )
    assert response.status_code == 201, response.get_json()


def test_a_booking_costs_the_same_few_statements_however_many_visits_there_are(
    app, client, make_matter, make_visit
):
    matter = make_matter(desks=50)
    db.session.commit()
    empty = statements_of(app, lambda: post_booking(client, 1, at(2, 9)))
    for n in range(40):
        make_visit(matter, at(3 + n % 5, 9 + n % 6), email=f"inny{n}@example.pl")
    db.session.commit()
    busy = statements_of(app, lambda: post_booking(client, 2, at(2, 10)))
    assert busy == empty
    assert empty <= 15, "a booking is a bounded, short list of statements"  # + the code check


def test_the_history_says_the_operations_notes_in_the_readers_language(
    client, login, make_matter, make_visit, make_user, clock
):
    matter = make_matter()
    visit = make_visit(matter, at(1, 10))
    operations.move(visit, "place-1", at(2, 11), STAFF, utcnow())
    clock.move_to(at(2, 11))
    operations.mark(visit, S.NO_SHOW, STAFF, utcnow())
    operations.undo_mark(visit, STAFF, utcnow())
    db.session.commit()
    login(make_user("staff", units=[matter.unit]))
    page = client.get(f"/staff/visits/{visit.reference}?lang=pl").get_data(as_text=True)
    assert "przeniesiona z 2026-12-01 10:00" in page
    assert "cofnięto oznaczenie" in page
    assert "moved from" not in page and "mark undone" not in page
