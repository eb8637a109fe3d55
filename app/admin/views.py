"""The admin area: units, locations and their reception hours, matters, closures, staff accounts,
the e-mail outbox and the audit log. Administrators only; every change is written to the audit
log (who, when, before → after) in the transaction that makes it."""

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from app.accounts import audit
from app.accounts.access import roles_required
from app.accounts.models import AuditEntry, Role, User
from app.admin.audit_log import Reader, action_name, target_text
from app.admin.forms import (
    ROLE_CHOICES,
    WEEKDAY_LABELS,
    AccountForm,
    AuditFilterForm,
    ButtonForm,
    ClosureForm,
    HoursForm,
    LocationForm,
    MatterForm,
    NewAccountForm,
    PasswordForm,
    UnitForm,
    texts_data,
)
from app.booking.messages import recheck_message
from app.booking.models import Visit
from app.booking.recheck import closure_matching, mark_closure, mark_for_recheck
from app.booking.schedule import day_bounds, office_timezone
from app.database import utcnow
from app.extensions import db
from app.i18n import LANGUAGE_NAMES, localized
from app.inputs import page_number
from app.mail.models import Medium, MessageStatus, OutboxMessage, OutboxPause, PauseCause
from app.mail.sender import outbox_state, send_again
from app.matters.hours import closure_bounds, format_day, parse_time
from app.matters.models import (
    Closure,
    Confirmation,
    Location,
    Matter,
    ReceptionWindow,
    Unit,
    VisitPolicy,
)
from app.matters.settings import SETTINGS
from app.scheduler.runs import JOB_NAMES, last_runs, overdue_jobs
from app.staff.change_check import check_change
from app.staff.closures import span

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50  # audit entries and closures per page; ADMIN_PAGE_SIZE in the config overrides
WEEKDAYS = list(WEEKDAY_LABELS)  # mon … sun, as ReceptionWindow.weekday 0 … 6
LOCATION_FIELDS = [
    "name",
    "address",
    "entrance",
    "hours_assumed",
    "waiting_area",
    "no_show_after_minutes",
]
MATTER_TEXTS = ["title", "description", "without_visit", "what_to_bring"]
MATTER_NUMBERS = list(SETTINGS)
MATTER_FIELDS = [
    *MATTER_TEXTS,
    "languages",
    "visit_policy",
    "confirmation",
    "asks_case_reference",
    *MATTER_NUMBERS,
]


@bp.before_request
@roles_required(Role.ADMIN)
def administrators_only():
    """Every route here: anonymous users go to the login page, other roles get 403."""


def page_size() -> int:
    return current_app.config.get("ADMIN_PAGE_SIZE", PAGE_SIZE)


def done(path: str):
    """After a change: back to a page by GET."""
    return redirect(path, 303)


# Snapshots: the values an administrator can change, JSON-friendly, named as the form fields.


def unit_snapshot(unit: Unit) -> dict[str, Any]:
    return audit.snapshot(unit, ["name", "email"])


def location_snapshot(location: Location) -> dict[str, Any]:
    return audit.snapshot(location, LOCATION_FIELDS)


def hours_snapshot(location: Location) -> dict[str, str]:
    return {
        day: format_day((w.opens, w.closes) for w in location.hours if w.weekday == weekday)
        for weekday, day in enumerate(WEEKDAYS)
    }


def matter_snapshot(matter: Matter) -> dict[str, Any]:
    values = audit.snapshot(matter, MATTER_FIELDS)
    return values | {"locations": [location.slug for location in matter.locations]}


def local(moment: datetime) -> str:
    return moment.astimezone(office_timezone()).strftime("%Y-%m-%d %H:%M")


def closure_snapshot(closure: Closure) -> dict[str, Any]:
    return {
        "location": closure.location.slug if closure.location else "",
        "starts_at": local(closure.starts_at),
        "ends_at": local(closure.ends_at),
        "reason": closure.reason,
    }


def user_snapshot(user: User) -> dict[str, Any]:
    """An account as the log shows it: never its password hash."""
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role.value,
        "units": [unit.slug for unit in user.units],
        "active": user.active,
    }


