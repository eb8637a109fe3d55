"""Cheap signs that the public form was sent by a program, which a person never notices: a
field only programs fill in (hidden from people and from screen readers), and a form sent
sooner after it was shown than anyone can fill it in. Neither stops a determined attacker
(the limits and caps do); together they turn away the bulk of scripted requests without a
CAPTCHA or a third party."""

import time

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

SHOWN_AT_MAX_AGE = 24 * 3600  # a form left open longer is shown again with a fresh time


def serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="booking-form-shown")


def shown_at_token() -> str:
    """When the form is shown, signed (so that a program cannot claim it waited)."""
    return serializer().dumps(time.time())


def looks_automated(honeypot: str | None, shown_at: str | None) -> bool:
    minimum = current_app.config["FORM_MIN_FILL_SECONDS"]
    if honeypot:
        return True
    if not minimum:
        return False
    try:
        shown = serializer().loads(shown_at or "", max_age=SHOWN_AT_MAX_AGE)
    except BadData:
        return True
    return time.time() - float(shown) < minimum
