"""The citizen's way into the line of a full day (joined, then confirmed by the e-mail's link),
and out of it. Links in e-mails change nothing on GET: their pages' buttons do."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.booking import bots, operations
from app.booking.forms import ProgramSigns, VisitorFields
from app.database import utcnow
from app.extensions import db, limiter
from app.i18n import LANGUAGE_NAMES
from app.matters.queries import matter_or_404
from app.security import booking_rate_limit
from app.templating import local_date
from app.waitlist import line
from app.waitlist.models import IN_LINE, EntryStatus, WaitlistEntry
from app.waitlist.notices import CONFIRM, LEAVE, entry_for_token

bp = Blueprint("waitlist", __name__)


class WaitlistForm(FlaskForm, VisitorFields, ProgramSigns):
    """Who waits, reachable by e-mail (a phone typed here is nobody's checked number: the
    offers go by e-mail), and the day."""

    phone = None
    location = HiddenField(validators=[InputRequired()])
    day = SelectField(_l("Day"), validators=[InputRequired()])


@bp.route("/matters/<slug>/waitlist", methods=["GET", "POST"])
@limiter.limit(booking_rate_limit, methods=["POST"])
def join(slug: str):
    matter = matter_or_404(slug)
    form = WaitlistForm(request.form if request.method == "POST" else request.args)
    location = matter.location(form.location.data or "") if matter.is_bookable_online else None
    if location is None:
        abort(404)
    now = utcnow()
    days = line.full_days(matter, location, now)
    form.day.choices = [SelectChoice(day.isoformat(), local_date(day)) for day in days]
    status = 200
    if request.method == "GET":
        if str(get_locale()) in LANGUAGE_NAMES:
            form.language.data = str(get_locale())
    elif bots.looks_automated(form.website.data, form.shown_at.data):
        status = 422
        flash(_("Please check your details and send the request again."), "error")
    elif form.validate():
        visitor = operations.Visitor(form.name.data, form.email.data, None, form.language.data)
        day = date.fromisoformat(form.day.data)
        try:
            entry = line.join(matter, location, day, visitor, get_remote_address(), now)
        except line.JoinRefused as refused:
            db.session.rollback()
            form.day.errors = [*form.day.errors, str(refused.message)]
            status = 422
        else:
            db.session.commit()
            session["waitlist_entry"] = entry.id
            return redirect(url_for("waitlist.joined"), 303)
    else:
        status = 422
    form.shown_at.data = bots.shown_at_token()
    page = render_template(
        "waitlist/join.html", matter=matter, location=location, form=form, days=days
    )
    return page, status


@bp.get("/waitlist/joined")
def joined():
    entry_id = session.get("waitlist_entry")
    entry = entry_id and db.session.get(WaitlistEntry, entry_id)
    if not entry:
        return redirect(url_for("matters.index"))
    return render_template("waitlist/joined.html", entry=entry)


class ButtonForm(FlaskForm):
    """A page's one button (its CSRF token)."""


def entry_or_404(token: str, purpose: str) -> WaitlistEntry:
    entry = entry_for_token(token, purpose)
    if entry is None:
        abort(404)
    return entry


@bp.route("/waitlist/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    entry = entry_or_404(token, CONFIRM)
    form = ButtonForm()
    if form.validate_on_submit() and entry.status is EntryStatus.UNCONFIRMED:
        line.confirm(entry)
        db.session.commit()
        flash(_("You are on the waitlist."), "success")
        return redirect(url_for("waitlist.confirm", token=token), 303)
    position = line.position(entry) if entry.status is EntryStatus.WAITING else None
    return render_template("waitlist/confirm.html", entry=entry, form=form, position=position)


@bp.route("/waitlist/leave/<token>", methods=["GET", "POST"])
def leave(token: str):
    entry = entry_or_404(token, LEAVE)
    form = ButtonForm()
    if form.validate_on_submit() and entry.status in IN_LINE:
        line.leave(entry)
        db.session.commit()
        flash(_("You have left the waitlist."), "success")
        return redirect(url_for("waitlist.leave", token=token), 303)
    in_line = entry.status in IN_LINE
    return render_template("waitlist/leave.html", entry=entry, form=form, in_line=in_line)
