"""Every input checked once at the edge, whichever door it comes through (a form, the API, the
office screens): text without characters no one types, days and numbers within what the
arithmetic and the database hold. Nothing past these checks can turn into a 500."""

import unicodedata
from datetime import date

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms.validators import ValidationError

# Days anyone means (the agenda's weeks, closures, filters): far enough from datetime's limits
# that the arithmetic on them (a week before, a day after, to UTC) cannot overflow.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)
PLAUSIBLE_YEARS = range(FIRST_DAY.year, LAST_DAY.year + 1)
LARGEST_ID = 2**31 - 1  # PostgreSQL's integer
LAST_PAGE = 100_000


def strip(value):
    return value.strip() if isinstance(value, str) else value


def text_problem(text: str, multiline: bool = False):
    """Why ``text`` cannot be taken, or None: a control character (NUL, a line break in a one-line
    field: it would reach the e-mails' headers and text), or half of a UTF-16 pair, which JSON
    can carry and no database can store."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs":
            return _l("Must not contain characters that are not text.")
        if category == "Cc" and not (multiline and char in "\r\n\t"):
            return _l("Must not contain control characters.")
    return None


class PlainText:
    """The WTForms validator of ``text_problem``."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, _form, field) -> None:
        if isinstance(field.data, str) and (problem := text_problem(field.data, self.multiline)):
            raise ValidationError(problem)


def plausible_day(_form, field) -> None:
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Enter a day between the years 2000 and 2999."))


def page_number() -> int:
    """``?page=`` of a list: a page from 1 to LAST_PAGE (beyond the last one, an empty page)."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), LAST_PAGE)


class IdConverter(IntegerConverter):
    """``<int:…>`` in routes: an id larger than the database holds is no page (404), not an
    overflow (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)
