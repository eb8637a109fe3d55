"""What the office does to visits: bookings for a caller, decisions, and the day itself.

Domain code: it flushes, queues e-mails and raises; the view commits (with its audit entry).
"""

from datetime import datetime

from app.booking import rules
from app.booking.desks import claim_desk
from app.booking.lifecycle import ALLOWED, InvalidTransition, change_status, record_start
from app.booking.models import Visit, VisitStatus
from app.booking.moves import move_visit
from app.booking.requests import (
    RequestRefused,
    Visitor,
    active_matter_ids,
    new_visit,
    slot_problems,
)
from app.booking.rules import Problem
from app.booking.schedule import office_timezone, open_desks_for, schedules
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.mail.messages import send_cancellation, send_confirmation, send_declined
from app.matters.models import Matter, VisitPolicy

# A visit may move to another time while it still waits for its day.
MOVABLE = frozenset({VisitStatus.HELD, VisitStatus.REQUESTED, VisitStatus.CONFIRMED})
DAY_MARKS = (VisitStatus.ARRIVED, VisitStatus.ATTENDED, VisitStatus.NO_SHOW)


class NotOnItsDay(Exception):
    """Arrived, attended and no-show are marked on the visit's day or later, never before."""


def is_movable(visit: Visit, now: datetime) -> bool:
    return visit.status in MOVABLE and visit.starts_at > now


def its_day_has_come(visit: Visit, now: datetime) -> bool:
    timezone = office_timezone()
    return visit.starts_at.astimezone(timezone).date() <= now.astimezone(timezone).date()


def book_for_caller(
    matter: Matter,
    location_slug: str,
    start: datetime,
    caller: Visitor,
    booked_by,
    now: datetime,
) -> Visit:
    """Book a visit on a caller's behalf (infoline or unit staff): confirmed at once, on any
    desk including those kept for the phone. Raises ``RequestRefused`` or ``SlotTaken``."""
    problems: dict[str, list[Problem]] = {}
    if matter.visit_policy is VisitPolicy.NONE:
        problems["matter"] = [Problem.NO_VISITS]
    problems |= slot_problems(matter, matter.location(location_slug), start, now)
    person = rules.person_problem(matter.id, active_matter_ids(caller, now))
    if person:
        problems["phone"] = [person]
    if problems:
        raise RequestRefused(problems)
    visit = new_visit(
        matter,
        location_slug,
        start,
        caller,
        VisitStatus.CONFIRMED,
        now,
        booked_by_id=booked_by.id,
        channel=Channel.INFOLINE,
    )
    claim_desk(visit, open_desks_for(matter, start, now, online=False))
    record_start(visit, actor=booked_by.email, note="booked for a caller")
    db.session.flush()
    if visit.email:
        send_confirmation(visit)
    return visit


def check_transition(visit: Visit, to_status: VisitStatus) -> None:
    if to_status not in ALLOWED[visit.status]:
        raise InvalidTransition(visit, to_status)


def decision_problems(visit: Visit, now: datetime) -> dict[str, list[Problem]]:
    """What stops the office from confirming a request now: its time has passed, its desk is
    gone (fewer desks), or the office no longer receives then (a closure, changed hours)."""
    if visit.starts_at <= now:
        return {"start": [Problem.IN_PAST]}
    if visit.desk is None or visit.desk > visit.matter.desks:
        return {"start": [Problem.SLOT_TAKEN]}
    schedule = schedules(visit.matter, [visit.location], visit.starts_at, visit.ends_at)
    problem = rules.opening_problem(schedule[visit.location_id], visit.starts_at)
    return {"start": [problem]} if problem else {}


def confirm(visit: Visit, actor: str, now: datetime | None = None) -> None:
    """A staff decision: the request keeps the desk it has held since it was made.
    Raises ``InvalidTransition``, or ``RequestRefused`` when the time can no longer be kept."""
    check_transition(visit, VisitStatus.CONFIRMED)
    problems = decision_problems(visit, now or utcnow())
    if problems:
        raise RequestRefused(problems)
    change_status(visit, VisitStatus.CONFIRMED, actor=actor)
    if visit.email:
        send_confirmation(visit)


def decline(visit: Visit, reason: str, actor: str) -> None:
    check_transition(visit, VisitStatus.DECLINED)  # before anything on the visit changes
    visit.reason = reason
    change_status(visit, VisitStatus.DECLINED, actor=actor, note=reason)
    if visit.email:
        send_declined(visit)


def cancel(visit: Visit, reason: str, actor: str) -> None:
    check_transition(visit, VisitStatus.CANCELLED)
    was_confirmed = visit.status is VisitStatus.CONFIRMED
    visit.reason = reason
    change_status(visit, VisitStatus.CANCELLED, actor=actor, note=reason)
    visit.sequence += 1
    if visit.email:
        send_cancellation(visit, calendar=was_confirmed)


def mark(visit: Visit, status: VisitStatus, actor: str, now: datetime | None = None) -> None:
    """On the day: arrived, attended or no-show; raises ``NotOnItsDay`` before it."""
    if status not in DAY_MARKS:
        raise ValueError(f"{status} is not a mark for the day")
    check_transition(visit, status)
    if not its_day_has_come(visit, now or utcnow()):
        raise NotOnItsDay(visit.reference)
    change_status(visit, status, actor=actor)


def move(visit: Visit, location_slug: str, start: datetime, actor: str, now: datetime) -> None:
    """Move as the office: may use the desks kept for the phone; tells the citizen.
    Only a visit still waiting for its time moves (else ``InvalidTransition``)."""
    if visit.status not in MOVABLE:
        raise InvalidTransition(visit, visit.status)
    if visit.starts_at <= now:
        raise RequestRefused({"visit": [Problem.IN_PAST]})
    move_visit(visit, location_slug, start, actor=actor, now=now, online=False)
    if visit.email and visit.status is VisitStatus.CONFIRMED:
        send_confirmation(visit, changed=True)
