"""What each booking problem means, in the reader's language."""

from flask_babel import lazy_gettext as _l

from app.booking.rules import Problem
from app.matters.models import Matter

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
}


def problem_message(problem: Problem, matter: Matter) -> str:
    return str(PROBLEM_MESSAGES[problem]) % {
        "lead": matter.lead_days,
        "horizon": matter.horizon_days,
    }


def problem_messages(problems: dict[str, list[Problem]], matter: Matter) -> dict[str, list[str]]:
    return {
        field: [problem_message(problem, matter) for problem in field_problems]
        for field, field_problems in problems.items()
    }
