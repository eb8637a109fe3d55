"""Requesting a visit: the one place the web form, the API and the operator screen call.

Domain code: it flushes and raises, the caller commits.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from app.booking import rules
from app.booking.desks import claim_desk
from app.booking.lifecycle import record_start
from app.booking.models import Visit, VisitStatus
from app.booking.people import email_key
from app.booking.references import new_reference
from app.booking.rules import Problem
from app.booking.schedule import open_desks_for, schedules
from app.booking.states import ACTIVE
from app.extensions import db
from app.mail.messages import send_verification
from app.matters.models import Location, Matter, VisitPolicy


class RequestRefused(Exception):
    """The request breaks rules; ``problems`` maps each field to what is wrong with it."""

    def __init__(self, problems: dict[str, list[Problem]]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class Visitor:
    name: str
    email: str | None
    phone: str | None = None
    language: str = "pl"


ACTIVE_STATUSES = ACTIVE


def active_matter_ids(visitor: Visitor, now: datetime) -> list[int]:
    """The matters of the visits this person (by e-mail or phone) has still ahead."""
    same_person = []
    if visitor.email:
        same_person.append(Visit.email_key == email_key(visitor.email))
    if visitor.phone:
        same_person.append(Visit.phone == visitor.phone)
    if not same_person:
        return []
    return list(
        db.session.scalars(
            select(Visit.matter_id).where(
                or_(*same_person), Visit.status.in_(ACTIVE_STATUSES), Visit.ends_at > now
            )
        )
    )


def slot_problems(
    matter: Matter, location: Location | None, start: datetime, now: datetime
) -> dict[str, list[Problem]]:
    """What is wrong with asking for ``start`` at ``location`` for ``matter`` (desks aside)."""
    if location is None:
        return {"location": [Problem.UNKNOWN_LOCATION]}
    schedule = schedules(matter, [location], start, start + matter.slot_length)[location.id]
    problem = rules.start_problem(schedule, start, now)
    return {"start": [problem]} if problem else {}


def request_problems(
    matter: Matter, location_slug: str, start: datetime, visitor: Visitor, now: datetime
) -> dict[str, list[Problem]]:
    """Every rule an online request for ``start`` breaks, by field (desks aside)."""
    problems: dict[str, list[Problem]] = {}
    if matter.visit_policy is not VisitPolicy.ONLINE:
        problems["matter"] = [
            Problem.NO_VISITS if matter.visit_policy is VisitPolicy.NONE else Problem.NOT_ONLINE
        ]
    problems |= slot_problems(matter, matter.location(location_slug), start, now)
    person = rules.person_problem(matter.id, active_matter_ids(visitor, now))
    if person:
        problems["email"] = [person]
    return problems


def new_visit(
    matter: Matter,
    location_slug: str,
    start: datetime,
    visitor: Visitor,
    status: VisitStatus,
    now: datetime,
    **details,
) -> Visit:
    """A visit for one person at one slot, with a fresh reference (no desk yet)."""
    return Visit(
        reference=new_reference(),
        matter_id=matter.id,
        location_id=matter.location(location_slug).id,
        starts_at=start,
        ends_at=start + matter.slot_length,
        status=status,
        name=visitor.name,
        email=visitor.email,
        email_key=email_key(visitor.email) if visitor.email else None,
        phone=visitor.phone,
        language=visitor.language,
        created_at=now,
        **details,
    )


def request_visit(
    matter: Matter, location_slug: str, start: datetime, visitor: Visitor, now: datetime
) -> Visit:
    """Hold a desk for an online request; raise ``RequestRefused`` or ``SlotTaken``."""
    problems = request_problems(matter, location_slug, start, visitor, now)
    if problems:
        raise RequestRefused(problems)
    visit = new_visit(matter, location_slug, start, visitor, VisitStatus.HELD, now)
    claim_desk(visit, open_desks_for(matter, start, now, online=True))
    record_start(visit, actor="citizen")
    db.session.flush()
    send_verification(visit)
    return visit


# Starts outside these years are no booking anyone means, and near datetime's limits the
# arithmetic on them would overflow.
PLAUSIBLE_YEARS = range(2000, 3000)


def parse_start(text: str, timezone) -> datetime | None:
    """An ISO 8601 start time; without an offset it is read as office wall-clock time."""
    try:
        start = datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None
    if start.year not in PLAUSIBLE_YEARS:
        return None
    return start if start.tzinfo else start.replace(tzinfo=timezone)
