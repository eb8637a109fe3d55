"""What each booking problem means, in the reader's language, and the two translators every
door uses for a refusal: one for HTML pages, one for the JSON API."""

from collections.abc import Mapping

from flask import flash, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.booking.needs import Companion, SignLanguage
from app.booking.rules import BookingRefused, Problem, Problems
from app.matters.models import Matter

# The states as the visitor reads them (the office says them its own way: app.staff.texts).
STATUS_NAMES = {
    "held": _l("waiting for your e-mail confirmation"),
    "requested": _l("requested, waiting for confirmation"),
    "confirmed": _l("confirmed"),
    "arrived": _l("checked in"),
    "attended": _l("attended"),
    "no_show": _l("missed"),
    "expired": _l("expired (not confirmed in time)"),
    "declined": _l("declined"),
    "cancelled": _l("cancelled"),
}

PROBLEM_MESSAGES = {
    Problem.IN_PAST: _l("This time has already passed."),
    Problem.BEFORE_LEAD_TIME: _l(
        "This date is too soon: visits must be booked %(lead)s working day(s) ahead."
    ),
    Problem.AFTER_HORIZON: _l(
        "This date is too far ahead: visits can be booked at most %(horizon)s days ahead."
    ),
    Problem.HOLIDAY: _l("The office is closed on this public holiday."),
    Problem.CLOSED: _l("The office does not receive visitors at this time."),
    Problem.OUTSIDE_HOURS: _l("This is not one of the visit times in the reception hours."),
    Problem.NOT_ONLINE: _l("Visits for this matter are arranged by phone only."),
    Problem.NO_VISITS: _l("This matter is handled without visits."),
    Problem.UNKNOWN_LOCATION: _l("This matter is not handled at this location."),
    Problem.ALREADY_BOOKED_MATTER: _l("You already have a visit booked for this matter."),
    Problem.TOO_MANY_VISITS: _l("You already have the most visits one person may book at once."),
    Problem.SLOT_TAKEN: _l("Somebody has just taken this time. Please choose another one."),
    Problem.FEWER_DESKS: _l("The office now receives fewer visitors at this time."),
    Problem.WRONG_STATE: _l("This visit is %(state)s: it cannot be changed this way."),
    Problem.HOLD_OVER: _l("The time to confirm this request has passed."),
    Problem.NOT_STARTED: _l(
        "It is too early to mark this visit: arrival can be marked shortly before its time, "
        "attendance and absence from its start."
    ),
    Problem.MARK_NOT_UNDOABLE: _l("Only a mark made today can be undone."),
    Problem.OFFICE_ONLY: _l("Only the office can do this."),
    Problem.CHECK_IN_NOT_YET: _l("It is too early to check in for this visit."),
    Problem.CHECK_IN_OVER: _l("The time to check in for this visit has passed."),
    Problem.INTERPRETER_NOTICE: _l(
        "A sign-language interpreter must be requested at least 3 working days before the "
        "visit. Please choose a later date, or book without an interpreter and call the unit."
    ),
}

# What a visitor declared at booking (``app.booking.needs``), as the office and the visitor read it.
COMPANION_NAMES = {
    Companion.GUARDIAN: _l("A parent or legal guardian of a visitor under 18"),
    Companion.ASSISTANT: _l("An assistant of a visitor who cannot manage alone"),
    Companion.INTERPRETER: _l("An interpreter of a spoken language"),
}

SIGN_LANGUAGE_NAMES = {
    SignLanguage.PJM: _l("Polish Sign Language (PJM)"),
    SignLanguage.SJM: _l("Sign Language System (SJM)"),
    SignLanguage.SKOGN: _l("Communication method of deafblind people (SKOGN)"),
}

STEP_FREE = _l("A step-free entrance")
MORE_TIME = _l("More time for the meeting")


def declared(visit) -> list[str]:
    """What the visitor declared, one line each, in the reader's language (none: nothing)."""
    lines = []
    if visit.companion:
        lines.append(_("Companion: %(who)s", who=COMPANION_NAMES[visit.companion]))
    if visit.sign_language:
        lines.append(
            _(
                "Sign-language interpreter: %(language)s",
                language=SIGN_LANGUAGE_NAMES[visit.sign_language],
            )
        )
    if visit.step_free:
        lines.append(str(STEP_FREE))
    if visit.more_time:
        lines.append(str(MORE_TIME))
    return lines


