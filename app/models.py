"""Imports every model so that metadata (Alembic, ``create_all``) sees all tables."""

from app.accounts.models import AuditEntry, User
from app.booking.models import Visit, VisitChange
from app.mail.models import OutboxMessage, OutboxPause
from app.matters.models import Channel, Closure, Location, Matter, ReceptionWindow, Unit
from app.scheduler.models import JobRun
from app.statistics.models import FreeDateSample, OfferedDesks

__all__ = [
    "AuditEntry",
    "User",
    "Channel",
    "Closure",
    "FreeDateSample",
    "JobRun",
    "Location",
    "Matter",
    "OfferedDesks",
    "OutboxMessage",
    "OutboxPause",
    "ReceptionWindow",
    "Unit",
    "Visit",
    "VisitChange",
]
