"""The matter search box."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField
from wtforms.validators import Length

from app.inputs import strip


class MatterSearchForm(FlaskForm):
    """The matter box of the home page and the infoline: a plain GET form (nothing changes,
    no CSRF)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Matter"), validators=[Length(max=100)], filters=[strip])
