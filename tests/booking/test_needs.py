"""Companions and needs declared at booking (PRODUCT.md, "The day of the visit"): the one
companion the rules allow, a sign-language interpreter at least three working days ahead, a
step-free entrance, more time, and the case's reference where the matter asks for it; kept
through every door and told to the visitor and the office."""

from datetime import datetime, time

import holidays
import pytest
from sqlalchemy import select

from app.booking import operations
from app.booking.models import VisitStatus
from app.booking.needs import Companion, Needs, SignLanguage
from app.booking.operations import Visitor
from app.booking.rules import BookingRefused, Problem, notice_problem
from app.booking.slots import Schedule, Window
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter
from app.scheduler.jobs import check_requests
from tests.mails import html_of, outbox, text_of
from tests.pages import page
from tests.support import (
    WARSAW,
    book_by_phone,
    fami_request,
    request_online,
    run_job,
    visit_by,
    visits,
    warsaw,
)

# The clock stands on Tuesday 1 December 2026, 9:00: Thursday is two working days ahead,
# Friday three.
THURSDAY_TEN = warsaw(2026, 12, 3, 10, 0)
FRIDAY_TEN = warsaw(2026, 12, 4, 10, 0)
INTERPRETER_NOTICE = (
    "A sign-language interpreter must be requested at least 3 working days before the visit."
)


def open_form(client, start: datetime, slug: str = "fami", location: str = "fami-krakow"):
    url = f"/matters/{slug}/book"
    query = {"location": location, "start": start.isoformat(), "lang": "en"}
    return page(client.get(url, query_string=query)).form(url)


def send(client, form, **values):
    return client.post(
        form.action, data=form.data(name="Jan Nowak", email="jan@example.pl", **values)
    )


# --- The rule ---------------------------------------------------------------------------------

SCHEDULE = Schedule(
    timezone=WARSAW,
    windows=[Window(day, time(9), time(15)) for day in range(5)],
    closures=[],
    holidays=holidays.country_holidays("PL"),
)
PJM = Needs(sign_language=SignLanguage.PJM)


@pytest.mark.parametrize(
    ("now", "start", "problem"),
    [
        (warsaw(2026, 12, 1, 9), warsaw(2026, 12, 3, 10), Problem.INTERPRETER_NOTICE),
        (warsaw(2026, 12, 1, 9), warsaw(2026, 12, 4, 10), None),
        # Late on the day of the request counts the same: the notice is in working days.
        (warsaw(2026, 12, 1, 23, 59), warsaw(2026, 12, 4, 9), None),
        # A Friday's request: the weekend does not count.
        (warsaw(2026, 12, 4, 9), warsaw(2026, 12, 8, 10), Problem.INTERPRETER_NOTICE),
        (warsaw(2026, 12, 4, 9), warsaw(2026, 12, 9, 10), None),
        # Christmas Eve, Christmas and the weekend do not count: Monday the 28th is the third.
        (warsaw(2026, 12, 21, 9), warsaw(2026, 12, 23, 10), Problem.INTERPRETER_NOTICE),
        (warsaw(2026, 12, 21, 9), warsaw(2026, 12, 28, 10), None),
    ],
)
def test_a_sign_language_interpreter_needs_three_working_days_notice(now, start, problem):
    assert notice_problem(SCHEDULE, start, now, PJM) is problem


def test_other_needs_ask_for_no_notice():
    needs = Needs(companion=Companion.INTERPRETER, step_free=True, more_time=True)
    assert notice_problem(SCHEDULE, warsaw(2026, 12, 2, 10), warsaw(2026, 12, 1, 9), needs) is None


# --- The citizen's form -----------------------------------------------------------------------


def test_the_form_offers_the_companions_the_rules_allow_and_the_needs(client, catalog, clock):
    form = open_form(client, FRIDAY_TEN)

    assert form.options["companion"] == ["", "guardian", "assistant", "interpreter"]
    assert form.chosen["companion"] == ""  # by default one person comes
    assert form.options["sign_language"] == ["", "pjm", "sjm", "skogn"]
    assert form.options["step_free"] == form.options["more_time"] == ["y"]
    assert "case_reference" not in form.inputs  # FAMI's points do not ask for one


