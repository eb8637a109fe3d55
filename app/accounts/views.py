"""Logging in and out. Repeated failures lock the account for a while; the answer never says
whether the e-mail exists."""

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from app.accounts import audit
from app.accounts.forms import LoginForm
from app.accounts.models import Role, User
from app.database import utcnow
from app.extensions import db, limiter
from app.security import login_rate_limit

bp = Blueprint("accounts", __name__)

HOME_OF = {Role.ADMIN: "admin.index", Role.STAFF: "staff.agenda", Role.OPERATOR: "operator.index"}


def home_url(user: User) -> str:
    return url_for(HOME_OF[user.role])


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (no scheme, no host) may follow the login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            select(User).where(func.lower(User.email) == form.email.data.strip().lower())
        )
        now = utcnow()
        if user is not None and user.locked_until and user.locked_until > now:
            flash(_("Too many failed attempts. Try again in a few minutes."), "error")
        elif user is not None and user.active and user.check_password(form.password.data):
            user.failed_logins = 0
            user.locked_until = None
            login_user(user)
            audit.record("login", f"user {user.email}")
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or home_url(user))
        else:
            if user is not None:
                user.failed_logins += 1
                if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
                    lock = timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
                    user.locked_until = now + lock
                    user.failed_logins = 0
                db.session.commit()
            flash(_("Wrong e-mail or password."), "error")
        return render_template("accounts/login.html", form=form), 401
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have been logged out."), "success")
    return redirect(url_for("accounts.login"))
