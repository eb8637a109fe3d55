"""The statistics' filters: a period, a unit, a matter, a place, read from the query string
(nothing is changed, so no CSRF token)."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired, ValidationError

from app.inputs import plausible_day

LONGEST_PERIOD = timedelta(days=366)


def last_month(today: date) -> tuple[date, date]:
    """The previous calendar month: what a head of unit reports on."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def listed(_form, field) -> None:
    if field.data not in {choice.value for choice in field.choices}:
        raise ValidationError(_l("Choose one of the listed options."))


class StatisticsFilter(FlaskForm):
    class Meta:
        csrf = False

    first = DateField(
        _l("From"), validators=[DataRequired(_l("Enter a day as YYYY-MM-DD.")), plausible_day]
    )
    last = DateField(
        _l("To"), validators=[DataRequired(_l("Enter a day as YYYY-MM-DD.")), plausible_day]
    )
    # Only what the user may see is listed (a unit member: their units' matters and places).
    unit = SelectField(_l("Unit"), default="", validate_choice=False, validators=[listed])
    matter = SelectField(_l("Matter"), default="", validate_choice=False, validators=[listed])
    location = SelectField(_l("Place"), default="", validate_choice=False, validators=[listed])

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def chosen(self) -> dict[str, str]:
        """The filters as a query string gives them, for the links that keep them (the
        downloads): only these names, whatever else the query string held."""
        values = {name: self[name].data for name in ("unit", "matter", "location")}
        values |= {"first": self.first.data.isoformat(), "last": self.last.data.isoformat()}
        return {name: value for name, value in values.items() if value}

    def validate_last(self, field) -> None:
        if not (self.first.data and field.data):
            return
        if field.data < self.first.data:
            raise ValidationError(_l("The period cannot end before it begins."))
        if field.data > self.today:
            raise ValidationError(
                _l("The statistics end today at the latest: what is ahead has not happened yet.")
            )
        if field.data - self.first.data >= LONGEST_PERIOD:
            raise ValidationError(_l("Choose a period of a year at most."))
