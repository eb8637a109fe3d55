"""Personal data is kept only as long as a matter needs it (PRODUCT.md, "Security and privacy")."""

from datetime import datetime

from sqlalchemy import delete

from app.booking.models import Visit
from app.extensions import db
from app.mail.models import OutboxMessage


def erase(visit: Visit, now: datetime) -> None:
    """Erase who came, whatever became of the visit; the visit itself stays for the statistics.
    Its e-mails go too (they carry the same data), and its links stop working."""
    visit.name = ""
    visit.email = None
    visit.email_key = None
    visit.phone = None
    visit.reason = ""
    visit.manage_key = None
    visit.erased_at = now
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.visit_id == visit.id))
