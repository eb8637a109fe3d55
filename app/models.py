"""Imports every model so that metadata (Alembic, ``create_all``) sees all tables."""

from app.booking.models import Visit, VisitChange
from app.matters.models import Channel, Closure, Location, Matter, ReceptionWindow, Unit

__all__ = [
    "Channel",
    "Closure",
    "Location",
    "Matter",
    "ReceptionWindow",
    "Unit",
    "Visit",
    "VisitChange",
]
