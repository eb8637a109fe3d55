"""Every change of a visit, whoever makes it — the citizen (the form, the API, the e-mail links),
an infoline operator, the unit's staff or the scheduler — is one operation here.

An operation locks the visit's row, checks the rules and the transition, changes the state with
its history, and queues what the people concerned must be told. It flushes and raises
``BookingRefused`` (nothing it was asked to change has changed); the door commits or rolls back
and translates a refusal (``app.booking.messages``).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from app.booking import checks, notifications
from app.booking.desks import SlotTaken, claim_desk
from app.booking.holds import take_hold
from app.booking.messages import (
    BOOKED_FOR_A_CALLER,
    LEFT_THE_WAITLIST,
    MARK_UNDONE,
    MOVED_FROM,
    problem_message,
)
from app.booking.models import Visit, VisitChange, new_check_in_code
from app.booking.needs import NO_NEEDS, Needs
from app.booking.people import Person, lock_person
from app.booking.queue_numbers import next_queue_number
from app.booking.recheck import standing_in_any, steady_catalog
from app.booking.references import new_reference
from app.booking.rules import BookingRefused, Problem
from app.booking.schedule import (
    day_bounds,
    matter_free_slots,
    office_day,
    office_timezone,
    open_desks_for,
)
from app.booking.slots import Slot
from app.booking.states import HOLDS_DESK, STANDING, Channel, VisitStatus
from app.database import transaction_memo
from app.extensions import db
from app.kiosk.models import kiosks_since
from app.mail.models import OutboxMessage
from app.matters.models import Confirmation, Location, Matter
from app.metrics import counted_booking

S = VisitStatus
# ``Visit.attention`` of a visit the scheduler called off without a way to tell its visitor.
CALL_THE_VISITOR = "call_visitor"


@dataclass(frozen=True)
class Actor:
    """Who changes a visit: what its history records, and which door they came through."""

    name: str  # "citizen", "scheduler", or the office member's e-mail
    channel: Channel | None = None  # None: the scheduler
    user_id: int | None = None
    source: str | None = None  # the client address a citizen's booking came from

    @property
    def is_office(self) -> bool:
        return self.channel in (Channel.INFOLINE, Channel.STAFF)

    @classmethod
    def office(cls, user, channel: Channel) -> "Actor":
        return cls(user.email, channel, user.id)

    @classmethod
    def citizen_at(cls, source: str) -> "Actor":
        """The citizen booking online: their requests from ``source`` are capped (``holds``)."""
        return cls("citizen", Channel.ONLINE, source=source)


CITIZEN = Actor("citizen", Channel.ONLINE)
SCHEDULER = Actor("scheduler")
# Who makes a waitlist's offer (``app.waitlist``): a request online for the person in line.
WAITLIST = Actor("waitlist", Channel.ONLINE)


def offered_from_waitlist(visit: Visit) -> bool:
    """A desk the waitlist offered (its request was made for the person in line)."""
    return bool(visit.changes) and visit.changes[0].actor == WAITLIST.name


@dataclass(frozen=True)
class Visitor:
    """The one person who comes, with what they declared (``app.booking.needs``) and, where the
    matter asks for it, the reference of their case."""

    name: str
    email: str | None
    phone: str | None = None
    language: str = "pl"
    needs: Needs = NO_NEEDS
    case_reference: str = ""


def refuse(field: str, problem: Problem):
    raise BookingRefused({field: [problem]})


def refuse_in_state(visit: Visit):
    raise BookingRefused({"visit": [Problem.WRONG_STATE]}, status=visit.status)


# --- The parts every operation shares ---------------------------------------------------------


def lock(visit: Visit) -> None:
    """Wait for the visit's row, hold it until the commit, and read it afresh: two changes of
    one visit take turns, and the second sees what the first did."""
    if visit.id in locked_rows():
        return
    db.session.flush()  # what this transaction changed already stays changed
    db.session.refresh(visit, with_for_update=True)
    if not db.session().in_nested_transaction():  # a savepoint's rollback lets go of its locks
        locked_rows().add(visit.id)


def locked_rows() -> set[int]:
    """The visits this transaction holds already (the scheduler takes a batch at once)."""
    return transaction_memo(db.session).setdefault("locked visits", set())


def change(
    visit: Visit,
    to_status: VisitStatus,
    actor: Actor,
    note: str = "",
    free_at: datetime | None = None,
) -> None:
    """Move the visit to ``to_status`` if its life allows it, with a line in its history;
    leaving the desk-holding states frees the desk (at ``free_at``, if given)."""
    if not visit.status.may_become(to_status):
        refuse_in_state(visit)
    desk = visit.desk
    set_status(visit, to_status, actor, note)
    if free_at is not None and desk is not None and visit.desk is None:
        visit.desk, visit.desk_free_at = desk, free_at  # kept until then (free_released_desks)


def set_status(visit: Visit, to_status: VisitStatus, actor: Actor, note: str = "") -> None:
    tell_unit_of_interpreter(visit, visit.status, to_status)
    db.session.add(
        VisitChange(
            visit=visit,
            actor=actor.name,
            channel=actor.channel,
            from_status=visit.status,
            to_status=to_status,
            note=note,
        )
    )
    visit.status = to_status
    if not to_status.holds_desk:
        visit.desk = None
    visit.attention, visit.attention_at = "", None  # whatever was in the way is behind it


def tell_unit_of_interpreter(visit: Visit, from_status: VisitStatus | None, to_status) -> None:
    """The unit arranges a sign-language interpreter for each confirmed time of a visit that
    asked for one (booked, confirmed, moved), and is told when a confirmed one is called off;
    an undone day mark changes nothing."""
    if not visit.sign_language or (from_status and from_status.is_day_mark):
        return
    if to_status is S.CONFIRMED:
        notifications.interpreter(visit, needed=True)
    elif from_status is S.CONFIRMED and to_status is S.CANCELLED:
        notifications.interpreter(visit, needed=False)


def reoffer_time(now: datetime) -> datetime:
    """When a desk the visitor let go (cancelled, or a request not confirmed in time) is offered
    again: ``DESK_REOFFER_MINUTES`` later."""
    return now + timedelta(minutes=current_app.config["DESK_REOFFER_MINUTES"])


def is_ahead(visit: Visit, now: datetime) -> bool:
    """Whether the visit still waits for its time: it may be moved or cancelled."""
    return visit.status.is_movable and visit.starts_at > now


def require_ahead(visit: Visit, now: datetime) -> None:
    if not visit.status.is_movable:
        refuse_in_state(visit)
    if visit.starts_at <= now:
        refuse("visit", Problem.IN_PAST)


def returns_to_unit(visit: Visit, actor: Actor) -> bool:
    """A visitor's move of a visit the unit approved goes back to the unit for a decision."""
    return (
        actor.channel is Channel.ONLINE
        and visit.status is S.CONFIRMED
        and visit.matter.confirmation is Confirmation.STAFF
    )


