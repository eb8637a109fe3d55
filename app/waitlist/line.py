"""The line of a matter's full day at one place: joining it, leaving it, and the scheduler's
offers of the desks that free up.

Fair: the first to join (and confirm by their e-mail's link) is offered the first desk that
frees up; an offer is an online request the scheduler makes for them (``operations.book``, held
``HOLD_MINUTES`` until they confirm it by the e-mail's link), so every booking rule holds and
nobody takes more than their share. An offer they let lapse frees the desk (after
``DESK_REOFFER_MINUTES``) for the next in line. Offers are made in the daytime only, when people
read their mail. The offers of one line take turns, so two schedulers at once never offer out
of order. No hoarding: one place in line per person and matter, a few in all, each joined from
an address that proves to be theirs, and the joins from one connection capped as its requests
are (``app.booking.holds``).
"""

from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app.booking import operations
from app.booking.desks import SlotTaken
from app.booking.holds import take_hold
from app.booking.messages import problem_message
from app.booking.people import Person, active_matter_ids, lock_person
from app.booking.rules import BookingRefused, person_problem
from app.booking.schedule import (
    day_bounds,
    matter_free_slots,
    office_day,
    office_timezone,
    schedules,
)
from app.booking.states import VisitStatus
from app.database import advisory_lock
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.transport import forget_copies
from app.matters.models import Location, Matter
from app.waitlist import notices
from app.waitlist.models import IN_LINE, EntryStatus, WaitlistEntry

# Places in line one person may hold at once (as visits: app.booking.rules).
MAX_ENTRIES_PER_PERSON = 3

LINES = 11  # the seed of the lines' advisory-lock keys (app.booking.people has its own)

# The office's hours of the day (local) in which desks are offered: an offer held for half an
# hour at night would pass one person after another before anyone reads it.
OFFER_HOURS = range(7, 20)

WAITLIST = operations.WAITLIST  # no client address to cap: the offer is the scheduler's

NOT_A_FULL_DAY = _l("Please choose one of the days offered.")
HAS_FREE_TIMES = _l("This day has free times now: please choose one of them.")
ALREADY_IN_LINE = _l("You are already on the waitlist for this matter.")
TOO_MANY_ENTRIES = _l("You are already on the most waitlists one person may join at once.")


def free_days(matter: Matter, location: Location, now: datetime, first: date, last: date):
    found = matter_free_slots(matter, [location], now, first, last)
    return {office_day(slot.start) for _place, slot in found}


def full_days(
    matter: Matter, location: Location, now: datetime, only: date | None = None
) -> list[date]:
    """The days a visit could be booked for at ``location`` (reception hours, no closure, within
    lead time and horizon) that have no free time left (``only``: whether that day is one)."""
    today = office_day(now)
    asked = (only, only) if only else (today, today + timedelta(days=matter.horizon_days))
    schedule = schedules(matter, [location], *day_bounds(*asked, office_timezone()))[location.id]
    first = max(asked[0], schedule.first_day(now))
    last = min(asked[1], schedule.last_day(now))
    free = free_days(matter, location, now, first, last)
    days = []
    day = first
    while day <= last:
        receives = any(not schedule.is_closed(*slot) for slot in schedule.slots_on(day))
        if receives and day not in free:
            days.append(day)
        day += timedelta(days=1)
    return days


def join_problem(matter: Matter, location: Location, day: date, person: Person, now: datetime):
    """What stands in the way of this person joining the line, as a message, or None."""
    if day not in full_days(matter, location, now, only=day):
        if day in free_days(matter, location, now, day, day):
            return HAS_FREE_TIMES
        return NOT_A_FULL_DAY
    booked = person_problem(matter.id, active_matter_ids(person, now))
    if booked:
        return problem_message(booked, matter)
    entries = db.session.scalars(
        select(WaitlistEntry).where(
            WaitlistEntry.email_key == person.email_key, WaitlistEntry.status.in_(IN_LINE)
        )
    ).all()
    if any(entry.matter_id == matter.id for entry in entries):
        return ALREADY_IN_LINE
    if len(entries) >= MAX_ENTRIES_PER_PERSON:
        return TOO_MANY_ENTRIES
    return None


class JoinRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def join(matter, location, day, visitor: operations.Visitor, source: str, now) -> WaitlistEntry:
    """An entry for the end of the day's line, and the e-mail whose link puts it there (with a
    link to leave); joins from ``source`` are capped as its requests are."""
    person = Person.of(visitor.email, None)
    lock_person(person)  # two joins of one person take turns past the rules
    problem = join_problem(matter, location, day, person, now)
    if problem:
        raise JoinRefused(problem)
    take_hold(source)
    entry = WaitlistEntry(
        matter_id=matter.id,
        location_id=location.id,
        day=day,
        name=visitor.name,
        email=visitor.email,
        email_key=person.email_key,
        language=visitor.language,
        created_at=now,
    )
    db.session.add(entry)
    db.session.flush()
    notices.joined(entry)
    return entry


def confirm(entry: WaitlistEntry) -> None:
    """The e-mail's link opened: the entry takes its place at the end of the line."""
    db.session.refresh(entry, with_for_update=True)
    if entry.status is EntryStatus.UNCONFIRMED:
        entry.status = EntryStatus.WAITING


