"""The infoline's forms: two search boxes, the caller's details, cancelling and moving."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, SearchField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.booking.forms import NAME_RULES, NeedsFields, valid_phone
from app.booking.schedule import office_timezone
from app.booking.slot_codec import parse_slot, slot_value
from app.i18n import LANGUAGE_NAMES
from app.inputs import PlainText, strip

CHOOSE_A_TIME = _l("Choose a time.")


class SlotField(Field):
    """A free time: its data is (location slug, aware start), or None if none was chosen."""

    widget = HiddenInput()

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0]:
            self.data = parse_slot(valuelist[0], office_timezone())
            if self.data is None:
                raise ValueError(CHOOSE_A_TIME)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return slot_value(*self.data, office_timezone()) if self.data else ""


class VisitSearchForm(FlaskForm):
    """The start screen's visit box, sent by POST: a caller's phone number stays out of
    addresses, and so out of access logs and the browser's history."""

    visit = SearchField(
        _l("Reference or phone number"), validators=[Length(max=40)], filters=[strip]
    )


class CallerForm(FlaskForm, NeedsFields):
    """Who comes: the caller, reachable by phone (an e-mail gets them the confirmation), and
    what they declare."""

    name = StringField(
        _l("Full name of the person who comes"),
        validators=NAME_RULES,
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
        validators=[InputRequired(), Length(max=500), PlainText()],
        filters=[strip],
        default=_l("At the caller's request."),
    )


class MoveForm(FlaskForm):
    slot = SlotField(_l("New time"), validators=[InputRequired(message=CHOOSE_A_TIME)])
