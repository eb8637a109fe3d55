"""Moving a visit to another free time of the same matter, in one transaction."""

from datetime import datetime

from app.booking.desks import claim_desk
from app.booking.models import Visit, VisitChange
from app.booking.requests import RequestRefused, slot_problems
from app.booking.schedule import office_timezone, open_desks_for
from app.extensions import db


def move_visit(
    visit: Visit,
    location_slug: str,
    start: datetime,
    actor: str,
    now: datetime,
    online: bool = True,
) -> None:
    """Claim the new desk and free the old one together; raise ``RequestRefused`` or
    ``SlotTaken`` and leave the visit where it was."""
    matter = visit.matter
    location = matter.location(location_slug)
    problems = slot_problems(matter, location, start, now)
    if problems:
        raise RequestRefused(problems)
    before = visit.starts_at
    claim_desk(
        visit,
        open_desks_for(matter, start, now, online),
        location_id=location.id,
        starts_at=start,
        ends_at=start + matter.slot_length,
    )
    db.session.expire(visit, ["location"])  # it follows location_id only once reloaded
    visit.sequence += 1
    visit.changes.append(
        VisitChange(
            actor=actor,
            from_status=visit.status,
            to_status=visit.status,
            note=f"moved from {before.astimezone(office_timezone()):%Y-%m-%d %H:%M}",
        )
    )
