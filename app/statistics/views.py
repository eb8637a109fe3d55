"""The statistics area: administrators see every unit, staff their own units."""

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from app.accounts.access import roles_required
from app.accounts.models import Role
from app.booking.schedule import office_day
from app.database import utcnow
from app.extensions import db
from app.i18n import localized
from app.matters.models import Matter, VisitPolicy
from app.staff.scope import my_locations, my_units
from app.statistics.figures import Scope
from app.statistics.forms import StatisticsFilter, last_month
from app.statistics.report import SECTIONS, Report

bp = Blueprint("statistics", __name__, url_prefix="/statistics")
EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.before_request
@roles_required(Role.STAFF, Role.ADMIN)
def staff_only():
    return None


@bp.after_request
def keep_out_of_caches(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def filter_form() -> tuple[StatisticsFilter, list[Matter]]:
    """The filters of the query string (last month, all of the user's units, by default), with
    the choices the user has."""
    today = office_day(utcnow())
    units = my_units()
    matters = list(
        db.session.scalars(
            select(Matter)
            .where(
                Matter.unit_id.in_([unit.id for unit in units]),
                Matter.visit_policy != VisitPolicy.NONE,
            )
            .order_by(Matter.id)
        )
    )
    # A period not given is last month's (a link may name only a matter or a place).
    query = MultiDict(request.args)
    for name, day in zip(("first", "last"), last_month(today), strict=True):
        query.setdefault(name, day.isoformat())
    form = StatisticsFilter(query, today=today)
    form.unit.choices = [SelectChoice("", _("All units"))] + [
        SelectChoice(unit.slug, localized(unit.name)) for unit in units
    ]
    form.matter.choices = [SelectChoice("", _("All matters"))] + [
        SelectChoice(matter.slug, localized(matter.title)) for matter in matters
    ]
    form.location.choices = [SelectChoice("", _("All places"))] + [
        SelectChoice(location.slug, localized(location.name)) for location in my_locations()
    ]
    return form, matters


def chosen_scope(form: StatisticsFilter, matters: list[Matter]) -> Scope:
    unit_ids = {unit.id for unit in my_units() if unit.slug == form.unit.data}
    chosen = [
        matter
        for matter in matters
        if (not form.unit.data or matter.unit_id in unit_ids)
        and (not form.matter.data or matter.slug == form.matter.data)
    ]
    location_ids = None
    if form.location.data:
        location_ids = tuple(loc.id for loc in my_locations() if loc.slug == form.location.data)
    return Scope(form.first.data, form.last.data, tuple(m.id for m in chosen), location_ids)


@bp.get("/", endpoint="index")
def show_statistics():
    form, matters = filter_form()
    if not form.validate():
        return render_template("statistics/index.html", form=form, report=None), 400
    report = Report(chosen_scope(form, matters))
    sections = [section(report) for section in SECTIONS.values()]
    return render_template("statistics/index.html", form=form, report=report, sections=sections)


@bp.get("/<key>.<extension>", endpoint="export")
def export(key: str, extension: str):
    if key not in SECTIONS or extension not in EXPORTS:
        abort(404)
    form, matters = filter_form()
    if not form.validate():
        abort(
            400,
            " ".join(
                f"{form[name].label.text}: {error}"
                for name, errors in form.errors.items()
                for error in errors
            ),
        )
    scope = chosen_scope(form, matters)
    table = SECTIONS[key](Report(scope)).table
    body = table.csv() if extension == "csv" else table.xlsx()
    name = f"wizyta-{key}-{scope.first.isoformat()}-{scope.last.isoformat()}.{extension}"
    return body, {
        "Content-Type": EXPORTS[extension],
        "Content-Disposition": f'attachment; filename="{name}"',
    }