def test_what_the_citizen_declares_is_kept_and_told_in_the_e_mails(client, catalog, clock):
    form = open_form(client, FRIDAY_TEN)
    sent = send(client, form, companion="guardian", sign_language="pjm", step_free="y")
    assert sent.status_code == 303

    (visit,) = visits()
    assert (visit.companion, visit.sign_language) == (Companion.GUARDIAN, SignLanguage.PJM)
    assert (visit.step_free, visit.more_time) == (True, False)
    (verification,) = outbox("verification")
    assert (
        "Declared at booking:\n"
        "- Companion: A parent or legal guardian of a visitor under 18\n"
        "- Sign-language interpreter: Polish Sign Language (PJM)\n"
        "- A step-free entrance\n"
    ) in text_of(verification)

    operations.verify(visit, utcnow())
    db.session.commit()
    assert run_job(check_requests) == 1
    (confirmation,) = outbox("confirmation")
    rule = (
        "One person may attend the meeting, with the companion declared at booking. "
        "The office arranges the sign-language interpreter."
    )
    assert rule in text_of(confirmation)
    assert rule in html_of(confirmation)
    assert "A step-free entrance" in html_of(confirmation)


def test_without_a_companion_the_confirmation_keeps_the_one_attendee_rule(client, catalog, clock):
    sent = send(client, open_form(client, FRIDAY_TEN))
    assert sent.status_code == 303
    (visit,) = visits()
    assert visit.companion is None and not visit.step_free and not visit.more_time
    operations.verify(visit, utcnow())
    db.session.commit()
    run_job(check_requests)
    text = text_of(outbox("confirmation")[0])
    assert "One person may attend the meeting.\n" in text
    assert "Declared at booking" not in text


def test_an_interpreter_asked_too_late_is_refused_at_its_field(client, catalog, clock):
    form = open_form(client, THURSDAY_TEN)
    refused = send(client, form, sign_language="sjm", companion="assistant")

    assert refused.status_code == 422
    again = page(refused)
    assert INTERPRETER_NOTICE in again.errors_of("sign_language")
    kept = again.form("/matters/fami/book")
    assert (kept.chosen["companion"], kept.chosen["sign_language"]) == ("assistant", "sjm")
    assert visits() == []
    # The same time without an interpreter is booked.
    assert send(client, kept, sign_language="").status_code == 303


def test_a_companion_not_in_the_rules_is_refused(client, catalog, clock):
    refused = send(client, open_form(client, FRIDAY_TEN), companion="cousin")
    assert refused.status_code == 422
    assert page(refused).errors_of("companion")
    assert visits() == []


def test_the_case_reference_is_asked_where_the_matter_asks_for_it(client, catalog, clock):
    form = open_form(client, warsaw(2026, 12, 2, 10), "odwolania-pup", "basztowa-pok")
    assert "case_reference" in form.inputs
    sent = send(client, form, case_reference="  WO-II.9112.4.2026  ")
    assert sent.status_code == 303
    (visit,) = visits()
    assert visit.case_reference == "WO-II.9112.4.2026"
    assert "Case reference: WO-II.9112.4.2026" in text_of(outbox("verification")[0])


def test_a_case_reference_too_long_or_with_control_characters_is_refused(client, catalog, clock):
    form = open_form(client, warsaw(2026, 12, 2, 10), "odwolania-pup", "basztowa-pok")
    for typed in ("W" * 41, "WO\x07II"):
        refused = send(client, form, case_reference=typed)
        assert refused.status_code == 422
        assert page(refused).errors_of("case_reference")
    assert visits() == []


def test_a_case_reference_is_not_kept_where_the_matter_does_not_ask(app_context, catalog, clock):
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    visitor = Visitor("Jan Nowak", "jan@example.pl", case_reference="X-1")
    assert request_online(fami, "fami-krakow", FRIDAY_TEN, visitor).case_reference == ""


# --- The API ----------------------------------------------------------------------------------


def test_the_api_takes_the_companion_and_needs(client, catalog, clock):
    body = fami_request(FRIDAY_TEN.isoformat(), "jan@example.pl") | {
        "companion": "interpreter",
        "sign_language": "skogn",
        "step_free": False,
        "more_time": True,
    }
    response = client.post("/api/v1/visits", json=body)

    assert response.status_code == 201, response.get_json()
    visit = visit_by(response.get_json()["reference"])
    assert (visit.companion, visit.sign_language) == (Companion.INTERPRETER, SignLanguage.SKOGN)
    assert (visit.step_free, visit.more_time) == (False, True)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"step_free": "yes"}, "step_free"),
        ({"more_time": 1}, "more_time"),
        ({"companion": "cousin"}, "companion"),
        ({"sign_language": "asl"}, "sign_language"),
        ({"case_reference": 17}, "case_reference"),
    ],
)
def test_the_api_refuses_needs_it_does_not_know(client, catalog, clock, fields, field):
    body = fami_request(FRIDAY_TEN.isoformat(), "jan@example.pl") | fields
    response = client.post("/api/v1/visits", json=body)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [field]
    assert visits() == []


