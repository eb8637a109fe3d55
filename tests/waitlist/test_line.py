"""The waitlist (issue 11, part 4): a person joins the line of a full day; when a desk frees up
the first in line is offered it, held for them; if they let the hold lapse, the next is offered
it. Fair order, one place per person and matter, the lines of days gone by forgotten."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.booking import operations
from app.booking.models import Visit, VisitStatus
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.matters.models import VisitPolicy
from app.scheduler.jobs import check_requests, expire_held, free_released_desks
from app.waitlist.line import offer_freed_desks
from app.waitlist.models import EntryStatus, WaitlistEntry
from tests.mails import links_in, outbox, text_of
from tests.pages import get, page
from tests.support import at_once, run_job, warsaw

# The clock stands on Tuesday 1 December 2026, 9:00: Wednesday is the first day to book.
WEDNESDAY = warsaw(2026, 12, 2, 9, 0)
UNIT = operations.Actor("ewa@urzad.example", Channel.STAFF)


@pytest.fixture
def full_wednesday(clock, make_matter, make_visit):
    """A matter of one desk whose Wednesday (9:00–15:00, half-hourly) is booked up."""
    matter = make_matter()
    visits = [make_visit(matter, WEDNESDAY + timedelta(minutes=30 * n)) for n in range(12)]
    return matter, visits


def join(client, matter, name: str, email: str, day: str = "2026-12-02"):
    """Send the join form (the entry then waits for its e-mail's link)."""
    url = f"/matters/{matter.slug}/waitlist"
    form = page(client.get(url, query_string={"location": matter.locations[0].slug, "lang": "en"}))
    return client.post(url, data=form.form(url).data(day=day, name=name, email=email))


def link_of(email: str, path: str) -> str:
    (mail,) = [mail for mail in outbox("waitlist_joined") if mail.recipient == email]
    (link,) = [link for link in links_in(mail) if link.startswith(path)]
    return link


def join_and_confirm(client, matter, name: str, email: str):
    assert join(client, matter, name, email).status_code == 303
    confirm = link_of(email, "/waitlist/confirm/")
    shown = get(client, confirm)
    assert client.post(confirm, data=shown.form("").fields).status_code == 303


def entries() -> list[WaitlistEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(WaitlistEntry).order_by(WaitlistEntry.id)))


def offered_to(email: str) -> Visit:
    db.session.expire_all()
    return db.session.scalar(select(Visit).where(Visit.email == email))


def test_a_full_day_is_offered_and_joining_gives_a_place_in_line(client, full_wednesday):
    matter, _visits = full_wednesday
    url = f"/matters/{matter.slug}/waitlist"
    form = page(client.get(url, query_string={"location": matter.locations[0].slug, "lang": "en"}))
    days = form.form(url).options["day"]
    assert days[0] == "2026-12-02"  # the full Wednesday; Thursday still has free times
    assert "2026-12-03" not in days

    first = join(client, matter, "Anna Nowak", "anna@example.pl")
    assert first.status_code == 303
    assert "We have sent an e-mail to anna@example.pl" in get(client, first.location).text
    assert entries()[0].status is EntryStatus.UNCONFIRMED  # not in line until its link

    confirm = link_of("anna@example.pl", "/waitlist/confirm/")
    shown = get(client, confirm)  # opening the link changes nothing
    assert entries()[0].status is EntryStatus.UNCONFIRMED
    confirmed = client.post(confirm, data=shown.form("").fields, follow_redirects=True)
    assert "Your place in line 1" in page(confirmed).text
    assert link_of("anna@example.pl", "/waitlist/leave/")

    join_and_confirm(client.application.test_client(), matter, "Jan Kowalski", "jan@example.pl")
    assert [entry.email for entry in entries()] == ["anna@example.pl", "jan@example.pl"]
    assert [entry.status for entry in entries()] == [EntryStatus.WAITING] * 2


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-12-03", "Not a valid choice."),  # Thursday has free times: not offered
        ("2026-12-05", "Not a valid choice."),  # a Saturday
    ],
)
def test_only_a_full_day_can_be_waited_for(client, full_wednesday, day, message):
    matter, _visits = full_wednesday
    refused = join(client, matter, "Anna Nowak", "anna@example.pl", day=day)
    assert refused.status_code == 422
    assert message in page(refused).errors_of("day")
    assert entries() == []


