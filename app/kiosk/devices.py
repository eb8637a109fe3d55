"""Setting up a kiosk and knowing it again: the one-time link an administrator issues, and the
device's own token, kept in a cookie of the tablet's browser."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import Response, request
from sqlalchemy import select, update

from app.database import utcnow
from app.extensions import db
from app.kiosk.models import Kiosk
from app.security import served_over_https

COOKIE = "wizyta_kiosk"
# Browsers keep a cookie 400 days at most: the keypad sets it again each time it is shown.
COOKIE_DAYS = 400
LINK_DAYS = 7  # a set-up link not opened by then is of no use


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link_token(kiosk: Kiosk) -> str:
    """A one-time set-up token for the kiosk (shown once, stored hashed). A device already set
    up keeps working until the new link is opened on another."""
    token = secrets.token_urlsafe(32)
    kiosk.pairing_hash = hashed(token)
    kiosk.pairing_expires_at = utcnow() + timedelta(days=LINK_DAYS)
    return token


def usable_link(link_token: str, now: datetime):
    """The conditions of a kiosk whose set-up link this is, not used, expired or withdrawn."""
    return (
        Kiosk.pairing_hash == hashed(link_token),
        Kiosk.pairing_expires_at > now,
        Kiosk.revoked_at.is_(None),
    )


def kiosk_of_link(link_token: str, now: datetime) -> Kiosk | None:
    return db.session.scalar(select(Kiosk).where(*usable_link(link_token, now)))


def pair(link_token: str, now: datetime) -> str | None:
    """Bind the device opening a set-up link to its kiosk, in one statement (two devices
    opening one link: only the first is set up): the link is used up, the device gets a
    token of its own, for its cookie. None for a link used, expired, withdrawn or unknown."""
    device_token = secrets.token_urlsafe(32)
    paired = db.session.execute(
        update(Kiosk)
        .where(*usable_link(link_token, now))
        .values(pairing_hash=None, token_hash=hashed(device_token), paired_at=now)
        .execution_options(synchronize_session=False)
    )
    return device_token if paired.rowcount == 1 else None


def remember_device(response: Response, device_token: str) -> None:
    response.set_cookie(
        COOKIE,
        device_token,
        max_age=COOKIE_DAYS * 24 * 3600,
        secure=served_over_https(),
        httponly=True,
        samesite="Strict",  # no other site can make the kiosk send anything
        path="/kiosk",
    )


def this_kiosk() -> Kiosk | None:
    """The kiosk this request comes from (by its cookie), if it is set up and not withdrawn."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    return db.session.scalar(
        select(Kiosk).where(Kiosk.token_hash == hashed(token), Kiosk.revoked_at.is_(None))
    )


def withdraw(kiosk: Kiosk, now: datetime) -> None:
    """The device stops working at once, and so does any link of it not yet opened."""
    kiosk.revoked_at = now
    kiosk.pairing_hash = kiosk.token_hash = kiosk.pairing_expires_at = None
