"""Who a person is, for the per-person rules: the same mailbox however its address is written.

Slots are scarce and resold (PRODUCT.md, "Security and privacy"): ``Name+1@…``, ``name+2@…`` and,
where the provider ignores dots, ``n.ame@…`` are one person.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, or_, select

from app.booking.models import Visit
from app.database import advisory_lock
from app.extensions import db

# Providers that deliver ``n.ame@`` and ``name@`` to the same mailbox.
DOTS_IGNORED = frozenset({"gmail.com", "googlemail.com"})


def email_key(address: str) -> str:
    """The address as the rules compare it: lower case, without a ``+tag``, and without dots
    in the local part where the provider ignores them."""
    local, _at, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0] or local
    if domain in DOTS_IGNORED:
        local = local.replace(".", "")
    return f"{local}@{domain}"


@dataclass(frozen=True)
class Person:
    """Who a visit is for, as the per-person rules see them."""

    email_key: str | None
    phone: str | None

    @classmethod
    def of(cls, email: str | None, phone: str | None) -> "Person":
        return cls(email_key(email) if email else None, phone or None)

    @property
    def keys(self) -> list[str]:
        return [key for key in (self.email_key, self.phone) if key]


def same_person(person: Person):
    """The visits of this person (by e-mail or phone), or none for a person with neither."""
    conditions = []
    if person.email_key:
        conditions.append(Visit.email_key == person.email_key)
    if person.phone:
        conditions.append(Visit.phone == person.phone)
    return or_(false(), *conditions)


def active_matter_ids(person: Person, now: datetime, asked_before: int | None = None) -> list[int]:
    """The matters of the visits this person still has ahead (``asked_before``: only of those
    asked for before the visit with that id).

    Their states are read from the session where it holds them: a batch of the scheduler
    decides many requests before it writes any, and a request it declined a moment ago no
    longer counts (without asking the database to write first, for every row)."""
    if not person.keys:
        return []
    query = select(Visit).where(same_person(person), Visit.ends_at > now)
    if asked_before is not None:
        query = query.where(Visit.id < asked_before)
    with db.session.no_autoflush:
        visits = db.session.scalars(query).all()
    return [visit.matter_id for visit in visits if visit.status.is_active]


def lock_person(person: Person) -> None:
    """Make two bookings for one person take turns until the first commits, so that both cannot
    pass the per-person limits at once (PostgreSQL; SQLite runs one writer at a time anyway)."""
    for key in sorted(person.keys):
        advisory_lock(db.session, func.hashtextextended(key, PERSON_LOCKS))


PERSON_LOCKS = 7  # the seed of the keys' hash, so that other advisory locks need not collide