def hold_time() -> timedelta:
    return timedelta(minutes=current_app.config["HOLD_MINUTES"])


def hold_ends_at(visit: Visit) -> datetime:
    """Until when an online request's time is held for the e-mail link to be opened."""
    return visit.created_at + hold_time()


def hold_is_over(visit: Visit, now: datetime) -> bool:
    return hold_ends_at(visit) <= now


def has_calendar_event(visit: Visit) -> bool:
    """Whether the visitor was sent the visit's calendar event: it is confirmed, or it was before
    the visitor moved it (a move counts in ``sequence``)."""
    if visit.status is S.CONFIRMED:
        return True
    moved = visit.status is S.REQUESTED and visit.sequence > 0
    return moved and any(change.to_status is S.CONFIRMED for change in visit.changes)


def nearest_free_times(visit: Visit, now: datetime) -> list[Slot]:
    """What to offer a person whose visit the office could not keep (once per transaction per
    place: a batch of cancellations does not compute them again for each)."""
    memo = transaction_memo(db.session)
    key = ("nearest free times", visit.matter_id, visit.location_id)
    if key not in memo:
        found = matter_free_slots(visit.matter, [visit.location], now)
        memo[key] = [slot for _, slot in found[: current_app.config["NEAREST_TIMES_OFFERED"]]]
    return memo[key]


def reason_for(visit: Visit, problem: Problem) -> str:
    """A rule's message as the visitor reads it, kept as the reason of a decline or cancel."""
    with force_locale(notifications.mail_language(visit)):
        return problem_message(problem, visit.matter)


def settle(visit: Visit, now: datetime) -> list[Problem]:
    """Why the visit cannot stand, after moving it to a lower desk of its slot where the matter
    has fewer desks now and one of them is free."""
    problems = [p for found in checks.standing_problems(visit, now).values() for p in found]
    if problems == [Problem.FEWER_DESKS]:
        try:
            claim_desk(visit, visit.matter.desks)
        except SlotTaken:
            return problems
        return []
    return problems


