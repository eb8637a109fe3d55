"""The visitor's details, validated the same way for the web form and the API."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from app.booking.messages import COMPANION_NAMES, MORE_TIME, SIGN_LANGUAGE_NAMES, STEP_FREE
from app.booking.needs import Companion, Needs, SignLanguage
from app.booking.operations import Visitor
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


class NeedsFields:
    """Who may come too, what the office prepares, and the case's reference (shown only where
    the matter asks for it): all optional."""

    companion = RadioField(
        _l("Companion"),
        choices=[
            SelectChoice("", _l("No one: one person comes")),
            *(SelectChoice(kind.value, name) for kind, name in COMPANION_NAMES.items()),
        ],
        default="",
        description=_l("Only in these cases may a second person come to the meeting."),
    )
    sign_language = SelectField(
        _l("Sign-language interpreter"),
        choices=[
            SelectChoice("", _l("Not needed")),
            *(SelectChoice(kind.value, name) for kind, name in SIGN_LANGUAGE_NAMES.items()),
        ],
        default="",
    )
    step_free = BooleanField(STEP_FREE)
    more_time = BooleanField(MORE_TIME)
    case_reference = StringField(
        _l("Case reference (optional)"),
        validators=[Length(max=40), PlainText()],
        filters=[strip],
    )

    def needs(self) -> Needs:
        """What was declared, after validation."""
        return Needs(
            Companion(self.companion.data) if self.companion.data else None,
            SignLanguage(self.sign_language.data) if self.sign_language.data else None,
            bool(self.step_free.data),
            bool(self.more_time.data),
        )


def visitor_of(form) -> Visitor:
    """The visitor a booking form describes (the citizen's, the API's, the infoline's): who
    comes, how to reach them, and what they declared."""
    return Visitor(
        name=form.name.data,
        email=form.email.data or None,
        phone=form.phone.data or None,
        language=form.language.data,
        needs=form.needs(),
        case_reference=form.case_reference.data or "",
    )


class ProgramSigns:
    """The two fields of a public form that carry the signs of a program (``app.booking.bots``),
    drawn by the ``program_signs`` macro."""

    website = StringField(_l("Leave this field empty"))  # only programs see it
    shown_at = HiddenField()


class BookingForm(FlaskForm, VisitorFields, NeedsFields, ProgramSigns):
    """The citizen's web form; the slot travels in hidden fields."""

    location = HiddenField(validators=[InputRequired()])
    start = HiddenField(validators=[InputRequired()])


class VisitRequestForm(Form, VisitorFields, NeedsFields):
    """The body of ``POST /api/v1/visits`` (no CSRF: the API takes JSON, not cookies)."""

    matter = StringField(validators=[InputRequired()])
    location = StringField(validators=[InputRequired()])
    start = StringField(validators=[InputRequired()])
