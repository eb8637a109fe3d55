"""Public catalog pages: the list of matters and each matter's page with its free times."""

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.booking.picker import build_picker, picker_choice
from app.booking.schedule import first_free_days
from app.database import utcnow
from app.extensions import db
from app.matters.forms import MatterSearchForm
from app.matters.models import Location, Matter
from app.matters.queries import matter_or_404
from app.matters.search import find_matters

bp = Blueprint("matters", __name__)


@bp.get("/")
def index():
    """Every matter in one compact list, each booked online with its first free day, and a
    search box over their titles in every language (``?q=``)."""
    matters = db.session.scalars(
        select(Matter)
        .order_by(Matter.unit_id, Matter.id)
        .options(selectinload(Matter.locations).selectinload(Location.hours))
    ).all()
    first_free = first_free_days([m for m in matters if m.is_bookable_online], utcnow())
    form = MatterSearchForm(request.args)
    query = form.q.data if form.validate() else ""
    found = find_matters(matters, query) if query else None
    return render_template(
        "matters/index.html", matters=matters, first_free=first_free, form=form, found=found
    )


@bp.get("/privacy")
def privacy():
    """The information clause (RODO art. 13): who holds the visitors' data, why, how long."""
    matters = db.session.scalars(select(Matter).order_by(Matter.unit_id, Matter.id)).all()
    return render_template(
        "matters/privacy.html",
        matters=[matter for matter in matters if matter.has_visits],
        controller=current_app.config["PRIVACY_CONTROLLER"],
        officer=current_app.config["DATA_PROTECTION_OFFICER"],
    )


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (deklaracja dostępności), in the order of the Polish
    template: status, what was tested and how, the contact and the complaint procedure."""
    config = current_app.config
    return render_template(
        "matters/accessibility.html",
        email=config["ACCESSIBILITY_CONTACT_EMAIL"],
        phone=config["ACCESSIBILITY_CONTACT_PHONE"],
        published=config["ACCESSIBILITY_PUBLISHED"],
        made=config["ACCESSIBILITY_STATEMENT_DATE"],
        reviewed=config["ACCESSIBILITY_REVIEWED"],
    )


@bp.get("/matters/<slug>")
def matter(slug: str):
    matter = matter_or_404(slug)
    context = {"matter": matter}
    if matter.is_bookable_online:
        context["picker"] = build_picker(matter, utcnow(), **picker_choice())
    return render_template("matters/matter.html", **context)