# --- Booking ----------------------------------------------------------------------------------


def book(
    matter: Matter,
    location_slug: str,
    start: datetime,
    visitor: Visitor,
    actor: Actor,
    now: datetime,
    offered: bool = False,
) -> Visit:
    """A new visit: online it holds a desk until the e-mail link is opened; booked by the office
    for a caller it is confirmed at once, on any desk including those kept for the phone.
    ``offered``: a desk the waitlist offers the visitor (``app.waitlist``), their e-mail says."""
    with counted_booking(actor.channel):
        person = Person.of(visitor.email, visitor.phone)
        steady_catalog()
        lock_person(person)
        needs = checks.notice_needs(visitor.needs, actor.channel)
        problems = checks.booking_problems(
            matter, location_slug, start, person, actor.channel, now, needs
        )
        if problems:
            raise BookingRefused(problems)
        online = actor.channel is Channel.ONLINE
        if online and actor.source is not None:
            take_hold(actor.source)
        visit = Visit(
            reference=new_reference(),
            matter_id=matter.id,
            location_id=matter.location(location_slug).id,
            starts_at=start,
            ends_at=start + matter.slot_length,
            status=S.HELD if online else S.CONFIRMED,
            name=visitor.name,
            email=visitor.email,
            email_key=person.email_key,
            phone=visitor.phone,
            language=visitor.language,
            companion=visitor.needs.companion,
            sign_language=visitor.needs.sign_language,
            step_free=visitor.needs.step_free,
            more_time=visitor.needs.more_time,
            case_reference=visitor.case_reference if matter.asks_case_reference else "",
            created_at=now,
            channel=actor.channel,
            booked_by_id=actor.user_id,
        )
        claim_desk(visit, open_desks_for(matter, start, now, online))
        distinct_check_in_code(visit)
        note = "" if online else BOOKED_FOR_A_CALLER
        db.session.add(
            VisitChange(
                visit=visit,
                actor=actor.name,
                channel=actor.channel,
                to_status=visit.status,
                note=note,
            )
        )
        db.session.flush()
        if offered:
            notifications.waitlist_offer(visit)
        elif online:
            notifications.verification(visit)
        else:
            notifications.confirmation(visit)
            tell_unit_of_interpreter(visit, None, visit.status)
        return visit


def verify(visit: Visit, now: datetime) -> None:
    """The citizen pressed the button behind the e-mail link: the request goes to be decided."""
    lock(visit)
    if visit.status is not S.HELD:
        refuse_in_state(visit)
    if hold_is_over(visit, now):
        refuse("visit", Problem.HOLD_OVER)
    change(visit, S.REQUESTED, CITIZEN)


# The verification e-mail goes at most this many times in all, and again only after a pause:
# enough for a message lost to a spam folder, too few to mail a stranger's address without end.
VERIFICATION_SENDS = 3
VERIFICATION_PAUSE = timedelta(minutes=1)


def resend_verification(visit: Visit, now: datetime) -> bool:
    """The verification e-mail once more, while the time is held; False when it has gone
    ``VERIFICATION_SENDS`` times, or less than ``VERIFICATION_PAUSE`` ago."""
    lock(visit)
    if visit.status is not S.HELD or hold_is_over(visit, now):
        return False
    sent = db.session.scalars(
        select(OutboxMessage.created_at).where(
            OutboxMessage.visit_id == visit.id, OutboxMessage.kind == "verification"
        )
    ).all()
    if len(sent) >= VERIFICATION_SENDS or (sent and max(sent) > now - VERIFICATION_PAUSE):
        return False
    return notifications.verification(visit)


def expire(visit: Visit, now: datetime) -> None:
    """An online request whose link was not opened in time frees its desk."""
    lock(visit)
    if visit.status is S.HELD and hold_is_over(visit, now):
        change(visit, S.EXPIRED, SCHEDULER, free_at=reoffer_time(now))


# --- Deciding ---------------------------------------------------------------------------------


def confirm(visit: Visit, actor: Actor, now: datetime) -> None:
    """A request becomes a visit: by the scheduler for ``auto`` matters, by staff otherwise. It
    keeps the desk it has held since it was made, if the visit can still stand."""
    lock(visit)
    confirm_locked(visit, actor, now)


