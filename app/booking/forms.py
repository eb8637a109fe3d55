"""The visitor's details, validated the same way for the web form and the API."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Form, HiddenField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from app.booking.phones import normalize_phone
from app.i18n import LANGUAGE_NAMES
from app.inputs import PlainText, strip


def valid_phone(_form, field) -> None:
    normalized = normalize_phone(field.data)
    if normalized is None:
        raise ValidationError(_l("Enter a Polish phone number or an international one with +."))
    field.data = normalized


# A person's name: what the API's document states too (2 to 120 characters, no controls).
NAME_RULES = [
    InputRequired(),
    Length(min=2, max=120, message=_l("Please give between %(min)d and %(max)d characters.")),
    PlainText(),
]


class VisitorFields:
    """Who comes: one person, reachable by e-mail (and optionally by phone)."""

    name = StringField(
        _l("Full name"),
        validators=NAME_RULES,
        filters=[strip],
    )
    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(), Length(max=254), Email()],
        filters=[strip],
    )
    phone = TelField(_l("Phone (optional)"), validators=[Optional(), valid_phone], filters=[strip])
    language = SelectField(
        _l("Language of our e-mails"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        default="pl",
    )


class BookingForm(FlaskForm, VisitorFields):
    """The citizen's web form; the slot travels in hidden fields, and two more carry the signs
    of a program (``app.booking.bots``)."""

    location = HiddenField(validators=[InputRequired()])
    start = HiddenField(validators=[InputRequired()])
    website = StringField(_l("Leave this field empty"))  # only programs see it
    shown_at = HiddenField()


class VisitRequestForm(Form, VisitorFields):
    """The body of ``POST /api/v1/visits`` (no CSRF: the API takes JSON, not cookies)."""

    matter = StringField(validators=[InputRequired()])
    location = StringField(validators=[InputRequired()])
    start = StringField(validators=[InputRequired()])
