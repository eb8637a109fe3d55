from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Regexp


def digits_only(value):
    """The code as typed, without the spaces or dashes people put in it."""
    return "".join(value.split()).replace("-", "") if isinstance(value, str) else value


class CheckInForm(FlaskForm):
    code = StringField(
        _l("Check-in code"),
        filters=[digits_only],
        validators=[Regexp(r"^\d{6}$", message=_l("Please type the six digits of the code."))],
    )