def attendance_rule(visit) -> str:
    """The one-attendee rule as it applies to the visit, for its e-mails."""
    rule = (
        _("One person may attend the meeting, with the companion declared at booking.")
        if visit.companion
        else _("One person may attend the meeting.")
    )
    if visit.sign_language:
        rule += " " + _("The office arranges the sign-language interpreter.")
    return rule


def problem_message(problem: Problem, matter: Matter, state: str = "") -> str:
    """``state``: the visit's state as the reader names it (for ``WRONG_STATE``)."""
    return str(PROBLEM_MESSAGES[problem]) % {
        "lead": matter.lead_days,
        "horizon": matter.horizon_days,
        "state": state,
    }


def problem_messages(
    problems: Problems, matter: Matter, fields: Mapping[str, str] | None = None, state: str = ""
) -> dict[str, list[str]]:
    """Messages by field; ``fields`` renames the core's fields to a form's or the API's."""
    fields = fields or {}
    messages: dict[str, list[str]] = {}
    for field, found in problems.items():
        named = messages.setdefault(fields.get(field, field), [])
        named += [problem_message(problem, matter, state) for problem in found]
    return messages


def state_name(refused: BookingRefused, names: Mapping[str, str]) -> str:
    return str(names[refused.status.value]) if refused.status else ""


def show_refusal(
    refused: BookingRefused,
    matter: Matter,
    form=None,
    fields: Mapping[str, str] = {},
    state_names: Mapping[str, str] = STATUS_NAMES,
) -> None:
    """The HTML translator: the messages of the core's ``fields`` on the form's field named
    there, the others flashed above the page; a visit's state named as in ``state_names``."""
    state = state_name(refused, state_names)
    for field, found in refused.problems.items():
        messages = [problem_message(problem, matter, state) for problem in found]
        if form is not None and field in fields:
            errors = form[fields[field]].errors
            form[fields[field]].errors = [*errors, *messages]
        else:
            for message in messages:
                flash(message, "error")


# The API reports the per-person rules on the e-mail that identifies the person.
API_FIELDS = {"person": "email"}


def refusal_json(refused: BookingRefused, matter: Matter):
    """The JSON translator: 409 ``{"error": "slot_taken"}`` when somebody got there first,
    else 422 with messages by field."""
    if Problem.SLOT_TAKEN in {p for found in refused.problems.values() for p in found}:
        return jsonify(error=Problem.SLOT_TAKEN.value), 409
    messages = problem_messages(
        refused.problems, matter, API_FIELDS, state_name(refused, STATUS_NAMES)
    )
    if refused.is_conflict:
        return jsonify(error="conflict", errors=messages), 409
    return jsonify(errors=messages), 422


def recheck_message(count: int) -> str:
    """What a change of hours, closures, desks or places means for the visits already booked."""
    if not count:
        return _("No booked visit is affected.")
    return ngettext(
        "%(num)d booked visit may be affected. Within a few minutes the scheduler checks it "
        "and, if it no longer fits, cancels it and tells the person by e-mail (call them if "
        "they have no e-mail).",
        "%(num)d booked visits may be affected. Within a few minutes the scheduler checks them "
        "and cancels those that no longer fit, telling each person by e-mail (call those who "
        "have no e-mail).",
        count,
    )


# The notes the operations write in a visit's history, beside the reasons staff write and the
# codes of the rules the scheduler applied.
BOOKED_FOR_A_CALLER = "booked for a caller"
MARK_UNDONE = "mark undone"
MOVED_FROM = "moved from "  # and the old time
LEFT_THE_WAITLIST = "left the waitlist"
HISTORY_NOTES = {
    BOOKED_FOR_A_CALLER: _l("booked for a caller"),
    MARK_UNDONE: _l("mark undone"),
    LEFT_THE_WAITLIST: _l("left the waitlist"),
}


def history_note(note: str, matter: Matter) -> str:
    """A note of a visit's history in the reader's language; what a person wrote stays as
    written."""
    if note in HISTORY_NOTES:
        return str(HISTORY_NOTES[note])
    if note.startswith(MOVED_FROM):
        return _("moved from %(time)s", time=note.removeprefix(MOVED_FROM))
    if note in Problem.__members__.values():
        return problem_message(Problem(note), matter)
    return note


def reason_of(visit) -> str:
    """Why the visit was declined or cancelled, in the reader's language: a rule the scheduler
    applied (its code is in the history) is said anew; what a person wrote stays as written.
    (``visit.reason`` keeps the rule's message in the visitor's language, for the e-mails.)"""
    last = visit.changes[-1] if visit.changes else None
    if last is not None and last.note in Problem.__members__.values():
        return problem_message(Problem(last.note), visit.matter)
    return visit.reason