def test_one_place_in_line_per_person_and_matter(client, full_wednesday):
    matter, _visits = full_wednesday
    assert join(client, matter, "Anna Nowak", "anna@example.pl").status_code == 303
    again = join(client, matter, "Anna Nowak", "Anna+2@Example.pl")
    assert again.status_code == 422
    assert "You are already on the waitlist for this matter." in page(again).errors_of("day")
    assert len(entries()) == 1


def free_a_desk(visits) -> Visit:
    """The unit cancels a Wednesday visit: its desk is free at once."""
    cancelled = visits[4]  # 11:00
    operations.cancel(cancelled, UNIT, "The visitor called.", utcnow())
    db.session.commit()
    return cancelled


def test_a_freed_desk_goes_to_the_first_in_line_who_takes_it(client, full_wednesday):
    matter, visits = full_wednesday
    join_and_confirm(client, matter, "Anna Nowak", "anna@example.pl")
    join_and_confirm(client.application.test_client(), matter, "Jan Kowalski", "jan@example.pl")
    assert run_job(offer_freed_desks) == 0  # nothing is free yet

    cancelled = free_a_desk(visits)
    assert run_job(offer_freed_desks) == 1
    anna, jan = entries()
    assert (anna.status, jan.status) == (EntryStatus.OFFERED, EntryStatus.WAITING)
    held = offered_to("anna@example.pl")
    assert (held.status, held.starts_at) == (VisitStatus.HELD, cancelled.starts_at)
    (offer,) = outbox("waitlist_offer")
    assert "a time has freed up on the day you are waiting for" in text_of(offer)

    # Anna takes it by the e-mail's link and its button.
    (verify,) = [link for link in links_in(offer) if link.startswith("/visits/verify/")]
    shown = get(client, f"{verify}?lang=en")
    assert "A time has freed up for you" in shown.text
    assert "It is held for you until 09:30" in shown.text
    assert [button.label for button in shown.form("").buttons] == ["Take this time"]
    taken = page(client.post(f"{verify}?lang=en", data=shown.form("").fields))
    assert "Thank you, your request has been sent" in taken.text
    assert run_job(check_requests) == 1
    assert run_job(offer_freed_desks) == 0
    anna, jan = entries()
    assert (anna.status, jan.status) == (EntryStatus.TAKEN, EntryStatus.WAITING)
    assert offered_to("anna@example.pl").status is VisitStatus.CONFIRMED


def test_an_offer_let_lapse_goes_to_the_next_in_line(client, clock, full_wednesday):
    matter, visits = full_wednesday
    join_and_confirm(client, matter, "Anna Nowak", "anna@example.pl")
    join_and_confirm(client.application.test_client(), matter, "Jan Kowalski", "jan@example.pl")
    cancelled = free_a_desk(visits)
    assert run_job(offer_freed_desks) == 1

    clock.shift(timedelta(minutes=31))  # Anna's hold is over
    assert run_job(expire_held) == 1
    assert run_job(offer_freed_desks) == 0  # her desk is offered again a while later
    clock.shift(timedelta(minutes=10))
    assert run_job(free_released_desks) == 1
    assert run_job(offer_freed_desks) == 1

    anna, jan = entries()
    assert (anna.status, jan.status) == (EntryStatus.LAPSED, EntryStatus.OFFERED)
    (first_offer, _second) = outbox("waitlist_offer")
    (link,) = [link for link in links_in(first_offer) if link.startswith("/visits/verify/")]
    late = client.get(f"{link}?lang=en")
    assert late.status_code == 410
    assert "offered to the next person in line" in page(late).text
    held = offered_to("jan@example.pl")
    assert (held.status, held.starts_at) == (VisitStatus.HELD, cancelled.starts_at)
    assert [mail.recipient for mail in outbox("waitlist_offer")] == [
        "anna@example.pl",
        "jan@example.pl",
    ]


def test_leaving_the_line_by_the_e_mails_link(client, full_wednesday):
    matter, visits = full_wednesday
    join_and_confirm(client, matter, "Anna Nowak", "anna@example.pl")
    leave = link_of("anna@example.pl", "/waitlist/leave/")

    shown = get(client, leave)  # opening the link changes nothing
    assert entries()[0].status is EntryStatus.WAITING
    assert client.post(leave, data=shown.form("").fields).status_code == 303
    assert entries()[0].status is EntryStatus.LEFT
    free_a_desk(visits)
    assert run_job(offer_freed_desks) == 0
    assert client.get("/waitlist/leave/made-up").status_code == 404