def confirm_locked(visit: Visit, actor: Actor, now: datetime) -> None:
    if not visit.status.may_become(S.CONFIRMED):
        refuse_in_state(visit)
    problems = settle(visit, now)
    if problems:
        refuse("start", problems[0])
    changed = has_calendar_event(visit)  # moved by the visitor since it was confirmed
    change(visit, S.CONFIRMED, actor)
    if changed:
        visit.sequence += 1
    notifications.confirmation(visit)


def decline(visit: Visit, actor: Actor, reason: str, now: datetime, note: str = "") -> None:
    """A request the office will not keep, with the reason the visitor reads."""
    lock(visit)
    decline_locked(visit, actor, reason, now, note)


def decline_locked(visit: Visit, actor: Actor, reason: str, now: datetime, note: str = ""):
    had_event = has_calendar_event(visit)
    change(visit, S.DECLINED, actor, note=note or reason)
    visit.reason = reason
    if had_event:
        visit.sequence += 1
    told = notifications.declined(visit, nearest_free_times(visit, now), had_event=had_event)
    ask_the_office_to_call(visit, actor, told, now)


def cancel(visit: Visit, actor: Actor, reason: str, now: datetime, note: str = "") -> None:
    """Called off before its time, by the visitor or the office (or the scheduler when the
    office no longer receives then); the office's cancellations offer the nearest times."""
    lock(visit)
    cancel_locked(visit, actor, reason, now, note)


def cancel_locked(visit: Visit, actor: Actor, reason: str, now: datetime, note: str = ""):
    require_ahead(visit, now)
    had_event = has_calendar_event(visit)
    # The visitor's own cancellation frees the desk a while later; the office's at once.
    own = actor.channel is Channel.ONLINE
    change(
        visit, S.CANCELLED, actor, note=note or reason, free_at=reoffer_time(now) if own else None
    )
    visit.reason = reason
    visit.sequence += 1
    # The visitor's own cancellation needs no other times; the office's offers them.
    alternatives = [] if own else nearest_free_times(visit, now)
    told = notifications.cancellation(visit, alternatives, had_event=had_event)
    ask_the_office_to_call(visit, actor, told, now)


def withdraw_offer(visit: Visit, actor: Actor) -> bool:
    """A desk the waitlist holds for a person who left the line goes back at once, unsaid
    (they asked for it); False when they had taken it already (it stands, as any visit)."""
    lock(visit)
    if visit.status is not S.HELD:
        return False
    change(visit, S.CANCELLED, actor, note=LEFT_THE_WAITLIST)
    return True


def ask_the_office_to_call(visit: Visit, actor: Actor, told: bool, now: datetime) -> None:
    """What the scheduler called off for a visitor it cannot write to, a person at the unit
    must tell them: the visit waits on their list until they say it is done."""
    if actor is SCHEDULER and not told:
        visit.attention, visit.attention_at = CALL_THE_VISITOR, now


def acknowledge(visit: Visit, actor: Actor) -> None:
    """A person at the office has done what the visit needed (called the visitor)."""
    lock(visit)
    if not actor.is_office:
        refuse("visit", Problem.OFFICE_ONLY)
    visit.attention, visit.attention_at = "", None


def move(visit: Visit, location_slug: str, start: datetime, actor: Actor, now: datetime) -> None:
    """Another free time of the same matter: the new desk is claimed and the old one freed in
    one write. The office may use the desks kept for the phone. A visitor's move of a visit the
    unit approved (``staff`` confirmation) goes back to the unit for a decision."""
    steady_catalog()  # before the visit's row: a change of the catalog takes them in this order
    lock(visit)
    require_ahead(visit, now)
    matter = visit.matter
    needs = checks.notice_needs(Needs.of(visit), actor.channel)
    problems = checks.slot_problems(matter, location_slug, start, now, needs)
    if problems:
        raise BookingRefused(problems)
    before = visit.starts_at.astimezone(office_timezone())
    previous = notifications.Previous(visit.location, visit.starts_at)
    claim_desk(
        visit,
        open_desks_for(matter, start, now, online=not actor.is_office),
        location_id=matter.location(location_slug).id,
        starts_at=start,
        ends_at=start + matter.slot_length,
    )
    db.session.expire(visit, ["location"])  # it follows location_id only once reloaded
    distinct_check_in_code(visit)
    visit.sequence += 1
    note = f"{MOVED_FROM}{before:%Y-%m-%d %H:%M}"
    if returns_to_unit(visit, actor):
        change(visit, S.REQUESTED, actor, note=note)
        visit.staff_notified_at = now
        notifications.moved_for_decision(visit, previous)
        notifications.staff_request(visit, moved=True)
        return
    set_status(visit, visit.status, actor, note=note)
    if visit.status is S.CONFIRMED:
        notifications.confirmation(visit, previous)


