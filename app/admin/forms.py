"""The administrators' forms. Field names follow the snapshots in ``app/admin/views.py``, so a
form is filled from a snapshot and its data is the snapshot after the change."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from app.accounts.models import Role, User
from app.extensions import db
from app.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES
from app.inputs import PlainText, plausible_day, strip
from app.matters import settings
from app.matters.hours import Fault, HoursError, parse_day, parse_time

LANGUAGE_LABELS = {
    "pl": _l("Polish"),
    "en": _l("English"),
    "uk": _l("Ukrainian"),
    "ru": _l("Russian"),
}
WEEKDAY_LABELS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
POLICY_CHOICES = [
    SelectChoice("online", _l("Online: citizens request visits themselves")),
    SelectChoice("by_phone", _l("By phone: only the infoline and the unit's staff book")),
    SelectChoice("none", _l("No visits: the page shows how to get in touch")),
]
CONFIRMATION_CHOICES = [
    SelectChoice("auto", _l("Automatic: the scheduler confirms a valid request")),
    SelectChoice("staff", _l("By staff: a staff member decides")),
]
ROLE_CHOICES = [
    SelectChoice(Role.STAFF.value, _l("Unit staff")),
    SelectChoice(Role.OPERATOR.value, _l("Infoline operator")),
    SelectChoice(Role.ADMIN.value, _l("Administrator")),
]
MIN_PASSWORD = 10
SLOT = settings.SETTINGS["slot_minutes"]


def texts_form(required: bool = False, long: bool = False, max_length: int = 4000) -> type[Form]:
    """A text in the four languages: Polish required where ``required``, the rest optional."""

    class Texts(Form):
        pass

    field_class = TextAreaField if long else StringField
    for code, label in LANGUAGE_LABELS.items():
        first = (
            DataRequired(message=_l("The Polish text is required."))
            if required and code == "pl"
            else Optional()
        )
        setattr(
            Texts,
            code,
            field_class(
                label,
                validators=[first, Length(max=max_length), PlainText(multiline=long)],
                filters=[strip],
            ),
        )
    return Texts


def texts_data(data: dict) -> dict[str, str]:
    """A texts sub-form's data as stored: only the languages that have a text."""
    return {code: text for code, text in data.items() if text}


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (no script needed)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def setting_field(label, hint="") -> IntegerField:
    """A matter's numeric setting; ``MatterForm.validate`` holds it to app.matters.settings."""
    return IntegerField(
        label,
        description=hint,
        validators=[InputRequired(message=_l("Enter a whole number."))],
    )


SETTING_MESSAGES = {
    settings.Fault.NOT_A_NUMBER: _l("Enter a whole number."),
    settings.Fault.OUT_OF_RANGE: _l("Enter a whole number from %(min)s to %(max)s."),
    settings.Fault.OFF_STEP: _l("Enter a multiple of %(step)s from %(min)s to %(max)s."),
    settings.Fault.MORE_THAN_DESKS: _l("There cannot be more kept desks than desks."),
    settings.Fault.NOT_BEFORE_HORIZON: _l("The lead time must be shorter than the horizon."),
}


def setting_message(name: str, fault: settings.Fault) -> str:
    setting = settings.SETTINGS[name]
    limits = {"min": setting.lowest, "max": setting.highest, "step": setting.step}
    return SETTING_MESSAGES[fault] % limits


class UnitForm(FlaskForm):
    name = FormField(texts_form(required=True, max_length=200), label=_l("Name"))
    email = EmailField(
        _l("E-mail for requests that wait for a decision"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Enter an e-mail address like name@example.pl.")),
        ],
    )


class LocationForm(FlaskForm):
    name = FormField(texts_form(required=True, max_length=200), label=_l("Name"))
    address = StringField(
        _l("Address"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    entrance = FormField(texts_form(long=True, max_length=1000), label=_l("Entrance"))
    hours_assumed = BooleanField(
        _l("The hours are assumed (the infoline's), not given by the notice")
    )
    waiting_area = FormField(texts_form(max_length=200), label=_l("Where visitors wait"))
    no_show_after_minutes = IntegerField(
        _l("Minutes after the start until a visit not checked in counts as missed"),
        validators=[
            Optional(),
            NumberRange(0, 240, message=_l("Enter a number of minutes from 0 to 240.")),
        ],
    )


class KioskForm(FlaskForm):
    location = SelectField(_l("Place"))
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(), Length(max=80), PlainText()],
        description=_l("As the office calls it, e.g. “Entrance from Basztowa”."),
    )


