"""Where messages go: an SMTP server, or files under ``instance/mail/`` in development.

A transport says who a failure concerns. ``ServerUnavailable``: no message is to blame and
every other one would fare the same (the server unreachable, not letting us in, refusing our
sender or closing our session), so the sender pauses the queue. ``MessageRefused``: the
server refused this one message (its recipient at RCPT, or its content at DATA).
"""

import logging
import re
import smtplib
from pathlib import Path

from app.mail.models import PauseCause

log = logging.getLogger(__name__)

# Reply texts may quote the recipient: what we keep and log names no address.
ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+")


def without_addresses(text: str) -> str:
    return ADDRESS.sub("…", text)


def reply(code: int, text: bytes | str) -> str:
    """A server's answer as one line of text, e.g. ``550 5.1.1 no such user``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return without_addresses(f"{code} {' '.join(text.split())}")


class ServerUnavailable(Exception):
    """No message is to blame: the queue waits until the server takes messages again."""

    def __init__(self, cause: PauseCause, reason: str):
        super().__init__(reason)
        self.cause = cause
        self.reason = reason[:500]


class MessageRefused(Exception):
    """The server refused this message: for good (5xx) or for now (4xx)."""

    def __init__(self, reason: str, permanent: bool):
        super().__init__(reason)
        self.reason = reason[:500]
        self.permanent = permanent


def described(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {reply(error.smtp_code, error.smtp_error)}"
    return without_addresses(f"{type(error).__name__}: {error}")


def session_cause(code: int) -> PauseCause | None:
    """What an answer means whatever command it answers: 530 asks us to log in; 421 (or an
    answer without a proper code) ends the session."""
    if code == 530:
        return PauseCause.LOGIN
    if code == 421 or not 400 <= code < 600:
        return PauseCause.UNAVAILABLE
    return None


def not_let_in(error: Exception) -> ServerUnavailable:
    """Opening the session failed: unreachable, or the greeting, STARTTLS or login refused."""
    if isinstance(error, smtplib.SMTPResponseException):
        cause = session_cause(error.smtp_code) or PauseCause.LOGIN
    elif isinstance(error, smtplib.SMTPServerDisconnected) or not isinstance(
        error, smtplib.SMTPException
    ):
        cause = PauseCause.UNAVAILABLE
    else:  # no STARTTLS or AUTH offered, no mechanism in common
        cause = PauseCause.LOGIN
    return ServerUnavailable(cause, described(error))


def sender_refused(error: smtplib.SMTPSenderRefused) -> ServerUnavailable:
    answer = f"MAIL FROM refused: {reply(error.smtp_code, error.smtp_error)}"
    return ServerUnavailable(session_cause(error.smtp_code) or PauseCause.SENDER, answer)


def refused(command: str, code: int, text: bytes | str) -> Exception:
    """What a refusal of RCPT or DATA means: the session's end, or this message's refusal."""
    answer = f"{command} refused: {reply(code, text)}"
    cause = session_cause(code)
    if cause is not None:
        return ServerUnavailable(cause, answer)
    return MessageRefused(answer, permanent=code >= 500)


class SmtpTransport:
    """One SMTP connection, opened on the first message and kept for the whole run."""

    def __init__(self, config: dict):
        self.host = config["MAIL_SERVER"]
        self.port = int(config["MAIL_PORT"])
        self.use_tls = bool(config["MAIL_USE_TLS"])
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.timeout = float(config["MAIL_TIMEOUT"])
        self.connection: smtplib.SMTP | None = None

    def session(self) -> smtplib.SMTP:
        if self.connection is None:
            try:
                self.connection = self.open()
            except (smtplib.SMTPException, OSError) as error:
                raise not_let_in(error) from error
        return self.connection

    def open(self) -> smtplib.SMTP:
        connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.use_tls:
                connection.starttls()
            if self.username:
                connection.login(self.username, self.password or "")
            connection.ehlo_or_helo_if_needed()
        except BaseException:
            connection.close()
            raise
        return connection

    def send(self, sender: str, recipient: str, raw: str, _message_id: str) -> None:
        # An address with letters beyond ASCII needs a server that takes SMTPUTF8 (RFC 6531).
        options = [] if (sender + recipient).isascii() else ["SMTPUTF8"]
        data = raw.encode("utf-8")
        reused = self.connection is not None
        try:
            try:
                self.session().sendmail(sender, [recipient], data, options)
            except smtplib.SMTPServerDisconnected:
                self.drop()
                if not reused:
                    raise
                # Servers close connections they find idle or long: a fresh one takes it.
                self.session().sendmail(sender, [recipient], data, options)
        except smtplib.SMTPNotSupportedError as error:  # SMTPUTF8 needed, not offered
            raise MessageRefused(described(error), permanent=True) from error
        except smtplib.SMTPRecipientsRefused as error:
            ((code, text),) = error.recipients.values()
            raise self.ended_by(refused("RCPT TO", code, text)) from error
        except smtplib.SMTPDataError as error:
            raise self.ended_by(refused("DATA", error.smtp_code, error.smtp_error)) from error
        except smtplib.SMTPSenderRefused as error:
            raise self.ended_by(sender_refused(error)) from error
        except (smtplib.SMTPException, OSError) as error:  # dropped again, timed out …
            outcome = ServerUnavailable(PauseCause.UNAVAILABLE, described(error))
            raise self.ended_by(outcome) from error

    def ended_by(self, outcome: Exception) -> Exception:
        """After an answer that stops the queue, the run ends: let the connection go."""
        if isinstance(outcome, ServerUnavailable):
            self.drop()
        return outcome

    def drop(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


class DirectoryTransport:
    """Development default: each message becomes an .eml file a developer can open."""

    def __init__(self, directory: Path):
        self.directory = directory

    def path_of(self, message_id: str) -> Path:
        name = "".join(c if c.isalnum() else "-" for c in message_id.strip("<>"))
        return self.directory / f"{name}.eml"

    def send(self, _sender: str, _recipient: str, raw: str, message_id: str) -> None:
        path = self.path_of(message_id)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path.write_text(raw, encoding="utf-8")
        except OSError as error:  # a full disk or a read-only folder: no message can go
            raise ServerUnavailable(PauseCause.UNAVAILABLE, described(error)) from error
        log.info("e-mail written to %s", path)

    def close(self) -> None:
        pass


def transport_for(config: dict, instance_path: str):
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return DirectoryTransport(Path(instance_path) / "mail")


def forget_copies(message_ids: list[str], config: dict, instance_path: str) -> None:
    """Delete what the development default wrote of these messages: personal data kept in
    files must go with the rows (a server's sent mail is the mail system's to keep)."""
    transport = transport_for(config, instance_path)
    if isinstance(transport, DirectoryTransport):
        for message_id in message_ids:
            transport.path_of(message_id).unlink(missing_ok=True)
