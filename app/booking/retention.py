"""Personal data is kept only as long as a matter needs it (PRODUCT.md, "Security and privacy")."""

from datetime import datetime

from flask import current_app
from sqlalchemy import delete, select

from app.booking.models import Visit
from app.extensions import db
from app.mail import sms
from app.mail.models import OutboxMessage
from app.mail.transport import forget_copies


def erase(visit: Visit, now: datetime) -> None:
    """Erase who came, whatever became of the visit; the visit itself stays for the statistics.
    Its e-mails and text messages go too (they carry the same data), waiting, sent or written
    to the development folders, and its links stop working."""
    visit.name = ""
    visit.email = None
    visit.email_key = None
    visit.phone = None
    visit.reason = ""
    visit.manage_key = None
    visit.check_in_code = None
    visit.companion = visit.sign_language = None
    visit.step_free = visit.more_time = False
    visit.case_reference = ""
    visit.erased_at = now
    messages = OutboxMessage.visit_id == visit.id
    message_ids = list(db.session.scalars(select(OutboxMessage.message_id).where(messages)))
    db.session.execute(delete(OutboxMessage).where(messages))
    # Each development folder holds copies of its own medium only: the other's keys find none.
    forget_copies(message_ids, current_app.config, current_app.instance_path)
    sms.forget_copies(message_ids, current_app.config, current_app.instance_path)
