"""Setting up a kiosk and knowing it again: the one-time link an administrator issues, and the
device's own token, kept in a cookie of the tablet's browser."""

import hashlib
import secrets
from datetime import datetime

from flask import Response, request
from sqlalchemy import select

from app.database import transaction_memo
from app.extensions import db
from app.kiosk.models import Kiosk
from app.security import served_over_https

COOKIE = "wizyta_kiosk"
COOKIE_DAYS = 5 * 365  # as long as the tablet stays where it is


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link_token(kiosk: Kiosk) -> str:
    """A one-time set-up token for the kiosk (shown once, stored hashed). A device already set
    up keeps working until the new link is opened on another."""
    token = secrets.token_urlsafe(32)
    kiosk.pairing_hash = hashed(token)
    return token


def kiosk_of_link(link_token: str) -> Kiosk | None:
    """The kiosk a set-up link not yet used is for."""
    return db.session.scalar(
        select(Kiosk).where(Kiosk.pairing_hash == hashed(link_token), Kiosk.revoked_at.is_(None))
    )


def pair(link_token: str, now: datetime) -> tuple[Kiosk, str] | None:
    """Bind the device opening a set-up link to its kiosk: the link is used up, the device
    gets a token of its own (for its cookie). None for a link used, withdrawn or unknown."""
    kiosk = kiosk_of_link(link_token)
    if kiosk is None:
        return None
    device_token = secrets.token_urlsafe(32)
    kiosk.pairing_hash = None
    kiosk.token_hash = hashed(device_token)
    kiosk.paired_at = now
    return kiosk, device_token


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
    kiosk.pairing_hash = kiosk.token_hash = None


def places_with_kiosks() -> frozenset[int]:
    """The places where visitors check in at a kiosk: those with one not withdrawn (set up or
    waiting to be). Read once a transaction."""
    memo = transaction_memo(db.session)
    if "kiosk places" not in memo:
        query = select(Kiosk.location_id).where(Kiosk.revoked_at.is_(None)).distinct()
        memo["kiosk places"] = frozenset(db.session.scalars(query))
    return memo["kiosk places"]