def record_change(action: str, target: str, before: dict, after: dict) -> bool:
    """Log the fields that changed (and only those); say whether any did."""
    changed = [name for name in after if before.get(name) != after[name]]
    if changed:
        audit.record(
            action,
            target,
            before={name: before.get(name) for name in changed},
            after={name: after[name] for name in changed},
        )
    return bool(changed)


def save(changed: bool, message: str | None = None) -> None:
    """Commit a change with its audit entry, or drop an edit that changed nothing."""
    if changed:
        db.session.commit()
        flash(message or _("Saved."), "success")
    else:
        db.session.rollback()
        flash(_("Nothing changed."), "info")


@bp.get("/")
def index():
    counts = {
        "units": db.session.scalar(select(func.count(Unit.id))),
        "locations": db.session.scalar(select(func.count(Location.id))),
        "matters": db.session.scalar(select(func.count(Matter.id))),
        "closures": db.session.scalar(
            select(func.count(Closure.id)).where(Closure.ends_at > utcnow())
        ),
        "users": db.session.scalar(select(func.count(User.id))),
        "attention": db.session.scalar(
            select(func.count(Visit.id)).where(Visit.attention_at.is_not(None))
        ),
    }
    now = utcnow()
    outbox = outbox_state(now)
    runs = last_runs()
    overdue = overdue_jobs(runs, now)
    return render_template(
        "admin/index.html",
        counts=counts,
        outbox=outbox,
        causes=pause_causes(),
        outbox_backed_up=outbox.backed_up(now, current_app.config["OUTBOX_BACKLOG_MINUTES"]),
        never_ran=all(run.last_success_at is None for run in runs.values()),
        overdue=overdue,
        job_names=JOB_NAMES,
    )


# Units


@bp.get("/units")
def units():
    return render_template(
        "admin/units.html", units=db.session.scalars(select(Unit).order_by(Unit.id))
    )


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    before = unit_snapshot(unit)
    form = UnitForm(data=before)
    if form.validate_on_submit():
        unit.name = texts_data(form.name.data)
        unit.email = form.email.data or None
        save(record_change("unit.update", f"unit {unit.slug}", before, unit_snapshot(unit)))
        return done(url_for(".units"))
    return render_template("admin/unit.html", unit=unit, form=form)


# Locations and their reception hours


@bp.get("/locations")
def locations():
    return render_template(
        "admin/locations.html",
        locations=db.session.scalars(select(Location).order_by(Location.id)),
    )


@bp.route("/locations/<int:location_id>", methods=["GET", "POST"])
def location(location_id: int):
    location = db.get_or_404(Location, location_id)
    before = location_snapshot(location)
    form = LocationForm(data=before)
    if form.validate_on_submit():
        location.name = texts_data(form.name.data)
        location.address = form.address.data
        location.entrance = texts_data(form.entrance.data)
        location.hours_assumed = form.hours_assumed.data
        location.waiting_area = texts_data(form.waiting_area.data)
        location.no_show_after_minutes = form.no_show_after_minutes.data
        after = location_snapshot(location)
        save(record_change("location.update", f"location {location.slug}", before, after))
        return done(url_for(".locations"))
    return render_template("admin/location.html", location=location, form=form)


@bp.route("/locations/<int:location_id>/hours", methods=["GET", "POST"])
def hours(location_id: int):
    location = db.get_or_404(Location, location_id)
    before = hours_snapshot(location)
    form = HoursForm(data=before)
    if form.validate_on_submit():
        location.hours = [
            ReceptionWindow(weekday=weekday, opens=opens, closes=closes)
            for weekday, opens, closes in form.windows()
        ]
        after = hours_snapshot(location)
        changed = record_change("location.hours", f"location {location.slug}", before, after)
        affected = 0
        if changed:
            at_the_place = {"location_id": location.id}
            check = check_change(
                "hours", [at_the_place], back=url_for(".hours", location_id=location.id)
            )
            if check is not None:
                return check
            affected = mark_for_recheck(utcnow(), at_the_place)
        save(changed, _("The reception hours are saved.") + " " + recheck_message(affected))
        return done(url_for(".locations"))
    return render_template("admin/hours.html", location=location, form=form)


