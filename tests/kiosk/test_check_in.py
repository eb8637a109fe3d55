"""At the kiosk of a place, a visitor types the check-in code of their confirmation from a
little before the visit's time: the visit is marked arrived, with the next number of the day
and where to wait. Every other code gets a message the visitor can act on."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.booking.models import Visit, VisitChange, VisitStatus
from app.booking.operations import Visitor
from app.booking.states import Channel
from app.extensions import db
from tests.kiosk.conftest import TODAY_TEN, set_up_device, type_code
from tests.pages import page
from tests.support import at_once, book_by_phone

S = VisitStatus


def fresh(visit) -> Visit:
    db.session.expire_all()
    return db.session.get(Visit, visit.id)


def test_the_code_checks_the_visit_in_with_the_days_next_number(kiosk, clock, matter, make_visit):
    matter.locations[0].waiting_area = {"pl": "poczekalnia, pokój 12", "en": "the waiting room, 12"}
    db.session.commit()
    first = make_visit(matter, TODAY_TEN)
    second = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN - timedelta(minutes=20))

    answer = page(type_code(kiosk, first.check_in_code), 200)
    assert answer.part("<h1>", "</h1>") == "You are checked in"
    assert answer.part('<p class="kiosk-number">', "</p>") == "1"
    assert "Please wait here: the waiting room, 12." in answer.text
    assert f"Your visit: {matter.title['en']}, 10:00." in answer.text
    assert first.name not in answer.text  # a screen in the entrance shows no name
    # Left alone, it goes back to the keypad in Polish for the next visitor.
    assert 'data-return-after="30" data-return-to="/kiosk/?lang=pl"' in answer.html
    visit = fresh(first)
    assert (visit.status, visit.queue_number) == (S.ARRIVED, 1)
    last = visit.changes[-1]
    assert (last.to_status, last.channel) == (S.ARRIVED, Channel.KIOSK)
    assert last.actor.startswith("kiosk ")

    spaced = f"{second.check_in_code[:3]} {second.check_in_code[3:]}"  # as the e-mail shows it
    answer = page(type_code(kiosk, spaced, lang="uk"), 200)
    assert answer.part('<p class="kiosk-number">', "</p>") == "2"
    assert "Ви зареєструвалися" in answer.text


def test_a_code_typed_again_shows_the_same_number(kiosk, clock, matter, make_visit):
    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN - timedelta(minutes=5))
    type_code(kiosk, visit.check_in_code)
    again = page(type_code(kiosk, visit.check_in_code), 200)
    assert again.part("<h1>", "</h1>") == "You checked in earlier"
    assert again.part('<p class="kiosk-number">', "</p>") == "1"
    assert len(fresh(visit).changes) == 2  # booked, arrived: nothing more


@pytest.mark.parametrize(
    ("minutes", "missed_after", "status", "message"),
    [
        (-31, None, 409, "Your visit is at 10:00. Check-in opens at 09:30: please come back then."),
        (-30, None, 200, ""),
        (25, None, 200, ""),  # no time set: until the visit's end
        (30, None, 409, "The time to check in for your visit at 10:00 has passed."),
        (9, 10, 200, ""),
        (10, 10, 409, "The time to check in for your visit at 10:00 has passed."),
    ],
    ids=["too early", "as it opens", "late", "over", "within the time", "after it"],
)
def test_check_in_opens_before_the_time_and_closes_after_it(
    kiosk, clock, matter, make_visit, minutes, missed_after, status, message
):
    matter.locations[0].no_show_after_minutes = missed_after
    db.session.commit()
    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN + timedelta(minutes=minutes))
    response = type_code(kiosk, visit.check_in_code)
    assert response.status_code == status
    if message:
        assert message in page(response).part('<div class="kiosk-answer"', "</div>")
        assert fresh(visit).status is S.CONFIRMED
    else:
        assert fresh(visit).status is S.ARRIVED


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (S.REQUESTED, "Your visit is not confirmed yet. Please ask at the information desk."),
        (S.NO_SHOW, "This visit can no longer be checked in. Please ask at the information"),
        (S.ATTENDED, "This visit can no longer be checked in."),
    ],
)
def test_a_visit_not_confirmed_is_sent_to_the_desk(
    kiosk, clock, matter, make_visit, state, message
):
    visit = make_visit(matter, TODAY_TEN, status=state)
    clock.move_to(TODAY_TEN - timedelta(minutes=10))
    response = type_code(kiosk, visit.check_in_code)
    assert response.status_code == 409
    assert message in page(response).text
    assert fresh(visit).status is state


def test_only_the_visits_of_today_at_the_kiosks_place_are_found(
    app, kiosk, clock, matter, make_visit, make_matter
):
    elsewhere = make_visit(make_matter(), TODAY_TEN)  # another place's visit, same hour
    tomorrow = make_visit(matter, TODAY_TEN + timedelta(days=1))
    clock.move_to(TODAY_TEN - timedelta(minutes=10))
    for code in (elsewhere.check_in_code, tomorrow.check_in_code, "000000"):
        response = type_code(kiosk, code)
        assert response.status_code == 404
        assert "There is no visit with this code here today." in page(response).text
    assert fresh(elsewhere).status is S.CONFIRMED


def test_a_code_typed_again_gives_no_tries_back(kiosk, clock, matter, make_visit):
    """A visitor who checked in cannot make room for more guesses with their own code."""
    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN - timedelta(minutes=10))
    type_code(kiosk, visit.check_in_code)
    wrong = "999999" if visit.check_in_code != "999999" else "999998"
    for _ in range(4):
        type_code(kiosk, wrong)
    type_code(kiosk, visit.check_in_code)  # the fifth try
    assert type_code(kiosk, wrong).status_code == 429


def test_booking_gives_a_code_no_other_visit_of_the_day_has(clock, matter, make_user):
    operator = make_user("operator")
    codes = set()
    for n in range(3):
        caller = Visitor(f"Osoba {n}", None, f"+4860010020{n}")
        visit = book_by_phone(
            matter, matter.locations[0].slug, TODAY_TEN + timedelta(days=1), caller, operator
        )
        codes.add(visit.check_in_code)
    assert len(codes) == 3


def test_a_code_two_visits_of_the_day_share_checks_neither_in(kiosk, clock, matter, make_visit):
    one = make_visit(matter, TODAY_TEN, check_in_code="123456")
    other = make_visit(matter, TODAY_TEN, check_in_code="123456")
    clock.move_to(TODAY_TEN - timedelta(minutes=10))
    assert type_code(kiosk, "123456").status_code == 404
    assert (fresh(one).status, fresh(other).status) == (S.CONFIRMED, S.CONFIRMED)


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456"])
def test_what_is_not_six_digits_is_explained(kiosk, clock, typed):
    response = type_code(kiosk, typed)
    assert response.status_code == 400
    assert "Please type the six digits of the code." in page(response).text


def test_wrong_codes_in_a_row_make_the_kiosk_wait(kiosk, clock, matter, make_visit):
    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN - timedelta(minutes=10))
    wrong = "999999" if visit.check_in_code != "999999" else "999998"
    assert [type_code(kiosk, wrong).status_code for _ in range(5)] == [404] * 5
    refused = type_code(kiosk, visit.check_in_code)
    assert refused.status_code == 429
    assert "Too many codes could not be checked in. Please wait 2 minutes" in page(refused).text
    assert fresh(visit).status is S.CONFIRMED

    clock.shift(timedelta(minutes=2, seconds=1))
    assert type_code(kiosk, visit.check_in_code).status_code == 200
    # A check-in gives the tries back: the next visitor has all of them.
    assert [type_code(kiosk, wrong).status_code for _ in range(5)] == [404] * 5


def test_each_kiosk_counts_its_own_tries(app, kiosk, clock, matter, make_visit):
    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN - timedelta(minutes=10))
    for _ in range(5):
        type_code(kiosk, "999999" if visit.check_in_code != "999999" else "999998")
    second_entrance, _kiosk = set_up_device(app, matter.locations[0], name="Wejście B")
    assert type_code(second_entrance, visit.check_in_code).status_code == 200


def test_two_arrivals_at_once_get_two_numbers(app, clock, matter, make_visit):
    """Two kiosks of a place, two visitors pressing "Check in" at the same moment."""
    visits = [make_visit(matter, TODAY_TEN) for _ in range(2)]
    devices = [set_up_device(app, matter.locations[0], name=f"Wejście {n}")[0] for n in (1, 2)]
    clock.move_to(TODAY_TEN - timedelta(minutes=10))
    forms = [page(device.get("/kiosk/?lang=en"), 200).form("/kiosk/") for device in devices]
    sent = [form.data(code=visit.check_in_code) for form, visit in zip(forms, visits, strict=True)]
    db.session.commit()  # SQLite: the test's own reading must not hold the write lock

    def press(index: int) -> int:
        return devices[index].post("/kiosk/", data=sent[index]).status_code

    assert at_once(app, press, 2) == [200, 200]
    assert sorted(fresh(visit).queue_number for visit in visits) == [1, 2]


def test_the_number_starts_again_each_day_and_the_staffs_arrival_takes_one_too(
    kiosk, clock, matter, make_visit, make_user, app
):
    today = make_visit(matter, TODAY_TEN)
    at_the_desk = make_visit(matter, TODAY_TEN)
    tomorrow = make_visit(matter, TODAY_TEN + timedelta(days=1))
    clock.move_to(TODAY_TEN - timedelta(minutes=10))
    type_code(kiosk, today.check_in_code)

    office = app.test_client()
    staff = make_user("staff", units=[matter.unit], email="recepcja@urzad.example")
    office.post("/login", data={"email": staff.email, "password": "correct horse battery"})
    detail = page(office.get(f"/staff/visits/{at_the_desk.reference}?lang=en"), 200)
    marks = detail.form(f"/staff/visits/{at_the_desk.reference}/mark")
    office.post(marks.action, data=marks.data(button="Arrived"))
    assert fresh(at_the_desk).queue_number == 2

    clock.move_to(TODAY_TEN + timedelta(days=1, minutes=-10))
    type_code(kiosk, tomorrow.check_in_code)
    assert fresh(tomorrow).queue_number == 1
    changes = db.session.scalars(
        select(VisitChange.channel).where(VisitChange.to_status == S.ARRIVED)
    )
    assert sorted(changes) == sorted([Channel.KIOSK, Channel.STAFF, Channel.KIOSK])
