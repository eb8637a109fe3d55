"""Looking matters up for any area's pages (the public ones, the infoline, staff)."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.matters.models import Location, Matter


def matter_or_404(slug: str) -> Matter:
    """The matter with its places and their hours (what free times are computed from)."""
    matter = db.session.scalar(
        select(Matter)
        .where(Matter.slug == slug)
        .options(selectinload(Matter.locations).selectinload(Location.hours))
    )
    if matter is None:
        abort(404)
    return matter
