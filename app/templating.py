"""Template filters and globals: catalog texts and times in the reader's language."""

import re
from datetime import date, datetime
from urllib.parse import quote, urlencode

from babel import dates
from flask import Flask, current_app, request, url_for
from flask_babel import format_time, get_locale, to_user_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.booking.messages import (
    STATUS_NAMES,
    attendance_rule,
    declared,
    history_note,
    reason_of,
)
from app.booking.schedule import office_day, office_timezone
from app.booking.slot_codec import slot_value
from app.i18n import LANGUAGE_NAMES, date_locale, localized
from app.kiosk.arrival import arrival_text, checks_in_at_kiosk, spaced_code

POLISH_NUMBER_DIGITS = 9
POLICY_NAMES = {
    "online": _l("visit online"),
    "by_phone": _l("visit by phone"),
    "none": _l("no visits"),
}
CHANNEL_NAMES = {
    "email": _l("E-mail"),
    "phone": _l("Phone"),
    "infoline": _l("Infoline"),
    "epuap": _l("ePUAP box"),
    "form": _l("Electronic form"),
    "post": _l("Post"),
    "helpline": _l("Helpline"),
}
ERROR_TEXTS = {
    400: (_l("The request could not be handled"), None),  # the description says why
    403: (_l("No access"), _l("Your account may not open this page.")),
    404: (
        _l("Page not found"),
        _l("There is no such page. It may have moved or the link is wrong."),
    ),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    429: (_l("Too many requests"), None),  # the description says how long to wait
    500: (
        _l("Something went wrong"),
        _l("We could not finish this. Nothing was saved; please try again in a moment."),
    ),
}


def tel_uri(number: str) -> str:
    """A phone number as a tap-to-call link: Polish subscriber numbers (nine digits) with
    +48, short ones (112) and numbers given with a + as they are."""
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+"):
        return f"tel:+{digits}"
    return f"tel:+48{digits}" if len(digits) == POLISH_NUMBER_DIGITS else f"tel:{digits}"


def local_time(value: datetime) -> str:
    return format_time(value, "HH:mm")


def local_date(value: date | datetime) -> str:
    """A day in full, the one way every page and e-mail writes it: "piątek, 4 grudnia 2026"."""
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    return dates.format_date(value, "full", locale=date_locale())


def office_day_text(value: datetime) -> str:
    """The office's local day of an instant, as a picker's link names it (``2026-12-04``)."""
    return office_day(value).isoformat()


def month_name(value: date) -> str:
    """The month and year as a calendar's heading names them ("grudzień 2026")."""
    return dates.format_date(value, "LLLL y", locale=date_locale())


def local_datetime(value: datetime) -> str:
    """A day and an hour, each as everywhere else: "piątek, 4 grudnia 2026, 10:00"."""
    return f"{local_date(value)}, {local_time(value)}"


# The office areas in the header: (endpoint, label, roles that see it).
OFFICE_AREAS = [
    ("staff.agenda", _l("Agenda"), ("staff", "admin")),
    ("statistics.index", _l("Statistics"), ("staff", "admin")),
    ("operator.index", _l("Infoline"), ("operator", "admin")),
    ("admin.index", _l("Administration"), ("admin",)),
]


def office_links() -> list[tuple[str, str]]:
    """Links to the office areas the logged-in user may open."""
    role = current_user.role.value
    return [
        (str(label), url_for(endpoint))
        for endpoint, label, roles in OFFICE_AREAS
        if role in roles and endpoint in current_app.view_functions
    ]


def chosen_slot(location, start: datetime) -> str:
    """A free time as a form sends it back (``app.booking.slot_codec``)."""
    return slot_value(location.slug, start, office_timezone())


def url_in_language(language: str) -> str:
    """This page in another language (the choice sticks in the session); a page not found
    gives the home page. Its own query string kept as it came: as arguments of ``url_for``
    names such as ``endpoint`` or ``_external`` would be taken for its own."""
    if request.endpoint is None:
        return url_for("matters.index", lang=language)
    query = [(name, value) for name, value in request.args.items(multi=True) if name != "lang"]
    path = quote(request.script_root + request.path)  # as it came: the path is given decoded
    return f"{path}?{urlencode([*query, ('lang', language)])}"


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        history_note=history_note,
        reason_of=reason_of,
        declared=declared,
        localized=localized,
        local_time=local_time,
        local_date=local_date,
        local_datetime=local_datetime,
        month_name=month_name,
        office_day=office_day_text,
        tel_uri=tel_uri,
    )
    app.jinja_env.filters.update(spaced_code=spaced_code)
    app.jinja_env.globals.update(
        url_in_language=url_in_language,
        office_links=office_links,
        slot_value=chosen_slot,
        checks_in_at_kiosk=checks_in_at_kiosk,
        arrival_text=arrival_text,
        attendance_rule=attendance_rule,
    )

    @app.context_processor
    def template_names():
        return {
            "policy_names": POLICY_NAMES,
            "channel_names": CHANNEL_NAMES,
            "error_texts": ERROR_TEXTS,
            "status_names": STATUS_NAMES,
            "weekday_names": dates.get_day_names("wide", locale=date_locale()),
            "weekday_abbreviations": dates.get_day_names("abbreviated", locale=date_locale()),
            "current_language": str(get_locale()),
            "language_names": {
                code: LANGUAGE_NAMES[code] for code in current_app.config["LANGUAGES"]
            },
        }