# --- The day of the visit ---------------------------------------------------------------------


def mark_opens(visit: Visit, status: VisitStatus) -> datetime:
    """From when a day mark may be made: arrival shortly before the visit's time (people come a
    few minutes early), attendance and absence from its start."""
    if status is S.ARRIVED:
        return visit.starts_at - timedelta(minutes=current_app.config["CHECK_IN_OPENS_MINUTES"])
    return visit.starts_at


def distinct_check_in_code(visit: Visit) -> None:
    """Give the visit a check-in code no other visit of its place and day has (the kiosk
    checks in neither of two visits that share one)."""
    timezone = office_timezone()
    start, end = day_bounds(office_day(visit.starts_at), office_day(visit.starts_at), timezone)
    taken = set(
        db.session.scalars(
            select(Visit.check_in_code).where(
                Visit.location_id == visit.location_id,
                Visit.starts_at >= start,
                Visit.starts_at < end,
                Visit.status.in_(HOLDS_DESK),
                Visit.id != visit.id,
            )
        )
    )
    while visit.check_in_code is None or visit.check_in_code in taken:
        visit.check_in_code = new_check_in_code()


def check_in_closes(visit: Visit) -> datetime:
    """Until when the visitor may check in at the kiosk: the place's time for a visit to count
    as missed, or (where the staff mark that) the visit's end."""
    after = visit.location.no_show_after_minutes
    return visit.ends_at if after is None else visit.starts_at + timedelta(minutes=after)


def arrive(visit: Visit, actor: Actor, now: datetime) -> None:
    """The visitor is here: the next number of the place's day, kept if they arrived before
    and the mark was undone."""
    if visit.queue_number is None:
        visit.queue_number = next_queue_number(visit.location_id, office_day(now))
    change(visit, S.ARRIVED, actor)


def mark(visit: Visit, status: VisitStatus, actor: Actor, now: datetime) -> None:
    """Arrived, attended or did not come."""
    lock(visit)
    if not status.is_day_mark:
        raise ValueError(f"{status} is not a mark for the day")
    if not actor.is_office:
        refuse("visit", Problem.OFFICE_ONLY)
    if not visit.status.may_become(status):
        refuse_in_state(visit)
    if now < mark_opens(visit, status):
        refuse("visit", Problem.NOT_STARTED)
    if status is S.ARRIVED:
        arrive(visit, actor, now)
    else:
        change(visit, status, actor)


def call(visit: Visit, desk: str, actor: Actor, now: datetime) -> None:
    """Call the visitor who arrived to ``desk`` (again, if called before: the waiting room's
    screen shows the call anew)."""
    lock(visit)
    if not actor.is_office:
        refuse("visit", Problem.OFFICE_ONLY)
    if visit.status is not S.ARRIVED:
        refuse_in_state(visit)
    visit.called_at, visit.called_to = now, desk


def call_next(location_id: int, unit_ids: list[int], desk: str, actor: Actor, now: datetime):
    """Call the next visitor at a place, of the units given: of those who arrived today and are
    not called yet, the one whose visit is earliest (then by number). Two desks calling at once
    call two visitors: a row another transaction holds is passed over. None: nobody waits."""
    start, end = day_bounds(office_day(now), office_day(now), office_timezone())
    waiting = (
        select(Visit)
        .join(Matter)
        .where(
            Visit.location_id == location_id,
            Matter.unit_id.in_(unit_ids),
            Visit.status == S.ARRIVED,
            Visit.called_at.is_(None),
            Visit.starts_at >= start,
            Visit.starts_at < end,
        )
        .order_by(Visit.starts_at, Visit.queue_number, Visit.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=Visit)
    )
    visit = db.session.scalar(waiting)
    if visit is not None:
        locked_rows().add(visit.id)
        call(visit, desk, actor, now)
    return visit


def check_in(visit: Visit, actor: Actor, now: datetime) -> None:
    """The visitor's own arrival, at the kiosk of the visit's place: a confirmed visit, from
    shortly before its time (as the staff may mark it) until ``check_in_closes``."""
    lock(visit)
    if visit.status is not S.CONFIRMED:
        refuse_in_state(visit)
    if now < mark_opens(visit, S.ARRIVED):
        refuse("visit", Problem.CHECK_IN_NOT_YET)
    if now >= check_in_closes(visit):
        refuse("visit", Problem.CHECK_IN_OVER)
    arrive(visit, actor, now)