def position(entry: WaitlistEntry) -> int:
    """The entry's place in its line (1: the next to be offered a desk)."""
    return db.session.scalar(
        select(func.count()).where(
            WaitlistEntry.matter_id == entry.matter_id,
            WaitlistEntry.location_id == entry.location_id,
            WaitlistEntry.day == entry.day,
            WaitlistEntry.status == EntryStatus.WAITING,
            WaitlistEntry.id <= entry.id,
        )
    )


def leave(entry: WaitlistEntry) -> None:
    """Out of the line; a desk held for the entry goes back at once to the next (one they took
    already is a visit of theirs: it stands)."""
    db.session.refresh(entry, with_for_update=True)
    offered = entry.status is EntryStatus.OFFERED and entry.visit is not None
    if offered and not operations.withdraw_offer(entry.visit, WAITLIST):
        entry.status = EntryStatus.TAKEN
        return
    if entry.status in IN_LINE:
        entry.status = EntryStatus.LEFT


# --- The scheduler ----------------------------------------------------------------------------


def settle_offers() -> None:
    """Offers the person confirmed are taken; those they let lapse (or that were called off)
    leave the line."""
    offered = db.session.scalars(
        select(WaitlistEntry)
        .where(WaitlistEntry.status == EntryStatus.OFFERED)
        .options(selectinload(WaitlistEntry.visit))
    )
    for entry in offered:
        status = entry.visit.status if entry.visit else VisitStatus.EXPIRED
        if status is VisitStatus.HELD:
            continue
        # Held no longer: confirmed (on its way, or had), or let lapse or called off.
        taken = status.holds_desk or status is VisitStatus.REQUESTED
        entry.status = EntryStatus.TAKEN if taken else EntryStatus.LAPSED


def forget_days_gone_by(now: datetime) -> None:
    """Delete the lines of days gone by, with the e-mails that named their people."""
    gone = WaitlistEntry.day < office_day(now)
    message_ids = list(
        db.session.scalars(
            select(WaitlistEntry.message_id).where(gone, WaitlistEntry.message_id.is_not(None))
        )
    )
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.message_id.in_(message_ids)))
    db.session.execute(delete(WaitlistEntry).where(gone))
    forget_copies(message_ids, current_app.config, current_app.instance_path)


def offer_freed_desks(now: datetime) -> int:
    """Offer each free desk of a day with a line to the first in it (in the daytime); forget
    the lines of days gone by. The number of offers made."""
    settle_offers()
    forget_days_gone_by(now)
    db.session.commit()
    if now.astimezone(office_timezone()).hour not in OFFER_HOURS:
        return 0
    lines = db.session.execute(
        select(WaitlistEntry.matter_id, WaitlistEntry.location_id, WaitlistEntry.day)
        .where(WaitlistEntry.status == EntryStatus.WAITING)
        .distinct()
    ).all()
    days_by_place: dict[tuple[int, int], set[date]] = {}
    for matter_id, location_id, day in lines:
        days_by_place.setdefault((matter_id, location_id), set()).add(day)
    offers = 0
    for (matter_id, location_id), days in days_by_place.items():
        matter, location = db.session.get(Matter, matter_id), db.session.get(Location, location_id)
        if not matter.is_bookable_online or location not in matter.locations:
            continue  # its line waits until the place receives the matter online again
        # One listing for the place's days (those before the lead time have no free slot).
        for _place, slot in matter_free_slots(matter, [location], now, min(days), max(days)):
            day = office_day(slot.start)
            if day not in days:
                continue
            for _desk in range(slot.free):
                if not offer_next(matter, location, day, slot.start, now):
                    break
                offers += 1
    return offers


def offer_next(matter, location, day, start, now) -> bool:
    """Offer the desk at ``start`` to the first in the day's line who can still book it;
    False when nobody waits or the desk went to someone else. Offers of one line take turns
    (two schedulers at once): the second sees the first's offer made, never skips ahead."""
    while True:
        advisory_lock(db.session, func.hashtextextended(f"{matter.id}:{location.id}:{day}", LINES))
        entry = db.session.scalar(
            select(WaitlistEntry)
            .where(
                WaitlistEntry.matter_id == matter.id,
                WaitlistEntry.location_id == location.id,
                WaitlistEntry.day == day,
                WaitlistEntry.status == EntryStatus.WAITING,
            )
            .order_by(WaitlistEntry.id)
            .limit(1)
        )
        if entry is None:
            db.session.commit()
            return False
        visitor = operations.Visitor(entry.name, entry.email, None, entry.language)
        try:
            with db.session.begin_nested():
                visit = operations.book(
                    matter, location.slug, start, visitor, WAITLIST, now, offered=True
                )
        except SlotTaken:
            db.session.commit()
            return False
        except BookingRefused as refused:
            if "person" not in refused.problems:  # the time itself: nobody could take it
                db.session.commit()
                return False
            entry.status = EntryStatus.LAPSED  # they booked otherwise meanwhile, say
            db.session.commit()
            continue
        entry.status, entry.visit_id = EntryStatus.OFFERED, visit.id
        db.session.commit()
        return True
