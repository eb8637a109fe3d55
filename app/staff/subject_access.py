"""A person's request for a copy of their data (RODO art. 15): everything Wizyta holds about
them, found by a visit's reference or by their e-mail address, as one JSON file; each export
is audited. Staff export their units' visits; an administrator (the data protection officer's
colleague) the whole office's.
"""

import json
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts import audit
from app.booking.models import Visit
from app.booking.people import Person, same_person
from app.booking.references import parse_reference
from app.database import utcnow
from app.extensions import db
from app.mail.models import OutboxMessage
from app.staff.blueprint import bp
from app.staff.forms import SubjectAccessForm
from app.staff.scope import in_my_units


def person_asked_for(form: SubjectAccessForm) -> Person | None:
    """The person of the visit with this reference, or of this e-mail address."""
    typed = form.person.data
    if "@" in typed:
        return Person.of(typed, None)
    reference = parse_reference(typed)
    visit = reference and db.session.scalar(select(Visit).where(Visit.reference == reference))
    if not visit or not in_my_units(visit):
        return None  # another unit's reference is not found either
    return Person.of(visit.email, visit.phone)


def visits_of(person: Person) -> list[Visit]:
    query = (
        select(Visit)
        .where(same_person(person))
        .options(selectinload(Visit.changes), selectinload(Visit.matter))
        .order_by(Visit.starts_at)
    )
    return [visit for visit in db.session.scalars(query) if in_my_units(visit)]


def when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def visit_document(visit: Visit, messages: list[OutboxMessage]) -> dict:
    """One visit as the person may read it. Who at the office changed it is named "office",
    not by the employee's address: that is the employee's data."""
    erased_after = visit.ends_at + timedelta(days=visit.matter.retention_days)
    return {
        "reference": visit.reference,
        "matter": visit.matter.title,
        "location": {"name": visit.location.name, "address": visit.location.address},
        "starts_at": when(visit.starts_at),
        "ends_at": when(visit.ends_at),
        "state": visit.status.value,
        "name": visit.name,
        "email": visit.email,
        "phone": visit.phone,
        "language": visit.language,
        "case_reference": visit.case_reference or None,
        "declared_at_booking": {
            "companion": visit.companion and visit.companion.value,
            "sign_language_interpreter": visit.sign_language and visit.sign_language.value,
            "step_free_entrance": visit.step_free,
            "more_time": visit.more_time,
        },
        "booked": {"at": when(visit.created_at), "channel": visit.channel.value},
        "reason_given_by_the_office": visit.reason or None,
        "reminded_at": when(visit.reminded_at),
        "personal_data_erased_after": when(erased_after),
        "history": [
            {
                "at": when(change.at),
                "from": change.from_status.value if change.from_status else None,
                "to": change.to_status.value,
                "by": change.actor if change.actor in ("citizen", "scheduler") else "office",
            }
            for change in visit.changes
        ],
        "messages": [
            {
                "kind": message.kind,
                "to": message.recipient,
                "subject": message.subject,
                "state": message.status.value,
                "queued_at": when(message.queued_at),
                "sent_at": when(message.sent_at),
            }
            for message in messages
        ],
    }


def export_document(visits: list[Visit], now: datetime) -> dict:
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.visit_id.in_([visit.id for visit in visits]))
        .order_by(OutboxMessage.id)
    ).all()
    of_visit: dict[int, list[OutboxMessage]] = {}
    for message in messages:
        of_visit.setdefault(message.visit_id, []).append(message)
    return {
        "controller": current_app.config["PRIVACY_CONTROLLER"],
        "exported_at": now.isoformat(),
        "purpose": "Arranging and receiving visits at the office (RODO art. 6(1)(e))",
        "visits": [visit_document(visit, of_visit.get(visit.id, [])) for visit in visits],
    }


@bp.route("/personal-data", methods=["GET", "POST"], endpoint="subject_access")
def subject_access():
    form = SubjectAccessForm()
    if form.validate_on_submit():
        person = person_asked_for(form)
        visits = visits_of(person) if person else []
        if visits:
            now = utcnow()
            by = "e-mail" if "@" in form.person.data else "reference"
            audit.record(
                "personal_data.exported",
                ", ".join(visit.reference for visit in visits),
                after={"found_by": by, "visits": len(visits)},
            )
            document = export_document(visits, now)
            db.session.commit()
            name = f"wizyta-personal-data-{now:%Y-%m-%d}.json"
            body = json.dumps(document, ensure_ascii=False, indent=2)
            return current_app.response_class(
                body,
                mimetype="application/json",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        form.person.errors.append(
            _("Nothing is held about this person in your units' visits. Check what was typed.")
        )
    status = 422 if form.errors else 200
    return render_template("staff/subject_access.html", form=form), status
