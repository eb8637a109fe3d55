"""The outbox tests' tools: a loopback SMTP server that answers as a test says, messages in the
outbox, one sender run, what arrived."""

import asyncio
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from app.extensions import db
from app.mail.models import MessageStatus, OutboxMessage, OutboxPause
from app.mail.outbox import enqueue
from app.mail.sender import send_due

PENDING, SENDING, SENT, FAILED = (
    MessageStatus.PENDING,
    MessageStatus.SENDING,
    MessageStatus.SENT,
    MessageStatus.FAILED,
)
PASSWORD = "right"


def unused_port() -> int:
    """A loopback port nobody listens on (connecting to it is refused) until a test does."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A loopback server's handler. It keeps what it accepts; ``answers`` makes it answer
    ``"MAIL"``, ``"RCPT"`` (every address), ``"RCPT <address>"`` or ``"DATA"`` with that
    instead; ``delay`` makes it take its time over DATA; ``drop_every`` makes it close the
    connection after every n-th message it accepted."""

    def __init__(self):
        self.messages = []
        self.answers: dict[str, str] = {}
        self.delay = 0.0
        self.drop_every = 0
        self.senders_seen = 0  # MAIL commands: each is a try
        self.sessions: set[int] = set()  # the SMTP sessions that sent a MAIL command

    async def handle_MAIL(self, _server, session, envelope, address, options):
        self.senders_seen += 1
        self.sessions.add(id(session))
        if "MAIL" in self.answers:
            return self.answers["MAIL"]
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, _server, _session, envelope, address, options):
        answer = self.answers.get(f"RCPT {address}") or self.answers.get("RCPT")
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server, _session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if "DATA" in self.answers:
            return self.answers["DATA"]
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        if self.drop_every and len(self.messages) % self.drop_every == 0:
            asyncio.get_running_loop().call_soon(server.transport.close)  # after the 250
        return "250 OK"


def check_password(_server, _session, _envelope, _mechanism, login):
    return AuthResult(success=login.password == PASSWORD.encode(), handled=False)


@pytest.fixture
def start_server(app):
    """``start_server(port=None, login=False, server=None, **smtp_options)``: a loopback server
    of its own the app sends to; returns its handler (a new ``Server`` unless given one).
    ``login=True`` makes it ask for a password (``PASSWORD``)."""
    controllers = []

    def start(port=None, login=False, server=None, **smtp_options) -> Server:
        server = server or Server()
        if login:
            smtp_options |= {"authenticator": check_password, "auth_require_tls": False}
        controller = Controller(
            server, hostname="127.0.0.1", port=port or unused_port(), **smtp_options
        )
        controller.start()
        controllers.append(controller)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
        return server

    yield start
    for controller in controllers:
        controller.stop()


def queue_messages(count: int, start: int = 0) -> list[str]:
    """``count`` messages in the outbox, committed; their Message-IDs in sending order. The
    n-th goes to ``person<n>@example.org``."""
    rows = [
        enqueue("test", f"person{n}@example.org", f"Message {n}", f"Text {n}", f"<p>{n}</p>")
        for n in range(start, start + count)
    ]
    message_ids = [row.message_id for row in rows]
    db.session.commit()  # and no reading them after: on SQLite that would hold the write lock
    return message_ids


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def pauses() -> list[OutboxPause]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxPause).order_by(OutboxPause.id)).all()


def send():
    """One sender run in the test's app context (its transaction ended first)."""
    db.session.commit()
    return send_due()


def arrived(server) -> list[str]:
    return [message["Message-ID"] for message in server.messages]
