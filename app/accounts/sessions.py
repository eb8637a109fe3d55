"""Staff sessions, ended by the server and not only by the browser.

The session cookie names the account and its session version. Logging out, a new password and
disabling the account raise the version, so every copy of an earlier cookie stops working, on
every device. A session also ends after ``STAFF_SESSION_IDLE_MINUTES`` without a request and
``STAFF_SESSION_HOURS`` after the login, however busy.
"""

import time

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from app.accounts.models import User
from app.extensions import db, login_manager

SIGNED_IN_AT, SEEN_AT = "signed_in_at", "seen_at"
SEEN_EVERY = 60  # seconds: the cookie is written again at most this often


def start(user: User) -> None:
    login_user(user)
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(time.time())


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _dot, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


# What a page asks for on its own (the agenda, every few seconds): not a person at work, so it
# does not keep an unattended session open.
POLLED = {"staff.agenda_stamp"}


def is_over(now: float) -> bool:
    config = current_app.config
    idle = now - session.get(SEEN_AT, 0) > config["STAFF_SESSION_IDLE_MINUTES"] * 60
    too_long = now - session.get(SIGNED_IN_AT, 0) > config["STAFF_SESSION_HOURS"] * 3600
    return idle or too_long


def init_app(app: Flask) -> None:
    @app.before_request
    def end_stale_sessions():
        if "_user_id" not in session:
            return
        now = time.time()
        if is_over(now):
            logout_user()
            for key in (SIGNED_IN_AT, SEEN_AT):
                session.pop(key, None)
            flash(_("Your session has ended. Please log in again."), "info")
        elif now - session[SEEN_AT] >= SEEN_EVERY and request.endpoint not in POLLED:
            session[SEEN_AT] = int(now)
