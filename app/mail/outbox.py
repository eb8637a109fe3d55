"""Put a message in the outbox; the scheduler's sender delivers it after the commit."""

from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app

from app.database import utcnow
from app.extensions import db
from app.mail.models import OutboxMessage


def sender_address() -> str:
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]


def mail_domain() -> str:
    return sender_address().rpartition("@")[2] or "localhost"


def enqueue(
    kind: str,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    visit_id: int | None = None,
    calendar: tuple[str, bytes] | None = None,
) -> OutboxMessage:
    """Add a message (text and HTML, optionally an .ics with its METHOD) to the session."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=mail_domain())
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if calendar is not None:
        method, ics = calendar
        message.add_attachment(
            ics.decode("utf-8"),
            subtype="calendar",
            filename="wizyta.ics",
            params={"method": method},
        )
    row = OutboxMessage(
        kind=kind,
        visit_id=visit_id,
        recipient=recipient,
        subject=subject,
        message_id=message["Message-ID"],
        # An address beyond ASCII goes as it is (SMTPUTF8); an encoded word would break it.
        raw=message.as_string(policy=SMTP if recipient.isascii() else SMTPUTF8),
    )
    db.session.add(row)
    return row
