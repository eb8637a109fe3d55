"""Logging in and out.

The answer and the work are the same whether or not an account has the address typed: an
unknown address is checked against a stand-in hash, and the tries are counted per address typed
and source (``app.accounts.throttle``), not per account found."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user
from sqlalchemy import func, select

from app.accounts import audit, sessions, throttle
from app.accounts.forms import LoginForm
from app.accounts.models import Role, User, password_matches, unknown_account_hash
from app.extensions import db, limiter
from app.security import login_rate_limit

bp = Blueprint("accounts", __name__)

HOME_OF = {Role.ADMIN: "admin.index", Role.STAFF: "staff.agenda", Role.OPERATOR: "operator.index"}


def home_url(user: User) -> str:
    return url_for(HOME_OF[user.role])


def safe_next(target: str | None) -> str | None:
    """Only a path on this site may follow the login. Browsers drop tabs and line breaks from a
    URL and read ``\\`` as ``/``, so ``/<tab>/evil.example`` is refused as ``//evil.example``."""
    if not target or any(ord(char) < 0x21 or char in "\\\x7f" for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def account_for(email: str, password: str) -> User | None:
    """The active account with this address and password; the same work for every address."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        password_matches(unknown_account_hash(), password)
        return None
    return user if user.check_password(password) and user.active else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form)
    email = form.email.data.strip().lower()
    if not throttle.take_try(email):
        seconds = throttle.seconds_until_next_try(email)
        minutes = -(-seconds // 60)  # rounded up
        flash(
            ngettext(
                "Too many failed attempts. Try again in %(num)d minute.",
                "Too many failed attempts. Try again in %(num)d minutes.",
                minutes,
            ),
            "error",
        )
        return render_template("accounts/login.html", form=form), 429, {"Retry-After": seconds}
    user = account_for(email, form.password.data)
    if user is None:
        flash(_("Wrong e-mail or password."), "error")
        return render_template("accounts/login.html", form=form), 401
    throttle.forget_tries(email)
    sessions.start(user)
    audit.record("login", f"user {user.email}")
    db.session.commit()  # a stronger hash of the password, if it needed one
    return redirect(safe_next(request.args.get("next")) or home_url(user))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    flash(_("You have been logged out."), "success")
    return redirect(url_for("accounts.login"))