def test_the_lines_of_days_gone_by_are_forgotten_with_their_e_mails(client, clock, full_wednesday):
    matter, _visits = full_wednesday
    join_and_confirm(client, matter, "Anna Nowak", "anna@example.pl")
    clock.move_to(warsaw(2026, 12, 3, 8, 0))
    run_job(offer_freed_desks)
    assert entries() == []
    assert outbox("waitlist_joined") == []  # it named her


def test_an_unconfirmed_entry_is_offered_nothing(client, full_wednesday):
    matter, visits = full_wednesday
    join(client, matter, "Anna Nowak", "anna@example.pl")
    free_a_desk(visits)
    assert run_job(offer_freed_desks) == 0
    assert entries()[0].status is EntryStatus.UNCONFIRMED


def test_no_offer_at_night(client, clock, full_wednesday):
    matter, visits = full_wednesday
    join_and_confirm(client, matter, "Anna Nowak", "anna@example.pl")
    free_a_desk(visits)
    clock.move_to(warsaw(2026, 12, 1, 6, 30))
    assert run_job(offer_freed_desks) == 0
    clock.move_to(warsaw(2026, 12, 1, 7, 0))
    assert run_job(offer_freed_desks) == 1


def test_leaving_after_taking_the_offer_keeps_the_visit(client, full_wednesday):
    matter, visits = full_wednesday
    join_and_confirm(client, matter, "Anna Nowak", "anna@example.pl")
    free_a_desk(visits)
    assert run_job(offer_freed_desks) == 1
    held = offered_to("anna@example.pl")
    operations.verify(held, utcnow())
    db.session.commit()
    leave = link_of("anna@example.pl", "/waitlist/leave/")
    client.post(leave, data=get(client, leave).form("").fields)
    assert offered_to("anna@example.pl").status is VisitStatus.REQUESTED
    assert entries()[0].status is EntryStatus.TAKEN


def test_leaving_with_an_offer_held_gives_the_desk_to_the_next_at_once(client, full_wednesday):
    matter, visits = full_wednesday
    join_and_confirm(client, matter, "Anna Nowak", "anna@example.pl")
    join_and_confirm(client.application.test_client(), matter, "Jan Kowalski", "jan@example.pl")
    free_a_desk(visits)
    assert run_job(offer_freed_desks) == 1
    leave = link_of("anna@example.pl", "/waitlist/leave/")
    client.post(leave, data=get(client, leave).form("").fields)
    assert offered_to("anna@example.pl").status is VisitStatus.CANCELLED
    assert "anna@example.pl" not in [mail.recipient for mail in outbox("cancellation")]
    assert run_job(offer_freed_desks) == 1
    assert [entry.status for entry in entries()] == [EntryStatus.LEFT, EntryStatus.OFFERED]


def test_a_line_waits_while_its_place_does_not_receive_the_matter(client, full_wednesday):
    matter, visits = full_wednesday
    join_and_confirm(client, matter, "Anna Nowak", "anna@example.pl")
    free_a_desk(visits)
    matter.visit_policy = VisitPolicy.BY_PHONE
    db.session.commit()
    assert run_job(offer_freed_desks) == 0
    assert entries()[0].status is EntryStatus.WAITING


def test_two_schedulers_at_once_offer_a_freed_desk_once(app, client, full_wednesday):
    matter, visits = full_wednesday
    join_and_confirm(client, matter, "Anna Nowak", "anna@example.pl")
    join_and_confirm(client.application.test_client(), matter, "Jan Kowalski", "jan@example.pl")
    free_a_desk(visits)
    db.session.commit()  # SQLite: the threads' writers wait for no open transaction here

    offers = at_once(app, lambda _index: offer_freed_desks(utcnow()))

    assert sorted(offers) == [0, 1]
    anna, jan = entries()
    assert (anna.status, jan.status) == (EntryStatus.OFFERED, EntryStatus.WAITING)
    held = db.session.scalars(select(Visit).where(Visit.status == VisitStatus.HELD)).all()
    assert [visit.email for visit in held] == ["anna@example.pl"]
