"""A visit's states (PRODUCT.md, "A visit's life"): which may follow which, and the groups of
states the rest of the product asks about. Plain Python: no Flask, no database."""

import enum


class VisitStatus(enum.StrEnum):
    HELD = "held"  # online request waiting for the e-mail link
    REQUESTED = "requested"  # e-mail confirmed; waiting for the scheduler or staff
    CONFIRMED = "confirmed"
    ARRIVED = "arrived"  # checked in on the day
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    EXPIRED = "expired"  # link not clicked in time
    DECLINED = "declined"
    CANCELLED = "cancelled"

    def may_become(self, other: "VisitStatus") -> bool:
        return other in ALLOWED[self]

    def may_return_to(self, other: "VisitStatus") -> bool:
        """A day mark undone goes back to the state it was made from (not a transition of
        ``ALLOWED``: the visit's life goes back a step)."""
        return other in UNDOABLE.get(self, ())

    @property
    def holds_desk(self) -> bool:
        """Keeps its place in the slot (a visit that happened keeps it for the record)."""
        return self in HOLDS_DESK

    @property
    def is_active(self) -> bool:
        """Still ahead for the person: counts against the per-person limits."""
        return self in ACTIVE

    @property
    def is_movable(self) -> bool:
        """Still waiting for its day: may move to another time or be cancelled."""
        return self in MOVABLE

    @property
    def is_day_mark(self) -> bool:
        """What the office marks on the day: arrived, attended, did not come."""
        return self in DAY_MARKS


S = VisitStatus
ALLOWED: dict[VisitStatus, frozenset[VisitStatus]] = {
    S.HELD: frozenset({S.REQUESTED, S.EXPIRED, S.CANCELLED}),
    # A citizen's move of a visit staff approved brings it back to them (CONFIRMED → REQUESTED).
    S.REQUESTED: frozenset({S.CONFIRMED, S.DECLINED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.REQUESTED, S.ARRIVED, S.ATTENDED, S.NO_SHOW, S.CANCELLED}),
    S.ARRIVED: frozenset({S.ATTENDED, S.NO_SHOW}),
    S.ATTENDED: frozenset(),
    S.NO_SHOW: frozenset(),
    S.EXPIRED: frozenset(),
    S.DECLINED: frozenset(),
    S.CANCELLED: frozenset(),
}
# The groups, as sets for queries (``Visit.status.in_(ACTIVE)``).
HOLDS_DESK = frozenset(set(S) - {S.EXPIRED, S.DECLINED, S.CANCELLED})
ACTIVE = frozenset({S.HELD, S.REQUESTED, S.CONFIRMED, S.ARRIVED})
MOVABLE = frozenset({S.HELD, S.REQUESTED, S.CONFIRMED})
ON_AGENDA = HOLDS_DESK - {S.HELD}  # kept on the unit's agenda
# What a re-check after a change of the catalog can still call off (declined or cancelled).
STANDING = frozenset({S.REQUESTED, S.CONFIRMED})
DAY_MARKS = frozenset({S.ARRIVED, S.ATTENDED, S.NO_SHOW})
# A day mark undone goes back to the state it was made from.
UNDOABLE = {
    S.ARRIVED: {S.CONFIRMED},
    S.ATTENDED: {S.CONFIRMED, S.ARRIVED},
    S.NO_SHOW: {S.CONFIRMED, S.ARRIVED},
}


class Channel(enum.StrEnum):
    """The door a visit was booked, or a change of it made, through (kept for the statistics)."""

    ONLINE = "online"  # the citizen, on the public site or through the API
    INFOLINE = "infoline"  # an operator, for a caller
    STAFF = "staff"  # the unit's staff
    KIOSK = "kiosk"  # the visitor, checking in at the entrance (changes only, never a booking)
