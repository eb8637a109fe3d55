"""Imports every model so that metadata (Alembic, ``create_all``) sees all tables."""

from app.booking.models import Visit, VisitChange
from app.mail.models import OutboxMessage
from app.matters.models import Channel, Closure, Location, Matter, ReceptionWindow, Unit

__all__ = [
    "Channel",
    "Closure",
    "Location",
    "Matter",
    "OutboxMessage",
    "ReceptionWindow",
    "Unit",
    "Visit",
    "VisitChange",
]
