"""Put a message (an e-mail, or a text message) in the outbox; the scheduler's sender delivers
it after the commit.

Messages are built with the standard library's ``email.mime`` classes (the "compat32" API):
the newer ``EmailMessage`` parses and re-folds every header it is given and took five times as
long per message (most of the time a busy scheduler spent on a visit), and its folding of long
encoded subjects drops a space between words ("запитна візит").
"""

import secrets
from email.charset import Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

from flask import current_app

from app.database import utcnow
from app.extensions import db
from app.mail.models import Medium, OutboxMessage

# As SMTP wants it: CRLF line ends and headers folded at 78 characters.
WIRE = compat32.clone(linesep="\r\n", max_line_length=78)
# An address beyond ASCII goes as it is (the sender uses SMTPUTF8): an encoded word would break
# it, so its header is written in UTF-8 without one.
RAW_UTF8 = Charset("utf-8")
RAW_UTF8.header_encoding = None


def sender_address() -> str:
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]


def mail_domain() -> str:
    return sender_address().rpartition("@")[2] or "localhost"


def boundary() -> str:
    """A MIME boundary no part can contain: every part is base64, which has no "_". Giving one
    spares the generator searching each message for a boundary it does not contain."""
    return f"=_{secrets.token_hex(16)}"


def header(text: str, charset="utf-8") -> str | Header:
    return text if text.isascii() else Header(text, charset)


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
    body = MIMEMultipart("alternative", boundary=boundary())
    body.attach(MIMEText(text, "plain", "utf-8"))
    body.attach(MIMEText(html, "html", "utf-8"))
    if calendar is None:
        message = body
    else:
        method, ics = calendar
        event = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
        event.set_param("method", method)
        event.add_header("Content-Disposition", "attachment", filename="wizyta.ics")
        message = MIMEMultipart("mixed", boundary=boundary())
        message.attach(body)
        message.attach(event)
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    message["From"] = formataddr((name, address), charset="utf-8")
    message["To"] = header(recipient, RAW_UTF8)
    message["Subject"] = header(subject)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=mail_domain())
    message["Auto-Submitted"] = "auto-generated"
    row = OutboxMessage(
        kind=kind,
        visit_id=visit_id,
        recipient=recipient,
        subject=subject,
        message_id=message["Message-ID"],
        raw=message.as_string(maxheaderlen=WIRE.max_line_length, policy=WIRE),
    )
    db.session.add(row)
    return row


def enqueue_text(kind: str, recipient: str, text: str, visit_id: int | None = None):
    """Add a text message to ``recipient`` (a phone number) to the session; its key lets the
    gateway refuse a second copy."""
    row = OutboxMessage(
        medium=Medium.SMS,
        kind=kind,
        visit_id=visit_id,
        recipient=recipient,
        subject="",
        message_id=f"sms-{secrets.token_hex(16)}",
        raw=text,
    )
    db.session.add(row)
    return row
