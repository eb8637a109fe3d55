"""Looking matters up for any area's pages (the public ones, the infoline, staff)."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.matters.models import Location, Matter


def matter_with_places(slug: str) -> Matter | None:
    """The matter with its places and their hours (what free times are computed from): the
    places joined to the matter, their hours in a second query, one round trip less than a
    query each."""
    return (
        db.session.execute(
            select(Matter)
            .where(Matter.slug == slug)
            .options(joinedload(Matter.locations).selectinload(Location.hours))
        )
        .unique()
        .scalar_one_or_none()
    )


def matter_or_404(slug: str) -> Matter:
    matter = matter_with_places(slug)
    if matter is None:
        abort(404)
    return matter
