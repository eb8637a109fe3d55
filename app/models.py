"""Imports every model so that metadata (Alembic, ``create_all``) sees all tables."""

from app.accounts.models import AuditEntry, User
from app.booking.models import Visit, VisitChange
from app.booking.queue_numbers import QueueDay
from app.kiosk.models import Kiosk
from app.mail.models import OutboxMessage, OutboxPause
from app.matters.models import Channel, Closure, Location, Matter, ReceptionWindow, Unit
from app.scheduler.models import JobRun
from app.statistics.models import FreeDateSample, OfferedDesks
from app.waitlist.models import WaitlistEntry

__all__ = [
    "AuditEntry",
    "User",
    "Channel",
    "Closure",
    "FreeDateSample",
    "JobRun",
    "Kiosk",
    "Location",
    "Matter",
    "OfferedDesks",
    "OutboxMessage",
    "OutboxPause",
    "QueueDay",
    "ReceptionWindow",
    "Unit",
    "Visit",
    "VisitChange",
    "WaitlistEntry",
]