# Matters


@bp.get("/matters")
def matters():
    return render_template(
        "admin/matters.html", matters=db.session.scalars(select(Matter).order_by(Matter.id))
    )


@bp.route("/matters/<int:matter_id>", methods=["GET", "POST"])
def matter(matter_id: int):
    matter = db.get_or_404(Matter, matter_id)
    all_locations = db.session.scalars(select(Location).order_by(Location.id)).all()
    before = matter_snapshot(matter)
    form = MatterForm(data=before)
    form.locations.choices = [SelectChoice(loc.slug, localized(loc.name)) for loc in all_locations]
    if form.validate_on_submit():
        for name in MATTER_TEXTS:
            setattr(matter, name, texts_data(form[name].data))
        for name in MATTER_NUMBERS:
            setattr(matter, name, form[name].data)
        matter.visit_policy = VisitPolicy(form.visit_policy.data)
        matter.confirmation = Confirmation(form.confirmation.data)
        matter.asks_case_reference = form.asks_case_reference.data
        matter.locations = [loc for loc in all_locations if loc.slug in form.locations.data]
        matter.languages = [code for code in LANGUAGE_NAMES if code in form.languages.data]
        after = matter_snapshot(matter)
        changed = record_change("matter.update", f"matter {matter.slug}", before, after)
        affected = 0
        if matchings := recheck_matchings(matter, before, after):
            check = check_change("matter", matchings, back=url_for(".matter", matter_id=matter.id))
            if check is not None:
                return check
            affected = mark_for_recheck(utcnow(), *matchings)
        save(changed, _("Saved.") + (" " + recheck_message(affected) if affected else ""))
        return done(url_for(".matters"))
    return render_template("admin/matter.html", matter=matter, form=form)


def recheck_matchings(matter: Matter, before: dict, after: dict) -> list[dict]:
    """The booked visits a change of the matter may have made impossible, as conditions of
    ``recheck.standing_ahead``: all of them for a new slot length, else those above the desks
    it has now and those at places it is no longer handled at."""
    if after["slot_minutes"] != before["slot_minutes"]:
        return [{"matter_id": matter.id}]
    matchings = []
    if after["desks"] < before["desks"]:
        matchings.append({"matter_id": matter.id, "above_desk": after["desks"]})
    for place in set(before["locations"]) - set(after["locations"]):
        location = db.session.scalar(select(Location).where(Location.slug == place))
        matchings.append({"matter_id": matter.id, "location_id": location.id})
    return matchings


# Closures


def closure_choices() -> list[SelectChoice]:
    """The places first (the form starts at the first), the whole office last: closing every
    place by a slip would call off the visits of every unit."""
    places = db.session.scalars(select(Location).order_by(Location.id))
    return [SelectChoice(place.slug, localized(place.name)) for place in places] + [
        SelectChoice("", _("The whole office"))
    ]


@bp.get("/closures")
def closures():
    page = db.paginate(
        select(Closure).order_by(Closure.starts_at.desc(), Closure.id.desc()),
        page=page_number(),
        per_page=page_size(),
        error_out=False,
    )
    return render_template(
        "admin/closures.html", page=page, form=ButtonForm(), now=utcnow(), span=span
    )


@bp.route("/closures/new", methods=["GET", "POST"])
def closure_new():
    form = ClosureForm()
    form.location.choices = closure_choices()
    if form.validate_on_submit():
        starts, ends = closure_bounds(
            form.first_day.data,
            form.last_day.data,
            parse_time(form.starts.data) if form.starts.data else None,
            parse_time(form.ends.data) if form.ends.data else None,
            office_timezone(),
        )
        if starts.astimezone(UTC) >= ends.astimezone(UTC):
            form.ends.errors.append(_("The end must come after the start."))
        else:
            location = db.session.scalar(
                select(Location).where(Location.slug == form.location.data)
            )
            closure = Closure(
                location_id=location.id if location else None,  # read by the check before a flush
                starts_at=starts,
                ends_at=ends,
                reason=form.reason.data or "",
            )
            db.session.add(closure)
            check = check_change("closure", [closure_matching(closure)], url_for(".closure_new"))
            if check is not None:
                return check
            audit.record("closure.add", f"closure {closure.id}", after=closure_snapshot(closure))
            affected = mark_closure(closure, utcnow())
            save(True, _("The closure is saved.") + " " + recheck_message(affected))
            return done(url_for(".closures"))
    return render_template("admin/closure.html", form=form)


