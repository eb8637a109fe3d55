"""Finding a visit fast while a caller waits, by what the caller has at hand: the reference or
the phone number. (A matter is found by ``app.matters.search``, as on the home page.)"""

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.booking.models import Visit
from app.booking.phones import normalize_phone
from app.booking.references import parse_reference
from app.extensions import db

MOST_VISITS_SHOWN = 50


def find_visits(text: str) -> list[Visit]:
    """The visits with this reference or this phone number, the latest first."""
    conditions = []
    reference = parse_reference(text)
    if reference:
        conditions.append(Visit.reference == reference)
    phone = normalize_phone(text)
    if phone:
        conditions.append(Visit.phone == phone)
    if not conditions:
        return []
    return list(
        db.session.scalars(
            select(Visit)
            .where(or_(*conditions))
            .options(joinedload(Visit.matter), joinedload(Visit.location))
            .order_by(Visit.starts_at.desc())
            .limit(MOST_VISITS_SHOWN)
        )
    )
