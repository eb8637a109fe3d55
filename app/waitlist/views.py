"""The citizen's way into the line of a full day, and out of it."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.booking import operations
from app.booking.forms import VisitorFields
from app.database import utcnow
from app.extensions import db, limiter
from app.i18n import LANGUAGE_NAMES
from app.matters.queries import matter_or_404
from app.security import booking_rate_limit
from app.templating import local_date
from app.waitlist import line
from app.waitlist.models import IN_LINE, WaitlistEntry
from app.waitlist.notices import entry_for_token

bp = Blueprint("waitlist", __name__)


class WaitlistForm(FlaskForm, VisitorFields):
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
    if request.method == "GET" and str(get_locale()) in LANGUAGE_NAMES:
        form.language.data = str(get_locale())
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            visitor = operations.Visitor(
                name=form.name.data,
                email=form.email.data,
                phone=form.phone.data or None,
                language=form.language.data,
            )
            try:
                entry = line.join(matter, location, date.fromisoformat(form.day.data), visitor, now)
            except line.JoinRefused as refused:
                db.session.rollback()
                form.day.errors = [*form.day.errors, str(refused.message)]
            else:
                db.session.commit()
                session["waitlist_entry"] = entry.id
                return redirect(url_for("waitlist.joined"), 303)
    return render_template(
        "waitlist/join.html", matter=matter, location=location, form=form, days=days
    ), status


@bp.get("/waitlist/joined")
def joined():
    entry_id = session.get("waitlist_entry")
    entry = entry_id and db.session.get(WaitlistEntry, entry_id)
    if not entry:
        return redirect(url_for("matters.index"))
    return render_template("waitlist/joined.html", entry=entry, position=line.position(entry))


class LeaveForm(FlaskForm):
    pass


@bp.route("/waitlist/leave/<token>", methods=["GET", "POST"])
def leave(token: str):
    """A link in an e-mail changes nothing on GET: its page's button does."""
    entry = entry_for_token(token)
    if entry is None:
        abort(404)
    form = LeaveForm()
    if form.validate_on_submit() and entry.status in IN_LINE:
        line.leave(entry, utcnow())
        db.session.commit()
        flash(_("You have left the waitlist."), "success")
        return redirect(url_for("waitlist.leave", token=token), 303)
    return render_template(
        "waitlist/leave.html", entry=entry, form=form, in_line=entry.status in IN_LINE
    )
