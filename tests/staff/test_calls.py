"""Calling the visitors who arrived: a clerk says which desk they call to, calls the next one
at a place (the earliest visit first) or one chosen, and the waiting room's screen shows the
call. Two desks calling at once call two visitors."""

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.booking import operations
from app.booking.models import Visit, VisitStatus
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from tests.pages import page
from tests.staff.conftest import TODAY_TEN
from tests.support import at_once, fresh

S = VisitStatus
AGENDA = "/staff/?day=2026-12-01"


def arrived(make_visit, matter, start, number):
    return make_visit(matter, start, status=S.ARRIVED, queue_number=number)


def set_desk(office, desk="Stanowisko 3"):
    form = page(office.get(AGENDA), 200).form("/staff/desk")
    return office.post(form.action, data=form.data(desk=desk), follow_redirects=True)


def test_call_next_takes_the_earliest_visit_and_the_screen_shows_it(
    office, client, clock, matter, make_visit
):
    later = arrived(make_visit, matter, TODAY_TEN + timedelta(minutes=30), 1)
    earlier = arrived(make_visit, matter, TODAY_TEN, 2)
    not_here = make_visit(matter, TODAY_TEN)  # confirmed, not arrived: not called
    clock.move_to(TODAY_TEN - timedelta(minutes=5))
    assert "You call visitors to: Stanowisko 3." in set_desk(office).get_data(as_text=True)

    agenda = page(office.get(AGENDA), 200)
    call_next = agenda.form("/staff/call-next")
    shown = page(office.post(call_next.action, data=call_next.data(), follow_redirects=True))
    assert f"Number 2 ({earlier.reference}) is called to Stanowisko 3." in shown.messages
    assert "called to Stanowisko 3 at 09:55" in shown.text
    clock.shift(timedelta(minutes=1))
    office.post(call_next.action, data=call_next.data())
    assert (fresh(earlier).called_to, fresh(later).called_to) == ("Stanowisko 3", "Stanowisko 3")
    assert fresh(not_here).called_at is None
    nobody = page(office.post(call_next.action, data=call_next.data(), follow_redirects=True))
    assert "Nobody who arrived is waiting to be called." in nobody.messages

    screen = client.get(f"/display/{matter.locations[0].slug}/calls.json").get_json()
    assert [(c["number"], c["desk"]) for c in screen["calls"]] == [
        (1, "Stanowisko 3"),
        (2, "Stanowisko 3"),
    ]
    assert later.name not in str(screen)  # numbers and desks, never a name
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("visit.call") == 2


def test_a_chosen_visitor_is_called_and_can_be_called_again(office, clock, matter, make_visit):
    visit = arrived(make_visit, matter, TODAY_TEN, 1)
    clock.move_to(TODAY_TEN)
    agenda = page(office.get(AGENDA), 200)
    assert not agenda.has_form(f"/staff/visits/{visit.reference}/call")  # no desk said yet
    set_desk(office, "Pokój 12")
    call = page(office.get(AGENDA), 200).form(f"/staff/visits/{visit.reference}/call")
    assert [b.label for b in call.buttons] == ["Call"]
    office.post(call.action, data=call.data())
    first_call = fresh(visit).called_at
    clock.shift(timedelta(minutes=2))
    again = page(office.get(AGENDA), 200).form(f"/staff/visits/{visit.reference}/call")
    assert [b.label for b in again.buttons] == ["Call again"]
    office.post(again.action, data=again.data())
    assert fresh(visit).called_at == first_call + timedelta(minutes=2)


def test_only_a_visitor_who_arrived_is_called(office, clock, matter, make_visit):
    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN)
    set_desk(office)
    response = office.post(f"/staff/visits/{visit.reference}/call", follow_redirects=True)
    assert "This visit is confirmed: it cannot be changed this way." in page(response).messages
    assert fresh(visit).called_at is None


def test_a_desk_must_be_named_and_a_place_must_be_the_users(office, clock, matter, make_matter):
    clock.move_to(TODAY_TEN)
    assert "Your desk: This field is required." in set_desk(office, "  ").get_data(as_text=True)
    set_desk(office)
    elsewhere = make_matter().locations[0]
    token = page(office.get(AGENDA), 200).form("/staff/desk").fields["csrf_token"]
    data = {"csrf_token": token, "location": str(elsewhere.id)}
    assert office.post("/staff/call-next", data=data).status_code == 403
    assert office.post("/staff/call-next", data=data | {"location": "x"}).status_code == 403


def test_two_desks_calling_at_once_call_two_visitors(app, clock, matter, make_visit, make_user):
    visits = [arrived(make_visit, matter, TODAY_TEN, n) for n in (1, 2)]
    clerks = [make_user("staff", units=[matter.unit]) for _ in range(2)]
    location_id, unit_ids = matter.locations[0].id, [matter.unit.id]
    actors = [operations.Actor.office(clerk, Channel.STAFF) for clerk in clerks]
    db.session.commit()  # SQLite: the test's own reading must not hold the write lock

    def call_next(index: int) -> int:
        desk = f"Stanowisko {index + 1}"
        visit = operations.call_next(location_id, unit_ids, desk, actors[index], TODAY_TEN)
        db.session.commit()
        return visit.id

    called = at_once(app, call_next, 2)
    assert sorted(called) == sorted(visit.id for visit in visits)
    desks = db.session.scalars(select(Visit.called_to).order_by(Visit.called_to)).all()
    assert desks == ["Stanowisko 1", "Stanowisko 2"]


def test_the_agenda_tells_its_script_when_it_changed(office, clock, matter, make_visit):
    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN - timedelta(minutes=5))
    agenda = page(office.get(AGENDA), 200)
    (stamp_url,) = [part.split('"')[0] for part in agenda.html.split('data-stamp-url="')[1:]]
    before = office.get(stamp_url.replace("&amp;", "&")).get_json()["stamp"]
    assert f'data-stamp="{before}"' in agenda.html
    assert office.get(stamp_url.replace("&amp;", "&")).get_json()["stamp"] == before

    operations.check_in(fresh(visit), operations.Actor("kiosk 1", Channel.KIOSK), utcnow())
    db.session.commit()
    assert office.get(stamp_url.replace("&amp;", "&")).get_json()["stamp"] != before
