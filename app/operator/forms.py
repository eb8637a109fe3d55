"""The infoline's forms: two search boxes, the caller's details, cancelling and moving."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, SearchField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.booking.forms import strip, valid_phone
from app.booking.requests import parse_start
from app.booking.schedule import office_timezone
from app.i18n import LANGUAGE_NAMES

# A free time travels as "<location slug>|<ISO start>", e.g. "olszanska|2026-12-02T07:30:00+01:00".
SLOT_SEPARATOR = "|"
CHOOSE_A_TIME = _l("Choose a time.")


def slot_value(location_slug: str, start: datetime) -> str:
    return f"{location_slug}{SLOT_SEPARATOR}{start.astimezone(office_timezone()).isoformat()}"


def parse_slot(text: str | None) -> tuple[str, datetime] | None:
    location_slug, _sep, start_text = (text or "").partition(SLOT_SEPARATOR)
    start = parse_start(start_text, office_timezone())
    return (location_slug, start) if location_slug and start else None


class SlotField(Field):
    """A free time: its data is (location slug, aware start), or None if none was chosen."""

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0]:
            self.data = parse_slot(valuelist[0])
            if self.data is None:
                raise ValueError(CHOOSE_A_TIME)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return slot_value(*self.data) if self.data else ""


class SearchForm(FlaskForm):
    """The two boxes of the start screen; plain GET forms (nothing changes, no CSRF)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Matter"), validators=[Length(max=100)], filters=[strip])
    visit = SearchField(
        _l("Reference or phone number"), validators=[Length(max=40)], filters=[strip]
    )


class CallerForm(FlaskForm):
    """Who comes: the caller, reachable by phone (an e-mail gets them the confirmation)."""

    name = StringField(
        _l("Full name of the person who comes"),
        validators=[InputRequired(), Length(min=2, max=120)],
        filters=[strip],
    )
    phone = TelField(_l("Phone"), validators=[InputRequired(), valid_phone], filters=[strip])
    email = EmailField(
        _l("E-mail (optional)"), validators=[Optional(), Length(max=254), Email()], filters=[strip]
    )
    language = SelectField(
        _l("Language of our e-mails"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        default="pl",
    )
    slot = SlotField(validators=[InputRequired(message=CHOOSE_A_TIME)])


class CancelForm(FlaskForm):
    reason = StringField(
        _l("Reason (the caller receives it)"),
        validators=[InputRequired(), Length(max=500)],
        filters=[strip],
        default=_l("At the caller's request."),
    )


class MoveForm(FlaskForm):
    slot = SlotField(_l("New time"), validators=[InputRequired(message=CHOOSE_A_TIME)])
