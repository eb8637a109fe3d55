"""The staff area: the agenda (a day or a week), requests waiting for a decision, the printable
day list and its CSV. Visit actions are in ``actions``, closures in ``closures``."""

from datetime import timedelta

from flask import abort, render_template, request
from flask_babel import gettext as _

from app.booking.schedule import office_day
from app.database import utcnow
from app.staff import actions, agenda, calls, closures, subject_access  # noqa: F401  (their routes join the blueprint)
from app.staff.blueprint import bp
from app.staff.forms import DeclineForm
from app.staff.scope import chosen_units, my_locations, my_units

__all__ = ["bp"]


def requested_day():
    try:
        return agenda.parse_day(request.args.get("day"), office_day(utcnow()))
    except ValueError:
        abort(400, _("Write the day as YYYY-MM-DD, for example 2026-12-01."))


def requested_unit_ids() -> list[int]:
    return [unit.id for unit in chosen_units(request.args.get("unit"))]


@bp.get("/", endpoint="agenda")
def show_agenda():
    day = requested_day()
    view = "week" if request.args.get("view") == "week" else "day"
    period = agenda.week_of(day) if view == "week" else [day]
    visits = agenda.visits_between(requested_unit_ids(), period[0], period[-1])
    days = period
    if view == "week":  # a day nobody receives on (a weekend) only if it has visits
        receiving = agenda.receiving_weekdays(my_locations())
        with_visits = {office_day(visit.starts_at) for visit in visits}
        days = [d for d in period if d.weekday() in receiving or d in with_visits]
    step = timedelta(days=7 if view == "week" else 1)
    return render_template(
        "staff/agenda.html",
        day=day,
        view=view,
        period=period,
        days=agenda.by_day(visits, days),
        count=len(visits),
        previous=day - step,
        next=day + step,
        today=office_day(utcnow()),
        units=my_units(),
        unit=request.args.get("unit") or None,
        stamp=agenda.stamp(visits),
    )


@bp.get("/agenda-stamp")
def agenda_stamp():
    """What changes when the agenda of the day (and units) asked for does: the page polls it
    and reloads itself when it differs (``static/agenda.js``)."""
    day = requested_day()
    visits = agenda.visits_between(requested_unit_ids(), day, day)
    return {"stamp": agenda.stamp(visits)}


@bp.get("/requests", endpoint="requests")
def waiting_requests():
    visits = agenda.waiting_requests([unit.id for unit in my_units()])
    return render_template("staff/requests.html", visits=visits, decline_form=DeclineForm())


@bp.get("/attention", endpoint="attention")
def needing_attention():
    visits = agenda.needing_attention([unit.id for unit in my_units()])
    return render_template("staff/attention.html", visits=visits)


@bp.get("/day.csv")
def day_csv():
    day = requested_day()
    body = agenda.day_csv(agenda.visits_between(requested_unit_ids(), day, day))
    return body, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="wizyta-{day.isoformat()}.csv"',
    }


@bp.get("/print")
def print_day():
    day = requested_day()
    units = chosen_units(request.args.get("unit"))
    visits = agenda.visits_between([unit.id for unit in units], day, day)
    return render_template(
        "staff/print.html", day=day, locations=agenda.by_location(visits), units=units
    )
