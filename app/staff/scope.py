"""What the logged-in staff member may see and change: the visits, locations and closures
of their units (an administrator: all). Every route goes through these checks."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import Role
from app.booking.models import Visit
from app.extensions import db
from app.matters.models import Closure, Location, Matter, Unit, matter_locations


def is_admin() -> bool:
    return current_user.role is Role.ADMIN


def my_units() -> list[Unit]:
    if is_admin():
        return list(db.session.scalars(select(Unit).order_by(Unit.id)))
    return list(current_user.units)


def chosen_units(slug: str | None) -> list[Unit]:
    """The units a page shows: one of the user's, chosen by ``slug``, or all of them."""
    units = my_units()
    if not slug:
        return units
    chosen = [unit for unit in units if unit.slug == slug]
    if not chosen:
        abort(403)
    return chosen


def my_locations() -> list[Location]:
    """The places where the user's units receive visits (an administrator: all places)."""
    query = select(Location).order_by(Location.id)
    if not is_admin():
        unit_ids = [unit.id for unit in current_user.units]
        used = (
            select(matter_locations.c.location_id)
            .join(Matter, Matter.id == matter_locations.c.matter_id)
            .where(Matter.unit_id.in_(unit_ids))
        )
        query = query.where(Location.id.in_(used))
    return list(db.session.scalars(query))


def visit_or_404(reference: str) -> Visit:
    """The visit with this reference, if it belongs to one of the user's units. Another unit's
    visit is not found either: the answer must not tell that a reference exists."""
    visit = db.session.scalar(select(Visit).where(Visit.reference == reference.upper()))
    if visit is None or not in_my_units(visit):
        abort(404)
    return visit


def in_my_units(visit: Visit) -> bool:
    return is_admin() or current_user.has_unit(visit.matter.unit_id)


def closure_or_404(closure_id: int) -> Closure:
    """A closure at one of the user's places; closures of the whole office: administrators."""
    closure = db.session.get(Closure, closure_id)
    if closure is None:
        abort(404)
    if is_admin():
        return closure
    if closure.location_id not in {loc.id for loc in my_locations()}:
        abort(403)
    if closure.unit_id is not None and closure.unit_id not in {u.id for u in my_units()}:
        abort(403)  # another unit's closure at a shared place
    return closure
