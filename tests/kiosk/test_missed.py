"""Where visitors check in at a kiosk and the place says after how long, the scheduler marks
a confirmed visit nobody checked in for as missed; the staff may undo it that day. Elsewhere
the staff mark who did not come. What visitors are told of arriving follows the same setting."""

from datetime import timedelta

import pytest

from app.booking import operations
from app.booking.models import VisitStatus
from app.booking.operations import Visitor
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.kiosk.models import Kiosk
from app.scheduler.jobs import mark_missed
from tests.kiosk.conftest import TODAY_TEN
from tests.mails import outbox, text_of
from tests.pages import page
from tests.support import book_by_phone, fresh, run_job

S = VisitStatus


@pytest.fixture
def counted(matter):
    """The matter's place has a kiosk, set up an hour before the clock's time, and counts a
    visit missed 15 minutes after its start."""
    place = matter.locations[0]
    place.no_show_after_minutes = 15
    kiosk = Kiosk(location_id=place.id, name="Wejście", token_hash="x" * 64)
    kiosk.paired_at = utcnow() - timedelta(hours=1)
    db.session.add(kiosk)
    db.session.commit()
    return kiosk


def test_a_visit_nobody_checked_in_for_is_missed_after_the_places_time(
    clock, counted, matter, make_visit
):
    late = make_visit(matter, TODAY_TEN)
    came = make_visit(matter, TODAY_TEN, status=S.ARRIVED)
    later = make_visit(matter, TODAY_TEN + timedelta(minutes=30))
    clock.move_to(TODAY_TEN + timedelta(minutes=14))
    assert run_job(mark_missed) == 0

    clock.move_to(TODAY_TEN + timedelta(minutes=15))
    assert run_job(mark_missed) == 1
    assert (fresh(late).status, fresh(came).status, fresh(later).status) == (
        S.NO_SHOW,
        S.ARRIVED,
        S.CONFIRMED,
    )
    last = fresh(late).changes[-1]
    assert (last.actor, last.channel) == ("scheduler", None)
    assert outbox() == []  # nobody is written to about it
    assert run_job(mark_missed) == 0


def test_the_staff_may_undo_the_schedulers_mark_that_day(
    clock, counted, matter, make_visit, make_user
):
    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN + timedelta(minutes=20))
    run_job(mark_missed)
    staff = make_user("staff", units=[matter.unit])
    operations.undo_mark(fresh(visit), operations.Actor.office(staff, Channel.STAFF), TODAY_TEN)
    db.session.commit()
    assert fresh(visit).status is S.CONFIRMED
    clock.shift(timedelta(minutes=5))
    assert run_job(mark_missed) == 0  # the staff's word stands
    assert fresh(visit).status is S.CONFIRMED


@pytest.mark.parametrize(
    "place_setting",
    ["no kiosk", "no time", "kiosk withdrawn", "kiosk not set up", "booked before it"],
)
def test_elsewhere_the_staff_mark_who_did_not_come(
    clock, counted, matter, make_visit, place_setting
):
    place = matter.locations[0]
    if place_setting == "no kiosk":
        db.session.delete(counted)
    elif place_setting == "no time":
        place.no_show_after_minutes = None
    elif place_setting == "kiosk withdrawn":
        counted.revoked_at = TODAY_TEN
    elif place_setting == "kiosk not set up":
        counted.token_hash = counted.paired_at = None
    db.session.commit()
    booked = utcnow() - timedelta(hours=2 if place_setting == "booked before it" else 0)
    visit = make_visit(matter, TODAY_TEN, created_at=booked)
    clock.move_to(TODAY_TEN + timedelta(hours=2))
    assert run_job(mark_missed) == 0
    assert fresh(visit).status is S.CONFIRMED


def test_the_visits_of_days_gone_by_are_left_alone(clock, counted, matter, make_visit):
    """A place that starts counting does not mark the visits of months gone by."""
    old = make_visit(matter, TODAY_TEN - timedelta(days=2))
    assert run_job(mark_missed) == 0
    assert fresh(old).status is S.CONFIRMED


def test_the_confirmation_gives_the_code_where_the_place_has_a_kiosk(
    clock, counted, matter, make_matter, make_user
):
    operator = make_user("operator")
    caller = Visitor("Olena Kowal", "olena@example.org", language="en")
    tomorrow = TODAY_TEN + timedelta(days=1)
    visit = book_by_phone(matter, matter.locations[0].slug, tomorrow, caller, operator)
    elsewhere = make_matter()
    other = book_by_phone(elsewhere, elsewhere.locations[0].slug, tomorrow, caller, operator)
    db.session.commit()

    with_kiosk, without = (text_of(mail) for mail in outbox("confirmation"))
    code = visit.check_in_code
    assert f"Check-in code: {code[:3]} {code[3:]}" in with_kiosk
    assert "type your check-in code at the kiosk by the entrance" in with_kiosk
    assert "from 30 minutes before your time" in with_kiosk
    assert "A visit not checked in within 15 minutes of its start counts as missed." in with_kiosk
    assert "Check-in code" not in without and other.check_in_code not in without
    assert "give your reference at the entrance" in without


def test_the_infoline_reads_the_code_out(clock, client, counted, matter, make_user, log_in):
    operator = make_user("operator")
    caller = Visitor("Jan Kowalski", None, "+48600100200")
    visit = book_by_phone(
        matter, matter.locations[0].slug, TODAY_TEN + timedelta(days=1), caller, operator
    )
    db.session.commit()
    log_in(operator)
    script = page(client.get(f"/operator/visits/{visit.reference}/script"), 200)
    assert f"Your check-in code is: {' '.join(visit.check_in_code)}." in script.text
    assert "counts as missed" in script.text
