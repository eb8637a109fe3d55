"""The staff's forms. Every POST, these and the plain buttons (confirm, remove a closure),
carries the CSRF token that Flask-WTF's CSRFProtect checks before any view runs."""

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.booking.schedule import office_timezone
from app.booking.states import DAY_MARKS
from app.database import utcnow
from app.inputs import PlainText, plausible_day, strip
from app.staff.texts import DECLINE_REASONS


class ReasonForm(FlaskForm):
    """Decline or cancel: the visitor receives the reason in the e-mail."""

    reason = TextAreaField(
        _l("Reason (the visitor receives it)"),
        validators=[
            DataRequired(_l("Write the reason the visitor will read.")),
            Length(max=500),
            PlainText(multiline=True),
        ],
        filters=[strip],
    )


class DeclineForm(FlaskForm):
    """Decline a request: one of the usual reasons (the visitor reads it in their language),
    words of the office's own, or both."""

    usual = RadioField(
        _l("Reason"),
        choices=[SelectChoice("", _l("Only the words below"))]
        + [SelectChoice(key, text) for key, text in DECLINE_REASONS.items()],
        default="",
        validate_choice=True,
    )
    reason = TextAreaField(
        _l("In your own words (the visitor receives them too)"),
        validators=[Length(max=300), PlainText(multiline=True)],
        filters=[strip],
    )

    def validate_reason(self, field) -> None:
        if not field.data and not self.usual.data:
            raise ValidationError(_l("Choose a reason or write the reason the visitor will read."))


class SubjectAccessForm(FlaskForm):
    """Whose data to export: a visit's reference, or an e-mail address."""

    person = StringField(
        _l("Reference of a visit, or e-mail address"),
        validators=[
            DataRequired(_l("Write a reference (e.g. WP-7K3M9Q) or an e-mail address.")),
            Length(max=254),
            PlainText(),
        ],
        filters=[strip],
    )


class MarkForm(FlaskForm):
    mark = SelectField(choices=[SelectChoice(status.value) for status in sorted(DAY_MARKS)])
    confirmed = BooleanField()  # "did not come" is sent from its confirmation page


class MoveForm(FlaskForm):
    """The new time as ``location-slug|ISO start``, from the picker's confirmation step; the
    booking rules decide (a time may have gone since the page opened)."""

    slot = HiddenField(validators=[DataRequired(_l("Choose a new time."))])


class ClosureForm(FlaskForm):
    """Time a place receives nobody: whole days, or from an hour to an hour."""

    location = SelectField(
        _l("Place"), coerce=int, validators=[InputRequired(_l("Choose a place."))]
    )
    # A place may serve several units: a closure is for the chosen unit's matters only
    # (administrators may close the place for every unit: 0).
    unit = SelectField(_l("For the matters of"), coerce=int, validate_choice=False)
    first_day = DateField(
        _l("First day"),
        validators=[DataRequired(_l("Enter a day as YYYY-MM-DD.")), plausible_day],
    )
    last_day = DateField(
        _l("Last day (empty: the same day)"), validators=[Optional(), plausible_day]
    )
    starts = TimeField(_l("From (empty: the start of the first day)"), validators=[Optional()])
    ends = TimeField(_l("Until (empty: the end of the last day)"), validators=[Optional()])
    reason = StringField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Write why the place is closed.")),
            Length(max=200),
            PlainText(),
        ],
        filters=[strip],
    )

    def validate_last_day(self, field) -> None:
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day cannot come before the first day."))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        start, end = self.interval()
        if end <= start:
            self.ends.errors.append(_l("The closure must end after it starts."))
        elif end <= utcnow():
            self.ends.errors.append(_l("This time is over; a closure must end in the future."))
        return not self.ends.errors

    def interval(self) -> tuple[datetime, datetime]:
        """The closure as two instants, read in the office's time zone."""
        timezone = office_timezone()
        first: date = self.first_day.data
        last: date = self.last_day.data or first
        start = datetime.combine(first, self.starts.data or time(), tzinfo=timezone)
        if self.ends.data:
            end = datetime.combine(last, self.ends.data, tzinfo=timezone)
        else:
            end = datetime.combine(last + timedelta(days=1), time(), tzinfo=timezone)
        return start, end


class DeskForm(FlaskForm):
    """The desk a clerk calls visitors to, as the waiting room's screen shows it."""

    desk = StringField(
        _l("Your desk"),
        filters=[strip],
        validators=[DataRequired(), Length(max=40), PlainText()],
        description=_l("As the screen in the waiting room shows it, e.g. “Desk 3”."),
    )