HOURS_MESSAGES = {
    Fault.NOT_A_TIME: _l("“%(text)s” is not a time HH:MM."),
    Fault.NOT_A_WINDOW: _l("“%(text)s” is not a time range HH:MM-HH:MM."),
    Fault.CLOSES_FIRST: _l("“%(text)s” closes before it opens."),
    Fault.OVERLAP: _l("“%(text)s” and “%(other)s” overlap."),
}


def validate_day(_form, field) -> None:
    """A day's windows, e.g. ``10:00-14:00, 15:00-18:00``; kept parsed in ``field.parsed``."""
    try:
        field.parsed = parse_day(field.data or "")
    except HoursError as error:
        message = HOURS_MESSAGES[error.fault] % {"text": error.text, "other": error.other}
        raise ValidationError(message) from error


class HoursForm(FlaskForm):
    """A day's windows as text, ``10:00-14:00, 15:00-18:00``; empty: no reception that day."""

    mon = StringField(WEEKDAY_LABELS["mon"], filters=[strip], validators=[validate_day])
    tue = StringField(WEEKDAY_LABELS["tue"], filters=[strip], validators=[validate_day])
    wed = StringField(WEEKDAY_LABELS["wed"], filters=[strip], validators=[validate_day])
    thu = StringField(WEEKDAY_LABELS["thu"], filters=[strip], validators=[validate_day])
    fri = StringField(WEEKDAY_LABELS["fri"], filters=[strip], validators=[validate_day])
    sat = StringField(WEEKDAY_LABELS["sat"], filters=[strip], validators=[validate_day])
    sun = StringField(WEEKDAY_LABELS["sun"], filters=[strip], validators=[validate_day])

    def windows(self) -> list[tuple[int, object, object]]:
        """Every window as (weekday, opens, closes), after validation."""
        return [
            (weekday, opens, closes)
            for weekday, day in enumerate(WEEKDAY_LABELS)
            for opens, closes in self[day].parsed
        ]


class MatterForm(FlaskForm):
    title = FormField(texts_form(required=True, max_length=300), label=_l("Title"))
    description = FormField(texts_form(long=True), label=_l("Description"))
    without_visit = FormField(texts_form(long=True), label=_l("How to handle it without a visit"))
    what_to_bring = FormField(texts_form(long=True), label=_l("What to bring"))
    visit_policy = SelectField(_l("Visits"), choices=POLICY_CHOICES)
    confirmation = SelectField(_l("Confirmation"), choices=CONFIRMATION_CHOICES)
    asks_case_reference = BooleanField(
        _l("The booking form asks for the case's reference (optional for the visitor)")
    )
    slot_minutes = setting_field(
        _l("Length of a visit (minutes)"),
        _l(
            "From %(min)s to %(max)s, in steps of %(step)s. Changing it changes the times "
            "offered: the scheduler cancels confirmed visits that no longer start at an offered "
            "time and tells the people.",
            min=SLOT.lowest,
            max=SLOT.highest,
            step=SLOT.step,
        ),
    )
    desks = setting_field(_l("Desks (parallel visits per time)"))
    phone_desks = setting_field(
        _l("Desks kept for the infoline and staff"),
        _l("Online requests cannot take these until the days below before the visit."),
    )
    phone_release_days = setting_field(_l("Days before the visit the kept desks open online"))
    lead_days = setting_field(
        _l("Lead time (working days)"), _l("1 means from the next working day.")
    )
    horizon_days = setting_field(_l("Horizon (calendar days ahead)"))
    retention_days = setting_field(_l("Keep personal data for (days after the visit)"))
    locations = CheckboxesField(_l("Locations"))
    languages = CheckboxesField(
        _l("Also served in"),
        choices=[
            SelectChoice(code, name)
            for code, name in LANGUAGE_NAMES.items()
            if code != DEFAULT_LANGUAGE
        ],
        description=_l("Shown on the list of matters, each language in its own name."),
    )

    def validate(self, extra_validators=None) -> bool:
        """Each field's own checks, then the settings' ranges and the rules between them."""
        valid = super().validate(extra_validators)
        values = {name: self[name].data for name in settings.SETTINGS}
        for name, fault in settings.faults(values).items():
            if not self[name].errors:  # empty or not a number: its field already says so
                self[name].errors.append(setting_message(name, fault))
                valid = False
        return valid

    def validate_locations(self, field) -> None:
        if self.visit_policy.data != "none" and not field.data:
            raise ValidationError(_l("A matter with visits needs at least one location."))