@bp.post("/closures/<int:closure_id>/remove")
def closure_remove(closure_id: int):
    closure = db.get_or_404(Closure, closure_id)
    if ButtonForm().validate_on_submit():
        audit.record("closure.remove", f"closure {closure.id}", before=closure_snapshot(closure))
        db.session.delete(closure)
        save(True, _("The closure is removed."))
    return done(url_for(".closures"))


# Staff accounts


def unit_choices() -> list[SelectChoice]:
    units = db.session.scalars(select(Unit).order_by(Unit.id))
    return [SelectChoice(unit.slug, localized(unit.name)) for unit in units]


def units_of(form: AccountForm) -> list[Unit]:
    """The units chosen, for unit staff only (other roles are not tied to units)."""
    if form.role.data != Role.STAFF.value:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.slug.in_(form.units.data))))


@bp.get("/users")
def users():
    return render_template(
        "admin/users.html",
        users=db.session.scalars(select(User).order_by(User.role, User.email)),
        form=ButtonForm(),
        now=utcnow(),
        role_names={choice.value: choice.label for choice in ROLE_CHOICES},
    )


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = NewAccountForm(data={"role": Role.STAFF.value})
    form.units.choices = unit_choices()
    if form.validate_on_submit():
        user = User(
            email=form.email.data,
            name=form.name.data or "",
            role=Role(form.role.data),
            units=units_of(form),
        )
        user.set_password(form.password.data)
        db.session.add(user)
        try:
            db.session.flush()
        except IntegrityError:  # the same e-mail, created a moment ago by someone else
            db.session.rollback()
            form.email.errors.append(_("This e-mail already has an account."))
        else:
            audit.record("user.create", f"user {user.email}", after=user_snapshot(user))
            save(True, _("The account is created."))
            return done(url_for(".users"))
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    user = db.get_or_404(User, user_id)
    before = user_snapshot(user)
    form = AccountForm(data=before, own=user.id == current_user.id)
    form.units.choices = unit_choices()
    if form.validate_on_submit():
        user.name = form.name.data or ""
        user.role = Role(form.role.data)
        user.units = units_of(form)
        save(record_change("user.update", f"user {user.email}", before, user_snapshot(user)))
        return done(url_for(".users"))
    return render_template("admin/user.html", user=user, form=form, buttons=ButtonForm())


@bp.post("/users/<int:user_id>/<any(disable, enable):change>")
def user_active(user_id: int, change: str):
    user = db.get_or_404(User, user_id)
    if not ButtonForm().validate_on_submit():
        return done(url_for(".user", user_id=user.id))
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "error")
        return done(url_for(".user", user_id=user.id))
    before = user_snapshot(user)
    user.set_active(change == "enable")
    changed = record_change(f"user.{change}", f"user {user.email}", before, user_snapshot(user))
    save(changed, _("The account is enabled.") if user.active else _("The account is disabled."))
    return done(url_for(".users"))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def user_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        audit.record("user.password", f"user {user.email}", after={"password": "(new)"})
        save(True, _("The new password is set; give it to the person safely."))
        return done(url_for(".user", user_id=user.id))
    return render_template("admin/password.html", user=user, form=form)


# The audit log


