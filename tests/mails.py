"""E-mails as tests read them, alike whether they wait in the outbox (``OutboxMessage`` rows)
or have arrived at the loopback SMTP server (``mail_to.messages``, parsed by ``SmtpRecorder``).

Not ``tests/mailbox.py``: tests/ is first on ``sys.path`` during a run, and that name would hide
the standard library's ``mailbox``.
"""

import re
from email import message_from_string, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

import icalendar
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage

LINK = re.compile(r"https?://\S+")
Mail = OutboxMessage | EmailMessage  # a row of the outbox, or a message received


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    """The queued messages, of ``kind`` only if given, oldest first, read afresh."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query.execution_options(populate_existing=True)))


def recipients(kind: str) -> list[str]:
    """Whom the queued messages of ``kind`` go to, sorted."""
    return sorted(row.recipient for row in outbox(kind))


def parsed(mail: Mail) -> EmailMessage:
    if isinstance(mail, OutboxMessage):
        return message_from_string(mail.raw, policy=policy.default)
    return mail


def text_of(mail: Mail) -> str:
    """The plain-text body."""
    return parsed(mail).get_body(("plain",)).get_content()


def html_of(mail: Mail) -> str:
    """The HTML body."""
    return parsed(mail).get_body(("html",)).get_content()


def links_in(mail: Mail, query: bool = False) -> list[str]:
    """The paths of the links in the plain text, in order; with ``query``, their queries too
    (as the test client asks for them)."""
    urls = [urlsplit(url) for url in LINK.findall(text_of(mail))]
    return [f"{url.path}?{url.query}" if query and url.query else url.path for url in urls]


def calendar_part(mail: Mail) -> EmailMessage | None:
    """The calendar file attached, if there is one; our messages carry no other attachment."""
    attachments = list(parsed(mail).iter_attachments())
    if not attachments:
        return None
    (part,) = attachments
    assert part.get_content_type() == "text/calendar", part.get_content_type()
    return part


def calendar_method(mail: Mail) -> str | None:
    """The METHOD of the attached calendar (REQUEST, CANCEL), None without one."""
    part = calendar_part(mail)
    return part.get_param("method") if part else None


def calendar_of(mail: Mail) -> icalendar.Calendar:
    """The attached calendar, parsed; there must be one."""
    part = calendar_part(mail)
    assert part is not None, "no calendar attached"
    return icalendar.Calendar.from_ical(part.get_content())


def event_of(mail: Mail) -> icalendar.Event:
    """The one event of the attached calendar."""
    (event,) = calendar_of(mail).walk("VEVENT")
    return event