def test_the_api_refuses_an_interpreter_asked_too_late(client, catalog, clock):
    body = fami_request(THURSDAY_TEN.isoformat(), "jan@example.pl") | {"sign_language": "pjm"}
    response = client.post("/api/v1/visits", json=body, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    (message,) = response.get_json()["errors"]["sign_language"]
    assert message.startswith(INTERPRETER_NOTICE)
    assert visits() == []


# --- Moving ----------------------------------------------------------------------------------


def test_a_visit_with_an_interpreter_cannot_move_closer_than_the_notice(
    app_context, make_matter, clock
):
    matter = make_matter(desks=2)
    slug = matter.locations[0].slug
    visitor = Visitor("Jan Nowak", "jan@example.pl", needs=PJM)
    visit = request_online(matter, slug, FRIDAY_TEN, visitor)
    db.session.commit()

    with pytest.raises(BookingRefused) as refused:
        operations.move(visit, slug, THURSDAY_TEN, operations.CITIZEN, utcnow())
    assert refused.value.problems == {"sign_language": [Problem.INTERPRETER_NOTICE]}
    db.session.rollback()
    operations.move(visit, slug, FRIDAY_TEN.replace(hour=11), operations.CITIZEN, utcnow())
    assert visit.starts_at == FRIDAY_TEN.replace(hour=11)


def test_the_unit_staff_may_move_a_visit_within_the_notice(make_matter, clock):
    matter = make_matter(desks=2)
    slug = matter.locations[0].slug
    visit = request_online(
        matter, slug, FRIDAY_TEN, Visitor("Jan Nowak", "jan@example.pl", needs=PJM)
    )
    db.session.commit()
    unit = operations.Actor("ewa@urzad.example", Channel.STAFF)
    operations.move(visit, slug, THURSDAY_TEN, unit, utcnow())  # they arrange the interpreter
    assert visit.starts_at == THURSDAY_TEN


def test_the_api_says_at_once_that_an_interpreter_is_asked_too_late(client, catalog, clock):
    body = fami_request(THURSDAY_TEN.isoformat(), "jan@example.pl", name="") | {
        "sign_language": "pjm"
    }
    response = client.post("/api/v1/visits", json=body)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"name", "sign_language"}


# --- The unit arranges the interpreter --------------------------------------------------------


@pytest.fixture
def unit_mail(make_matter):
    """An auto-confirmed matter whose unit has an address."""
    matter = make_matter(desks=2)
    matter.unit.email = "zespol@urzad.example"
    db.session.commit()
    return matter


def interpreter_mails() -> list[str]:
    return [text_of(mail).split("\n", 1)[0] for mail in outbox("interpreter")]


# The unit is written to in Polish.
ARRANGE = "Prosimy zapewnić tłumacza języka migowego na tę wizytę, w podanym niżej terminie:"
CALLED_OFF = (
    "Ta wizyta została odwołana: tłumacz języka migowego zamówiony na nią nie jest już potrzebny."
)


def test_the_unit_is_told_to_arrange_the_interpreter_for_each_confirmed_time(
    unit_mail, clock, make_user
):
    slug = unit_mail.locations[0].slug
    visitor = Visitor("Jan Nowak", "jan@example.pl", needs=PJM)
    visit = request_online(unit_mail, slug, FRIDAY_TEN, visitor)
    operations.verify(visit, utcnow())
    db.session.commit()
    assert interpreter_mails() == []  # a request is not a visit yet

    assert run_job(check_requests) == 1
    operations.move(visit, slug, FRIDAY_TEN.replace(hour=11), operations.CITIZEN, utcnow())
    db.session.commit()
    clock.move_to(FRIDAY_TEN.replace(hour=11, minute=5))
    staff = operations.Actor("ewa@urzad.example", Channel.STAFF)
    operations.mark(visit, VisitStatus.ARRIVED, staff, utcnow())
    operations.undo_mark(visit, staff, utcnow())  # back to confirmed: nothing new to arrange
    db.session.commit()
    assert interpreter_mails() == [ARRANGE, ARRANGE]
    (first, moved) = outbox("interpreter")
    assert first.recipient == "zespol@urzad.example"
    assert "piątek, 4 grudnia 2026, 11:00" in text_of(moved)  # in Polish, the new time


def test_the_unit_is_told_when_a_visit_with_an_interpreter_is_called_off(
    unit_mail, clock, make_user
):
    operator = make_user("operator")
    caller = Visitor("Jan Nowak", None, "+48600100200", needs=PJM)
    visit = book_by_phone(unit_mail, unit_mail.locations[0].slug, FRIDAY_TEN, caller, operator)
    operations.cancel(visit, operations.CITIZEN, "", utcnow())
    db.session.commit()
    assert interpreter_mails() == [ARRANGE, CALLED_OFF]
    assert "Jan Nowak, +48600100200" in text_of(outbox("interpreter")[1])
