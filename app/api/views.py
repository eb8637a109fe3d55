"""JSON API v1: the contract other systems build on (names are fixed; see openapi.py)."""

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from app.api.openapi import openapi_document
from app.booking import checks, operations
from app.booking.forms import VisitRequestForm, visitor_of
from app.booking.messages import API_FIELDS, problem_messages, refusal_json
from app.booking.models import Visit
from app.booking.needs import NO_NEEDS
from app.booking.people import Person
from app.booking.rules import BookingRefused
from app.booking.schedule import matter_free_slots, office_day, office_timezone
from app.booking.slot_codec import parse_start
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db, limiter
from app.i18n import localized
from app.inputs import text_problem
from app.matters.models import Location, Matter
from app.matters.queries import matter_with_places
from app.security import booking_rate_limit

bp = Blueprint("api", __name__)


def iso(moment: datetime) -> str:
    return local_iso(moment, office_timezone())


@lru_cache(maxsize=16_384)  # listings write the same times request after request
def local_iso(moment: datetime, timezone: ZoneInfo) -> str:
    return moment.astimezone(timezone).isoformat()


def location_json(location: Location) -> dict:
    return {"slug": location.slug, "name": localized(location.name), "address": location.address}


def matter_json(matter: Matter) -> dict:
    return {
        "slug": matter.slug,
        "title": localized(matter.title),
        "unit": matter.unit.slug,
        "visit_policy": matter.visit_policy.value,
        "confirmation": matter.confirmation.value,
        "locations": [location_json(location) for location in matter.locations],
        "channels": [
            {
                "kind": channel.kind.value,
                "value": channel.value,
                "label": localized(channel.label),
                "hours": localized(channel.hours),
            }
            for channel in matter.channels
        ],
        "languages": matter.languages,
    }


def visit_json(visit: Visit) -> dict:
    return {
        "reference": visit.reference,
        "status": visit.status.value,
        "matter": visit.matter.slug,
        "location": visit.location.slug,
        "start": iso(visit.starts_at),
        "end": iso(visit.ends_at),
    }


def bad_request(message: str):
    return jsonify(error="bad_request", message=message), 400


@bp.get("/matters")
def matters():
    found = db.session.scalars(
        select(Matter)
        .options(
            selectinload(Matter.unit),
            selectinload(Matter.locations),
            selectinload(Matter.channels),
        )
        .order_by(Matter.id)
    ).all()
    return jsonify(matters=[matter_json(matter) for matter in found])


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def query_day(name: str) -> date:
    text = request.args.get(name)
    if not text:
        raise BadRequest(_("Give %(name)s as a date, YYYY-MM-DD.", name=name))
    try:
        # Only the documented form: fromisoformat alone also takes 20261202 and 2026-W49-3.
        if not ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(_("%(name)s is not a date of the form YYYY-MM-DD.", name=name)) from None


@bp.get("/matters/<slug>/slots")
def slots(slug: str):
    matter = None
    if text_problem(slug) is None:
        matter = matter_with_places(slug)
    if matter is None:
        abort(404, _("There is no matter %(slug)s.", slug=slug))
    first, last = query_day("from"), query_day("to")
    if first > last:
        raise BadRequest(_("from must not be after to."))
    now = utcnow()
    horizon = office_day(now) + timedelta(days=matter.horizon_days)
    if last > horizon:
        raise BadRequest(
            _("to is past the booking horizon (%(horizon)s).", horizon=horizon.isoformat())
        )
    locations = matter.locations
    if "location" in request.args:
        location = matter.location(request.args["location"])
        if location is None:
            raise BadRequest(_("This matter is not handled at this location."))
        locations = [location]
    found = matter_free_slots(matter, locations, now, first, last)
    timezone = office_timezone()
    return jsonify(
        slots=[
            {
                "start": local_iso(slot.start, timezone),
                "end": local_iso(slot.end, timezone),
                "location": location.slug,
                "free": slot.free,
            }
            for location, slot in found
        ]
    )


# The request's yes-or-no fields, JSON booleans (the others are strings).
FLAGS = {"step_free", "more_time"}


def value_problem(field: str, value):
    """Why a value of the request's body cannot be taken as it is, or None."""
    if field in FLAGS:
        return None if isinstance(value, bool) else _("Must be true or false.")
    if not isinstance(value, str):
        return _("Must be a string.")
    return text_problem(value)


def form_data(payload: dict) -> MultiDict:
    """The body as the form reads a web form's: a flag set is "y", one not set is left out."""
    data = MultiDict()
    for field, value in payload.items():
        if value_problem(field, value) is None and value is not False:
            data[field] = "y" if value is True else value
    return data


@bp.post("/visits")
@limiter.limit(booking_rate_limit, methods=["POST"])
def create_visit():
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return bad_request(_("The body must be a JSON object."))
    # Values that are not clean strings (or, for a yes-or-no field, booleans) reach neither the
    # form nor the database: they are reported as they are and the form sees them as missing.
    form = VisitRequestForm(
        formdata=form_data(payload),
        # WTForms' own messages ("This field is required.") in the reader's language too.
        meta={"locales": [str(get_locale()), "en"]},
    )
    form.validate()
    errors = {
        field: [str(message) for message in messages] for field, messages in form.errors.items()
    }
    for field, value in payload.items():
        if field in form and value is not None and (problem := value_problem(field, value)):
            errors[field] = [str(problem)]

    matter = db.session.scalar(select(Matter).where(Matter.slug == form.matter.data))
    if form.matter.data and matter is None:
        errors["matter"] = [_("There is no such matter.")]
    start = parse_start(form.start.data or "", office_timezone())
    if form.start.data and start is None:
        errors["start"] = [_("Give the start in ISO 8601, e.g. 2026-12-01T10:00:00+01:00.")]
    if errors:
        if matter is not None and start is not None:
            # Say at once what else is wrong: the rules, as the booking would apply them.
            person = Person.of(form.email.data, form.phone.data)
            needs = NO_NEEDS if form.companion.errors or form.sign_language.errors else form.needs()
            problems = checks.booking_problems(
                matter, form.location.data or "", start, person, Channel.ONLINE, utcnow(), needs
            )
            for field, messages in problem_messages(problems, matter, API_FIELDS).items():
                # A field already found missing or malformed needs no second, misleading
                # message (a missing location is not "a location where this matter is not
                # handled").
                errors.setdefault(field, messages)
        return jsonify(errors=errors), 422

    visitor = visitor_of(form)
    citizen = operations.Actor.citizen_at(get_remote_address())
    try:
        visit = operations.book(matter, form.location.data, start, visitor, citizen, utcnow())
    except BookingRefused as refused:
        db.session.rollback()
        return refusal_json(refused, matter)
    answer = visit_json(visit)  # before the commit expires what the session knows
    db.session.commit()
    return jsonify(answer), 201


@bp.get("/openapi.json")
def openapi():
    online = [
        matter
        for matter in db.session.scalars(
            select(Matter).options(selectinload(Matter.locations)).order_by(Matter.id)
        )
        if matter.is_bookable_online
    ]
    locations = sorted({location.slug for matter in online for location in matter.locations})
    server = url_for("api.matters", _external=True).rsplit("/", 1)[0]
    return jsonify(openapi_document(server, [matter.slug for matter in online], locations))
