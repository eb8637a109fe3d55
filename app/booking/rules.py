"""The booking rules of PRODUCT.md as plain functions returning what is wrong.

Each problem is a ``Problem`` code; an operation that meets one raises ``BookingRefused`` with
them, and the web, the API and the scheduler turn codes into messages in the reader's language
(``app.booking.messages``). No Flask, no database.
"""

import enum
from collections.abc import Sequence
from datetime import datetime

from app.booking.needs import SIGN_LANGUAGE_NOTICE_DAYS, Needs
from app.booking.slots import Schedule

# Slots are scarce: a person may not hoard them (PRODUCT.md, "Booking rules").
MAX_ACTIVE_VISITS_PER_PERSON = 3


class Problem(enum.StrEnum):
    IN_PAST = "in_past"
    BEFORE_LEAD_TIME = "before_lead_time"
    AFTER_HORIZON = "after_horizon"
    HOLIDAY = "holiday"
    CLOSED = "closed"
    OUTSIDE_HOURS = "outside_hours"
    NOT_ONLINE = "not_online"
    NO_VISITS = "no_visits"
    UNKNOWN_LOCATION = "unknown_location"
    ALREADY_BOOKED_MATTER = "already_booked_matter"
    TOO_MANY_VISITS = "too_many_visits"
    SLOT_TAKEN = "slot_taken"
    FEWER_DESKS = "fewer_desks"  # the matter has fewer desks now than the visit's
    WRONG_STATE = "wrong_state"  # the visit's state does not allow this change
    HOLD_OVER = "hold_over"  # the e-mail link was opened after the hold time
    NOT_STARTED = "not_started"  # a day mark before the visit's time
    MARK_NOT_UNDOABLE = "mark_not_undoable"  # no mark of today to undo
    OFFICE_ONLY = "office_only"  # only the office may do this
    CHECK_IN_NOT_YET = "check_in_not_yet"  # at the kiosk, too long before the visit's time
    CHECK_IN_OVER = "check_in_over"  # at the kiosk, too long after it
    INTERPRETER_NOTICE = "interpreter_notice"  # a sign-language interpreter asked too late

    @property
    def is_conflict(self) -> bool:
        """Somebody or something got there first (HTTP 409), rather than a wrong request."""
        return self in (Problem.SLOT_TAKEN, Problem.WRONG_STATE)


Problems = dict[str, list[Problem]]  # field (or "visit") -> what is wrong with it


class BookingRefused(Exception):
    """An operation refused: ``problems`` maps each field to what is wrong with it. Nothing it
    was asked to change has changed."""

    def __init__(self, problems: Problems, status=None):
        super().__init__(problems)
        self.problems = problems
        self.status = status  # the visit's state, where that is what stood in the way

    @property
    def is_conflict(self) -> bool:
        return any(problem.is_conflict for found in self.problems.values() for problem in found)


def start_problem(schedule: Schedule, start: datetime, now: datetime) -> Problem | None:
    """Why a visit cannot start at ``start``, or None when it can (desks aside)."""
    if start <= now:
        return Problem.IN_PAST
    day = start.astimezone(schedule.timezone).date()
    if day < schedule.first_day(now):
        return Problem.BEFORE_LEAD_TIME
    if day > schedule.last_day(now):
        return Problem.AFTER_HORIZON
    return opening_problem(schedule, start)


def opening_problem(schedule: Schedule, start: datetime) -> Problem | None:
    """Why the office does not receive at ``start`` (a holiday, a closure, outside the
    hours), or None: what a booked visit is checked against when hours or closures change."""
    day = start.astimezone(schedule.timezone).date()
    if day in schedule.holidays:
        return Problem.HOLIDAY
    slot = next(((s, e) for s, e in schedule.slots_on(day) if s == start), None)
    if slot is None:
        return Problem.OUTSIDE_HOURS
    if schedule.is_closed(*slot):
        return Problem.CLOSED
    return None


def notice_problem(
    schedule: Schedule, start: datetime, now: datetime, needs: Needs
) -> Problem | None:
    """Why the office cannot prepare for ``needs`` by ``start``, or None: a sign-language
    interpreter is asked for at least three working days ahead."""
    if not needs.sign_language:
        return None
    earliest = schedule.working_days_after(schedule.today(now), SIGN_LANGUAGE_NOTICE_DAYS)
    if start.astimezone(schedule.timezone).date() < earliest:
        return Problem.INTERPRETER_NOTICE
    return None


def person_problem(matter_id: int, active_matter_ids: Sequence[int]) -> Problem | None:
    """One active visit per person per matter, and a few in all.

    ``active_matter_ids`` lists the matter of each active visit the person already has.
    """
    if matter_id in active_matter_ids:
        return Problem.ALREADY_BOOKED_MATTER
    if len(active_matter_ids) >= MAX_ACTIVE_VISITS_PER_PERSON:
        return Problem.TOO_MANY_VISITS
    return None
