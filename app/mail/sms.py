"""Where text messages go: an HTTP SMS gateway speaking SMSAPI.pl's protocol
(``SMS_TRANSPORT=smsapi``), or files under ``instance/sms/`` in development (``file``). Without
either, no text message is written at all (``texts_enabled``).

The protocol: ``POST <SMS_GATEWAY_URL>/sms.do`` with the bearer token ``SMS_GATEWAY_TOKEN`` and
the form fields ``to`` (the number without its +), ``message``, ``from`` (the sender name the
gateway registered, ``SMS_SENDER``; none: its default), ``encoding=utf-8``, ``format=json``, and
``idx`` (the message's own key) with ``check_idx=1``: the gateway refuses a second message with a
key it has seen (error 53), so a message sent again after its answer was lost is not delivered
twice. Its answer: ``{"count": 1, "list": [...]}``, or ``{"error": <code>, "message": ...}``.

The answers are sorted as the SMTP transport's are (``app.mail.transport``), so the sender
treats both alike: the gateway unreachable, answering 5xx, 429 or 404 (a wrong address), or
refusing our account or sender name is ``ServerUnavailable`` (text messages pause; e-mail goes
on); a number or a message it refuses is ``MessageRefused``, for good, and any other refusal
of one message is retried later (with the e-mails' backoff and retry period), so that one
message it will not take never holds up the others.
"""

import logging
import re
from pathlib import Path

import requests

from app.mail.models import PauseCause
from app.mail.transport import MessageRefused, ServerUnavailable

log = logging.getLogger(__name__)

# SMSAPI's error codes (https://www.smsapi.pl/statusy-wiadomosci).
ALREADY_SENT = 53  # a message with this idx was sent before: this one went
# Too long (or over 160 characters when one part was asked for), no valid number (a landline
# too), a number on the blacklist.
ABOUT_THE_MESSAGE = {11, 12, 13, 57}
ABOUT_THE_SENDER = {14}  # a sender name the account may not use
ABOUT_THE_ACCOUNT = {101, 102, 103, 105, 110}  # the token, the credit, the address, the rights

# A gateway's text may quote the number: what we keep and log names none.
NUMBER = re.compile(r"\+?\d[\d ]{5,}\d")


def without_numbers(text: str) -> str:
    return NUMBER.sub("…", text)


def texts_enabled(config) -> bool:
    return config["SMS_TRANSPORT"] in ("smsapi", "file")


class SmsapiGateway:
    """One HTTP session (its connections kept) for a run of the sender."""

    def __init__(self, config):
        self.url = config["SMS_GATEWAY_URL"].rstrip("/") + "/sms.do"
        self.headers = {"Authorization": f"Bearer {config['SMS_GATEWAY_TOKEN'] or ''}"}
        self.timeout = float(config["SMS_TIMEOUT"])
        self.session = requests.Session()

    def send(self, sender: str, recipient: str, text: str, key: str) -> None:
        fields = {
            "to": recipient.removeprefix("+"),
            "message": text,
            "encoding": "utf-8",
            "format": "json",
            "idx": key,
            "check_idx": "1",
        }
        if sender:
            fields["from"] = sender
        try:
            response = self.session.post(
                self.url, data=fields, headers=self.headers, timeout=self.timeout
            )
        except requests.RequestException as error:  # unreachable, dropped, timed out
            raise ServerUnavailable(PauseCause.UNAVAILABLE, type(error).__name__) from error
        status = response.status_code
        if status in (401, 403):
            raise ServerUnavailable(PauseCause.LOGIN, f"HTTP {status}")
        if status >= 500 or status in (404, 429):
            raise ServerUnavailable(PauseCause.UNAVAILABLE, f"HTTP {status}")
        if status != 200:
            raise MessageRefused(f"HTTP {status}", permanent=False)
        try:
            answer = response.json()
        except ValueError:
            raise ServerUnavailable(PauseCause.UNAVAILABLE, "an answer that is not JSON") from None
        if not isinstance(answer, dict):
            raise ServerUnavailable(PauseCause.UNAVAILABLE, "an answer that is not an object")
        refusal(answer)

    def close(self) -> None:
        self.session.close()


def refusal(answer: dict) -> None:
    """Raise what an answer of the gateway means, unless the message went."""
    code = answer.get("error")
    if not code:
        if not answer.get("count"):
            raise ServerUnavailable(PauseCause.UNAVAILABLE, "an answer sending no message")
        return
    reason = without_numbers(f"SMSAPI error {code}: {answer.get('message', '')}")
    if code == ALREADY_SENT:
        log.info("text message already sent before its answer was lost: %s", reason)
        return
    if code in ABOUT_THE_MESSAGE:
        raise MessageRefused(reason, permanent=True)
    if code in ABOUT_THE_SENDER:
        raise ServerUnavailable(PauseCause.SENDER, reason)
    if code in ABOUT_THE_ACCOUNT:
        raise ServerUnavailable(PauseCause.LOGIN, reason)
    raise MessageRefused(reason, permanent=False)


class SmsDirectory:
    """Development: each text message becomes a .txt file a developer can read."""

    def __init__(self, directory: Path):
        self.directory = directory

    def path_of(self, key: str) -> Path:
        return self.directory / f"{''.join(c if c.isalnum() else '-' for c in key)}.txt"

    def send(self, sender: str, recipient: str, text: str, key: str) -> None:
        path = self.path_of(key)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path.write_text(f"From: {sender}\nTo: {recipient}\n\n{text}\n", encoding="utf-8")
        except OSError as error:  # a full disk or a read-only folder: no message can go
            raise ServerUnavailable(PauseCause.UNAVAILABLE, type(error).__name__) from error
        log.info("text message written to %s", path)

    def close(self) -> None:
        pass


def gateway_for(config, instance_path: str):
    if config["SMS_TRANSPORT"] == "smsapi":
        return SmsapiGateway(config)
    return SmsDirectory(Path(instance_path) / "sms")


def forget_copies(keys: list[str], config, instance_path: str) -> None:
    """Delete what the development folder holds of these text messages (as the e-mails')."""
    if config["SMS_TRANSPORT"] == "file":
        folder = SmsDirectory(Path(instance_path) / "sms")
        for key in keys:
            folder.path_of(key).unlink(missing_ok=True)
