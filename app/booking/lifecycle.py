"""A visit's life (PRODUCT.md): which state may follow which, and the record of each change."""

from app.booking.desks import release_desk
from app.booking.models import Visit, VisitChange, VisitStatus
from app.booking.states import ALLOWED


class InvalidTransition(Exception):
    def __init__(self, visit: Visit, to_status: VisitStatus):
        super().__init__(f"{visit.reference}: {visit.status} cannot become {to_status}")
        self.from_status = visit.status
        self.to_status = to_status


def record_start(visit: Visit, actor: str, note: str = "") -> None:
    """Record how a new visit came to be (``held`` online, ``confirmed`` by staff)."""
    visit.changes.append(
        VisitChange(actor=actor, from_status=None, to_status=visit.status, note=note)
    )


def change_status(visit: Visit, to_status: VisitStatus, actor: str, note: str = "") -> None:
    """Move ``visit`` to ``to_status`` if its life allows it; leaving the slot frees the desk."""
    if to_status not in ALLOWED[visit.status]:
        raise InvalidTransition(visit, to_status)
    visit.changes.append(
        VisitChange(actor=actor, from_status=visit.status, to_status=to_status, note=note)
    )
    visit.status = to_status
    if not to_status.holds_desk:
        release_desk(visit)