def last_mark(visit: Visit, now: datetime) -> VisitChange | None:
    """The day mark the office may undo: the visit's last change, if it made the visit's
    present mark today (office time)."""
    if not visit.status.is_day_mark or not visit.changes:
        return None
    last = visit.changes[-1]
    made_today = office_day(last.at) == office_day(now)
    undoable = visit.status.may_return_to(last.from_status)
    return last if last.to_status is visit.status and made_today and undoable else None


def undo_mark(visit: Visit, actor: Actor, now: datetime) -> None:
    """Take back today's day mark: the visit is again what it was before it."""
    lock(visit)
    if not actor.is_office:
        refuse("visit", Problem.OFFICE_ONLY)
    last = last_mark(visit, now)
    if last is None:
        refuse("visit", Problem.MARK_NOT_UNDOABLE)
    set_status(visit, last.from_status, actor, note=MARK_UNDONE)


# --- What the scheduler does ------------------------------------------------------------------


def check_request(visit: Visit, now: datetime) -> None:
    """Decide a verified request: confirm it (``auto`` matters), pass it to the unit, or decline
    it with the rule it breaks; a request the unit left undecided past its time is declined."""
    lock(visit)
    if visit.status is not S.REQUESTED:
        return  # decided meanwhile
    asked = checks.asked_problems(visit)
    problems = [p for found in asked.values() for p in found] or settle(visit, now)
    if problems:
        problem = problems[0]
        decline_locked(visit, SCHEDULER, reason_for(visit, problem), now, note=problem.value)
    elif visit.matter.confirmation is Confirmation.AUTO:
        confirm_locked(visit, SCHEDULER, now)
    elif visit.staff_notified_at is None:
        visit.staff_notified_at = now
        notifications.staff_request(visit)


def recheck(visit: Visit, now: datetime) -> None:
    """After a change of hours, closures, desks or places: a visit that can no longer stand is
    cancelled (or, still a request, declined) and its person told, with the nearest times."""
    lock(visit)
    visit.recheck_at = None
    if visit.status not in STANDING or visit.starts_at <= now:
        return
    problems = settle(visit, now)
    if not problems:
        return
    problem = problems[0]
    reason = reason_for(visit, problem)
    if visit.status is S.CONFIRMED:
        cancel_locked(visit, SCHEDULER, reason, now, note=problem.value)
    else:
        decline_locked(visit, SCHEDULER, reason, now, note=problem.value)


def would_call_off(now: datetime, *matchings: dict) -> list[int]:
    """The ids of the visits ``recheck`` would call off, of those matching any of
    ``matchings``, were the catalog saved as this transaction holds it: its own test, tried in
    the scheduler's order in a savepoint undone at once, for the person changing the catalog to
    see them first."""
    with db.session.begin_nested() as trial:
        visits = db.session.scalars(
            select(Visit).where(standing_in_any(now, matchings)).order_by(Visit.id)
        ).all()
        called_off = [visit.id for visit in visits if settle(visit, now)]
        trial.rollback()  # a visit ``settle`` moved to a lower desk stays where it is
    return called_off


def misses_counted_at(location: Location) -> bool:
    """Whether the scheduler marks visits nobody checked in for as missed at a place: where it
    says after how long, and visitors check in at a kiosk (elsewhere the staff mark it)."""
    return location.no_show_after_minutes is not None and location.id in kiosks_since()


def counts_misses(visit: Visit) -> bool:
    """… and for this visit: its visitor was told to check in (booked or reminded once the
    place's kiosk was set up), and no mark of "did not come" was undone by the staff."""
    since = kiosks_since().get(visit.location_id)
    if not misses_counted_at(visit.location) or since is None:
        return False
    told = max(visit.created_at, visit.reminded_at or visit.created_at) >= since
    undone = any(change.to_status is S.NO_SHOW for change in visit.changes)
    return told and not undone


def miss(visit: Visit, now: datetime) -> None:
    """A confirmed visit nobody checked in for by its place's time counts as missed (the
    staff may undo that today, as any mark of theirs)."""
    lock(visit)
    if visit.status is S.CONFIRMED and counts_misses(visit) and now >= check_in_closes(visit):
        change(visit, S.NO_SHOW, SCHEDULER)


def remind(visit: Visit, now: datetime) -> None:
    """The reminder the day before, once."""
    lock(visit)
    if visit.status is S.CONFIRMED and visit.reminded_at is None:
        notifications.reminder(visit)
        visit.reminded_at = now