@bp.get("/audit")
def audit_log():
    form = AuditFilterForm(formdata=request.args)
    people = db.session.scalars(select(User).order_by(User.email)).all()
    form.user.choices = (
        [SelectChoice("", _("Anyone"))]
        + [SelectChoice(str(person.id), person.email) for person in people]
        + [SelectChoice("system", _("The system (no account)"))]
    )
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    form.action.choices = [SelectChoice("", _("Any action"))] + [
        SelectChoice(action, action_name(action)) for action in actions
    ]
    form.validate()

    query = select(AuditEntry)
    if form.user.data == "system":
        query = query.where(AuditEntry.user_id.is_(None))
    elif form.user.data and not form.user.errors:
        query = query.where(AuditEntry.user_id == int(form.user.data))
    if form.action.data and not form.action.errors:
        query = query.where(AuditEntry.action == form.action.data)
    timezone = office_timezone()
    if form.since.data and not form.since.errors:
        query = query.where(
            AuditEntry.at >= day_bounds(form.since.data, form.since.data, timezone)[0]
        )
    if form.until.data and not form.until.errors:
        query = query.where(
            AuditEntry.at < day_bounds(form.until.data, form.until.data, timezone)[1]
        )
    page = db.paginate(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
        page=page_number(),
        per_page=page_size(),
        error_out=False,
    )
    filters = {name: value for name, value in request.args.items() if name != "page" and value}
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        filters=filters,
        reader=Reader(),
        action_name=action_name,
        target_text=target_text,
    )


# The e-mail outbox


def pause_causes() -> dict[tuple[Medium, PauseCause], str]:
    email, sms = Medium.EMAIL, Medium.SMS
    return {
        (email, PauseCause.UNAVAILABLE): _(
            "The mail server cannot be reached or closed the connection."
        ),
        (email, PauseCause.LOGIN): _(
            "The mail server does not let the service in (greeting, encryption or login)."
        ),
        (email, PauseCause.SENDER): _("The mail server refuses the service's sender address."),
        (sms, PauseCause.UNAVAILABLE): _("The SMS gateway cannot be reached or returns an error."),
        (sms, PauseCause.LOGIN): _(
            "The SMS gateway does not accept the service's token, or the account has no credit."
        ),
        (sms, PauseCause.SENDER): _("The SMS gateway refuses the service's sender name."),
    }


def message_kinds() -> dict[str, str]:
    return {
        "verification": _("Link to confirm a request"),
        "confirmation": _("Confirmation of a visit"),
        "cancellation": _("Cancellation of a visit"),
        "declined": _("Request declined"),
        "reminder": _("Reminder of a visit"),
        "staff_request": _("Request waiting for staff"),
        "interpreter": _("Sign-language interpreter to arrange"),
    }


@bp.get("/outbox")
def outbox():
    page = db.paginate(
        select(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.FAILED)
        .order_by(OutboxMessage.id.desc()),
        page=page_number(),
        per_page=page_size(),
        error_out=False,
    )
    visit_ids = {message.visit_id for message in page.items if message.visit_id}
    references = dict(
        db.session.execute(select(Visit.id, Visit.reference).where(Visit.id.in_(visit_ids))).all()
    )
    pauses = db.session.scalars(
        select(OutboxPause).order_by(OutboxPause.started_at.desc(), OutboxPause.id.desc()).limit(5)
    ).all()
    return render_template(
        "admin/outbox.html",
        outbox=outbox_state(utcnow()),
        causes=pause_causes(),
        kinds=message_kinds(),
        page=page,
        references=references,
        pauses=pauses,
        form=ButtonForm(),
    )


@bp.post("/outbox/<int:message_id>/send-again")
def outbox_send_again(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    if not ButtonForm().validate_on_submit():
        return done(url_for(".outbox"))
    if message.status is not MessageStatus.FAILED:
        flash(_("This message has not failed: it is waiting or has been sent."), "info")
        return done(url_for(".outbox"))
    # The log names the message, never its recipient: the log outlives the visit's data.
    before = audit.snapshot(message, ["status", "attempts", "last_error"])
    send_again(message, utcnow())
    after = audit.snapshot(message, ["status", "attempts"])
    name = "text message" if message.medium is Medium.SMS else "e-mail"
    audit.record("outbox.send_again", f"{name} {message.id} ({message.kind})", before, after)
    save(True, _("The message is back in the queue; the scheduler sends it on its next run."))
    return done(url_for(".outbox"))
