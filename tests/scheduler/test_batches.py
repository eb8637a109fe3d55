"""The scheduler under a real office's load: bounded batches, one failure isolated to its row
and shown to a person, and the defect that stopped every cancellation (a visit booked by phone
without an e-mail address in a closure) fixed."""

from datetime import datetime

import pytest
from sqlalchemy import event, select

from app.booking import notifications
from app.booking.models import Visit, VisitStatus
from app.booking.operations import CALL_THE_VISITOR, Visitor
from app.booking.recheck import mark_closure
from app.database import utcnow
from app.extensions import db
from app.matters.models import Closure
from app.scheduler import jobs
from tests.mails import recipients
from tests.pages import page
from tests.support import audit_entries, book_by_phone, fresh, run_job, warsaw

S = VisitStatus
pytestmark = pytest.mark.usefixtures("clock")  # Tuesday 1 December 2026, 9:00


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return warsaw(2026, 12, day, hour, minute)


def statuses(*visits: Visit) -> list[VisitStatus]:
    db.session.expire_all()
    return [db.session.get(Visit, visit.id).status for visit in visits]


def test_a_closure_over_a_visit_booked_by_phone_without_e_mail_cancels_every_visit_in_it(
    make_matter, make_visit, make_user
):
    matter = make_matter(desks=3)
    phone_only = book_by_phone(
        matter,
        matter.locations[0].slug,
        at(3, 10),
        Visitor("Jan Kowalski", email=None, phone="+48600100200"),
        make_user("operator"),
    )
    with_mail = [make_visit(matter, at(3, hour)) for hour in (9, 11, 12)]
    db.session.commit()
    closure = Closure(location=matter.locations[0], starts_at=at(3, 0), ends_at=at(4, 0))
    db.session.add(closure)
    db.session.flush()
    assert mark_closure(closure, utcnow()) == 4

    assert run_job(jobs.recheck_marked) == 4
    assert statuses(phone_only, *with_mail) == [S.CANCELLED] * 4
    assert recipients("cancellation") == sorted(visit.email for visit in with_mail)
    # Nobody could write to the caller: the visit waits on the unit's list to be called.
    assert db.session.get(Visit, phone_only.id).attention == CALL_THE_VISITOR
    assert {fresh(visit).attention for visit in with_mail} == {""}


def test_the_unit_sees_whom_to_call_and_says_when_it_is_done(
    client, login, make_matter, make_visit, make_user
):
    matter = make_matter()
    visit = make_visit(matter, at(3, 10), email=None, phone="+48600100200")
    closure = Closure(location=matter.locations[0], starts_at=at(3, 0), ends_at=at(4, 0))
    db.session.add(closure)
    db.session.flush()
    mark_closure(closure, utcnow())
    run_job(jobs.recheck_marked)
    login(make_user("staff", units=[matter.unit]))

    listed = page(client.get("/staff/attention?lang=en"))
    assert visit.reference in listed.text and "+48600100200" in listed.text
    assert "the visitor has no e-mail address: call them" in listed.text
    form = listed.form(f"/staff/visits/{visit.reference}/handled")
    response = client.post(form.action, data=form.data("Done"), follow_redirects=True)

    assert f"Visit {visit.reference} is off the list." in page(response).text
    assert "Nothing waits for you" in page(response).text
    assert (fresh(visit).attention, fresh(visit).attention_at) == ("", None)
    (entry,) = audit_entries("visit.handled")
    assert entry.before == {"attention": CALL_THE_VISITOR}


def test_a_try_that_succeeds_takes_the_visit_off_the_list(
    make_matter, make_visit, monkeypatch, clock
):
    visit = make_visit(make_matter(), at(2, 10))
    clock.move_to(at(1, 12))
    reminder = notifications.reminder

    def broken(_visit):
        raise RuntimeError("the mail template is broken")

    monkeypatch.setattr(notifications, "reminder", broken)
    run_job(jobs.send_reminders)
    assert fresh(visit).attention == "send_reminders: RuntimeError"
    monkeypatch.setattr(notifications, "reminder", reminder)
    clock.shift(3600)
    assert run_job(jobs.send_reminders) == 1
    reminded = fresh(visit)
    assert (reminded.attention, reminded.attention_at) == ("", None)
    assert reminded.reminded_at is not None
    assert recipients("reminder") == [visit.email]


def test_one_visit_that_fails_is_rolled_back_alone_marked_and_tried_again_in_an_hour(
    make_matter, make_visit, monkeypatch, clock
):
    matter = make_matter(desks=3)
    visits = [make_visit(matter, at(2, hour), status=S.REQUESTED) for hour in (9, 10, 11)]
    broken = visits[1]
    confirmation = notifications.confirmation

    def fails_for_one(visit, changed=False):
        if visit.id == broken.id:
            raise RuntimeError("the template is broken")
        return confirmation(visit, changed)

    monkeypatch.setattr(notifications, "confirmation", fails_for_one)
    assert run_job(jobs.check_requests) == 3
    assert statuses(*visits) == [S.CONFIRMED, S.REQUESTED, S.CONFIRMED]
    failed = db.session.get(Visit, broken.id)
    assert failed.attention == "check_requests: RuntimeError"  # no data, only what failed
    assert failed.attention_at == utcnow()
    assert [change.to_status for change in failed.changes] == [S.REQUESTED]  # rolled back
    assert len(recipients("confirmation")) == 2

    assert run_job(jobs.check_requests) == 0  # left alone, not failed again every minute
    clock.shift(3600)
    monkeypatch.setattr(notifications, "confirmation", confirmation)
    assert run_job(jobs.check_requests) == 1
    confirmed = db.session.get(Visit, broken.id)
    assert (confirmed.status, confirmed.attention, confirmed.attention_at) == (
        S.CONFIRMED,
        "",
        None,
    )


def test_a_visit_that_needs_attention_is_shown_to_its_unit_and_administrators(
    client, login, make_matter, make_visit, make_user
):
    matter = make_matter()
    visit = make_visit(
        matter, at(2, 10), attention="recheck_marked: OperationalError", attention_at=utcnow()
    )
    staff = make_user("staff", units=[matter.unit])
    login(staff)
    agenda = client.get("/staff/?lang=en").get_data(as_text=True)
    assert "Needs attention (1)" in agenda
    page = client.get("/staff/attention").get_data(as_text=True)
    assert visit.reference in page
    assert "could not check whether this visit still fits" in page

    client.post("/logout")
    login(make_user("admin"))
    admin = client.get("/admin/?lang=en").get_data(as_text=True)
    assert "1 visit the scheduler could not finish needs a person" in admin


def test_a_job_works_in_batches_each_its_own_transaction(make_matter, make_visit, monkeypatch):
    matter = make_matter(desks=5)
    for hour in (9, 10, 11):
        for _ in range(4):
            make_visit(matter, at(2, hour), status=S.REQUESTED)
    monkeypatch.setattr(jobs, "BATCH_SIZE", 5)
    batches = []

    def committed(_connection) -> None:
        batches.append(1)

    event.listen(db.engine, "commit", committed)
    try:
        assert run_job(jobs.check_requests) == 12
    finally:
        event.remove(db.engine, "commit", committed)
    assert len(batches) == 3  # 5 + 5 + 2, each committed on its own
    confirmed = db.session.scalars(select(Visit).where(Visit.status == S.CONFIRMED)).all()
    assert len(confirmed) == 12
    assert recipients("confirmation") == sorted(visit.email for visit in confirmed)
