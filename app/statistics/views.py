"""The statistics area: administrators see every unit, staff their own units."""

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

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
    first, last = last_month(today)
    form = StatisticsFilter(request.args, today=today, data={"first": first, "last": last})
    form.unit.choices = [("", _("All units"))] + [(u.slug, localized(u.name)) for u in units]
    form.matter.choices = [("", _("All matters"))] + [(m.slug, localized(m.title)) for m in matters]
    form.location.choices = [("", _("All places"))] + [
        (loc.slug, localized(loc.name)) for loc in my_locations()
    ]
    return form, matters


def chosen_scope(form: StatisticsFilter, matters: list[Matter]) -> Scope:
    chosen = [
        matter
        for matter in matters
        if (not form.unit.data or matter.unit.slug == form.unit.data)
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