class ClosureForm(FlaskForm):
    location = SelectField(_l("Where"))
    first_day = DateField(_l("First day"), validators=[InputRequired(), plausible_day])
    last_day = DateField(
        _l("Last day"),
        validators=[Optional(), plausible_day],
        description=_l("Empty: the same day."),
    )
    starts = StringField(
        _l("From (HH:MM)"),
        filters=[strip],
        description=_l("Leave both times empty to close whole days."),
    )
    ends = StringField(_l("Until (HH:MM)"), filters=[strip])
    reason = StringField(_l("Reason"), filters=[strip], validators=[Length(max=200), PlainText()])

    def time_of(self, field):
        try:
            return parse_time(field.data) if field.data else None
        except HoursError:
            return None

    def validate_starts(self, field) -> None:
        if field.data and self.time_of(field) is None:
            raise ValidationError(_l("Enter a time like 09:30."))
        if not field.data and self.ends.data:
            raise ValidationError(_l("Enter both times, or neither for whole days."))

    def validate_ends(self, field) -> None:
        if field.data and self.time_of(field) is None:
            raise ValidationError(_l("Enter a time like 09:30."))
        if not field.data and self.starts.data:
            raise ValidationError(_l("Enter both times, or neither for whole days."))

    def validate_last_day(self, field) -> None:
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day cannot come before the first."))


def email_taken(email: str, except_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == email.strip().lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


class AccountForm(FlaskForm):
    """Name, role and units of an account."""

    name = StringField(_l("Full name"), filters=[strip], validators=[Length(max=120), PlainText()])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    units = CheckboxesField(_l("Units"), description=_l("Only for unit staff: at least one."))

    def __init__(self, *args, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.own = own  # the administrator's own account

    def validate_role(self, field) -> None:
        if self.own and field.data != Role.ADMIN.value:
            raise ValidationError(_l("You cannot take the administrator role from yourself."))

    def validate_units(self, field) -> None:
        if self.role.data == Role.STAFF.value and not field.data:
            raise ValidationError(_l("Unit staff need at least one unit."))


class NewAccountForm(AccountForm):
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[
            InputRequired(),
            Length(max=254),
            Email(message=_l("Enter an e-mail address like name@example.pl.")),
        ],
    )
    password = PasswordField(
        _l("Initial password"),
        description=_l("At least 10 characters; give it to the person safely."),
        validators=[
            InputRequired(),
            Length(min=MIN_PASSWORD, max=200, message=_l("Use 10 to 200 characters.")),
        ],
    )

    def validate_email(self, field) -> None:
        if field.data and email_taken(field.data):
            raise ValidationError(_l("This e-mail already has an account."))


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters."),
        validators=[
            InputRequired(),
            Length(min=MIN_PASSWORD, max=200, message=_l("Use 10 to 200 characters.")),
        ],
    )
    repeat = PasswordField(
        _l("The new password again"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ButtonForm(FlaskForm):
    """A form with nothing but its CSRF token, behind a button (disable, remove …)."""


class AuditFilterForm(FlaskForm):
    """The audit log's filters, sent by GET (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    user = SelectField(_l("Who"), default="")
    action = SelectField(_l("Action"), default="")
    since = DateField(_l("From"), validators=[Optional(), plausible_day])
    until = DateField(_l("Until"), validators=[Optional(), plausible_day])

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end cannot come before the start."))
