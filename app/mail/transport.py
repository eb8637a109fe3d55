"""Where messages go: an SMTP server, or files under ``instance/mail/`` in development."""

import logging
import smtplib
from pathlib import Path

log = logging.getLogger(__name__)


class ServerUnavailable(smtplib.SMTPException):
    """The server did not let us in (greeting, STARTTLS or login failed): no message is to blame,
    and every other one would fare the same."""


class SmtpTransport:
    """One SMTP connection, opened on the first message and closed at the end of a batch."""

    def __init__(self, config: dict):
        self.host = config["MAIL_SERVER"]
        self.port = int(config["MAIL_PORT"])
        self.use_tls = bool(config["MAIL_USE_TLS"])
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.timeout = float(config["MAIL_TIMEOUT"])
        self.connection: smtplib.SMTP | None = None

    def connect(self) -> None:
        if self.connection is not None:
            return
        try:
            self.connection = self.open()
        except smtplib.SMTPException as error:
            raise ServerUnavailable(f"{type(error).__name__}: {error}") from error

    def open(self) -> smtplib.SMTP:
        connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.use_tls:
                connection.starttls()
            if self.username:
                connection.login(self.username, self.password or "")
        except BaseException:
            connection.close()
            raise
        return connection

    def send(self, sender: str, recipient: str, raw: str, _message_id: str) -> None:
        self.connect()
        # An address with letters beyond ASCII needs a server that takes SMTPUTF8 (RFC 6531).
        options = [] if (sender + recipient).isascii() else ["SMTPUTF8"]
        try:
            self.connection.sendmail(sender, [recipient], raw.encode("utf-8"), options)
        except smtplib.SMTPServerDisconnected:
            self.connection = None
            raise

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

    def send(self, _sender: str, _recipient: str, raw: str, message_id: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() else "-" for c in message_id.strip("<>"))
        path = self.directory / f"{name}.eml"
        path.write_text(raw, encoding="utf-8")
        log.info("e-mail written to %s", path)

    def close(self) -> None:
        pass


def transport_for(config: dict, instance_path: str):
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return DirectoryTransport(Path(instance_path) / "mail")
