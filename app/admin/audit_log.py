"""The audit log as an administrator reads it: each action and field in plain words, states
and places by their names, and every time the office's local time, whichever way an entry
stored it (the infoline's entries kept UTC, the others local time)."""

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.admin.forms import (
    ROLE_CHOICES,
    ClosureForm,
    HoursForm,
    KioskForm,
    LocationForm,
    MatterForm,
    NewAccountForm,
    PasswordForm,
    UnitForm,
)
from app.booking.schedule import office_timezone
from app.extensions import db
from app.i18n import LANGUAGE_NAMES, localized
from app.matters.models import Location, Matter, Unit
from app.staff.texts import STATUS_LABELS
from app.templating import local_datetime

ACTION_NAMES = {
    "login": _l("Logged in"),
    "visit.book": _l("Booked a visit for a caller"),
    "visit.confirm": _l("Confirmed a request"),
    "visit.decline": _l("Declined a request"),
    "visit.cancel": _l("Cancelled a visit"),
    "visit.move": _l("Moved a visit"),
    "visit.arrived": _l("Marked that the visitor arrived"),
    "visit.attended": _l("Marked the visit as attended"),
    "visit.no_show": _l("Marked that the visitor did not come"),
    "visit.undo": _l("Undid a day mark"),
    "visit.call": _l("Called a visitor to a desk"),
    "visit.handled": _l("Took a visit off the list that needs attention"),
    "closure.add": _l("Added a closure"),
    "closure.remove": _l("Removed a closure"),
    "unit.update": _l("Changed a unit"),
    "location.update": _l("Changed a location"),
    "location.hours": _l("Changed reception hours"),
    "matter.update": _l("Changed a matter"),
    "user.create": _l("Created an account"),
    "user.update": _l("Changed an account"),
    "user.password": _l("Set a new password"),
    "user.disable": _l("Disabled an account"),
    "user.enable": _l("Enabled an account"),
    "kiosk.add": _l("Added a kiosk"),
    "kiosk.link": _l("Issued a new set-up link for a kiosk"),
    "kiosk.withdraw": _l("Withdrew a kiosk"),
    "outbox.send_again": _l("Sent an e-mail again"),
    "personal_data.exported": _l("Exported a person's data"),
}
# What an entry is about: its target begins with one of these.
TARGET_KINDS = {
    "visit": _l("visit"),
    "closure": _l("closure"),
    "unit": _l("unit"),
    "location": _l("location"),
    "matter": _l("matter"),
    "user": _l("account"),
    "e-mail": _l("e-mail"),
    "kiosk": _l("kiosk"),
}
# Fields no admin form names (a visit's, a closure's); the forms name the rest.
OTHER_FIELDS = {
    "status": _l("State"),
    "starts_at": _l("Start"),
    "ends_at": _l("End"),
    "location_id": _l("Place"),
    "location": _l("Place"),
    "locations": _l("Places"),
    "unit_id": _l("Unit"),
    "matter_id": _l("Matter"),
    "desk": _l("Desk"),
    "called_to": _l("Called to"),
    "attention": _l("Needs attention"),
    "active": _l("Active"),
    "password": _l("Password"),
    "languages": _l("Languages"),
    "found_by": _l("Found by"),
    "visits": _l("Visits"),
}
# The forms that name the fields of each kind of target.
FORMS = {
    "unit": (UnitForm,),
    "location": (LocationForm, HoursForm),
    "matter": (MatterForm,),
    "closure": (ClosureForm,),
    "user": (NewAccountForm, PasswordForm),  # the latter names a password set later
    "kiosk": (KioskForm,),
}


def action_name(action: str) -> str:
    return str(ACTION_NAMES.get(action, action))


def target_text(target: str) -> str:
    kind, _space, rest = target.partition(" ")
    return f"{TARGET_KINDS[kind]} {rest}" if kind in TARGET_KINDS else target


class Reader:
    """Names for one page of the log: the forms' labels and the catalog's names, read once."""

    def __init__(self):
        self.fields = {
            kind: {
                field.name: str(field.label.text)
                for form in forms
                for field in form(formdata=None, meta={"csrf": False})
            }
            for kind, forms in FORMS.items()
        }
        self.places = {loc.id: loc for loc in db.session.scalars(select(Location))}
        self.places_by_slug = {loc.slug: loc for loc in self.places.values()}
        self.units = {unit.id: unit for unit in db.session.scalars(select(Unit))}
        self.units_by_slug = {unit.slug: unit for unit in self.units.values()}
        self.matters = {matter.id: matter for matter in db.session.scalars(select(Matter))}
        self.roles = {choice.value: str(choice.label) for choice in ROLE_CHOICES}

    def field(self, kind: str, name: str) -> str:
        """The field ``name`` of a ``kind`` of target; ``title.pl`` as "Title (polski)"."""
        base, _dot, language = name.partition(".")
        label = self.fields.get(kind, {}).get(base) or str(OTHER_FIELDS.get(base, base))
        return f"{label} ({LANGUAGE_NAMES.get(language, language)})" if language else label

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, list):
            return ", ".join(self.value(name, item) for item in value)
        if name == "status" and value in STATUS_LABELS:
            return str(STATUS_LABELS[value])
        if name == "password":  # never the password itself: that a new one was set
            return _("a new one set")
        if name == "role" and value in self.roles:
            return self.roles[value]
        named = {
            "location_id": self.places,
            "unit_id": self.units,
        }.get(name)
        if named is not None and value in named:
            return localized(named[value].name)
        if name == "matter_id" and value in self.matters:
            return localized(self.matters[value].title)
        if name in ("location", "locations") and value in self.places_by_slug:
            return localized(self.places_by_slug[value].name)
        if name == "units" and value in self.units_by_slug:
            return localized(self.units_by_slug[value].name)
        return moment_text(value) or str(value)

    def changes(self, entry: AuditEntry) -> list[tuple[str, str, str]]:
        """What an entry changed, as (field, before, after), in plain words."""
        kind = entry.target.partition(" ")[0]
        before, after = flatten(entry.before), flatten(entry.after)
        names = list(dict.fromkeys([*before, *after]))
        shown = [
            (name, self.value(name, before.get(name)), self.value(name, after.get(name)))
            for name in names
        ]
        return [(self.field(kind, name), old, new) for name, old, new in shown if old != new]


def moment_text(value: Any) -> str | None:
    """A stored time ("2026-12-07T10:00:00+01:00", "2026-12-07 10:00") as local time."""
    if not isinstance(value, str) or len(value) < 16 or value[4] != "-":
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:  # the administrators' closures: local wall-clock time already
        moment = moment.replace(tzinfo=office_timezone())
    return local_datetime(moment)


def flatten(values: dict | None, prefix: str = "") -> dict[str, Any]:
    """``{"title": {"pl": …}}`` as ``{"title.pl": …}``, so that one changed language shows."""
    flat: dict[str, Any] = {}
    for name, value in (values or {}).items():
        if isinstance(value, dict):
            flat |= flatten(value, f"{prefix}{name}.")
        else:
            flat[f"{prefix}{name}"] = value
    return flat
