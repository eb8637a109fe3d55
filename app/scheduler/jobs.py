"""The scheduler's jobs. Each selects the rows that are due and not yet done, in bounded
batches, calls the booking operation for each row and commits the batch: running a job twice,
or in two processes at once, does nothing more, and a transaction holds its locks for one batch
only.

A row whose operation fails is rolled back alone, marked for a person to see (``attention``,
no personal data) and left alone for an hour; the rest of the batch carries on. To that end a
batch that fails is done again with each row in a savepoint of its own; a batch that does not
is written at once (a savepoint per row would write every row on its own, three times slower).

Rows are taken ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (two schedulers share the work);
SQLite runs one writer at a time.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, or_, select, update

from app.booking import operations, retention
from app.booking.models import Visit, VisitChange, VisitStatus
from app.extensions import db
from app.kiosk.models import kiosks_since
from app.mail.models import Medium
from app.mail.sender import send_due
from app.mail.sms import texts_enabled
from app.matters.models import Location, Matter
from app.statistics.records import record_statistics
from app.waitlist.line import offer_freed_desks

log = logging.getLogger(__name__)

BATCH_SIZE = 200  # rows a transaction; a batch of visit e-mails takes about a second
ATTENTION_RETRY = timedelta(hours=1)


def not_waiting_for_a_person(now: datetime):
    """Rows whose last failure is recent wait (shown to staff) instead of failing every run."""
    return or_(Visit.attention_at.is_(None), Visit.attention_at <= now - ATTENTION_RETRY)


def in_batches(
    name: str, due: Select, operation: Callable[[Visit, datetime], None], now: datetime
) -> int:
    """Run ``operation`` on every due visit, ``BATCH_SIZE`` a transaction, until none is left or
    the run's time is up; how many visits it took."""
    deadline = time.monotonic() + current_app.config["SCHEDULER_RUN_SECONDS"]
    done = 0
    while True:
        due_now = due.where(not_waiting_for_a_person(now))
        visits = take(due_now.order_by(Visit.id).limit(BATCH_SIZE))
        ids = [visit.id for visit in visits]
        try:
            for visit in visits:
                attempt(visit, operation, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            one_by_one(name, due_now.where(Visit.id.in_(ids)), operation, now)
        done += len(visits)
        if len(visits) < BATCH_SIZE or time.monotonic() > deadline:
            return done


def take(query: Select) -> list[Visit]:
    """The rows of ``query`` this transaction holds until its commit (others skip them)."""
    locked = query.with_for_update(skip_locked=True, of=Visit)
    visits = db.session.scalars(locked.execution_options(populate_existing=True)).all()
    operations.locked_rows().update(visit.id for visit in visits)
    return visits


def one_by_one(name: str, batch: Select, operation, now: datetime) -> None:
    """A batch again, each row in a savepoint of its own: the one that fails is marked."""
    for visit in take(batch.order_by(Visit.id)):
        try:
            with db.session.begin_nested():
                attempt(visit, operation, now)
        except Exception as error:
            needs_attention(visit, name, error, now)
    db.session.commit()


def attempt(visit: Visit, operation, now: datetime) -> None:
    """One try of the operation on a visit: the mark of an earlier failure goes (and comes back
    if this one fails too)."""
    visit.attention, visit.attention_at = "", None
    operation(visit, now)


def needs_attention(visit: Visit, job: str, error: Exception, now: datetime) -> None:
    # The log names the visit by its id and the error by its type: its text may quote data.
    log.exception("%s: visit %s failed (%s)", job, visit.id, type(error).__name__)
    visit.attention = f"{job}: {type(error).__name__}"[:200]
    visit.attention_at = now


def expire_held(now: datetime) -> int:
    """Requests whose e-mail link was not opened within the hold time free their desk."""
    due = select(Visit).where(
        Visit.status == VisitStatus.HELD, Visit.created_at <= now - operations.hold_time()
    )
    return in_batches("expire_held", due, operations.expire, now)


def check_requests(now: datetime) -> int:
    """Confirm valid requests (or pass them to staff), decline the others, and those staff did
    not decide before their time."""
    due = select(Visit).where(
        Visit.status == VisitStatus.REQUESTED,
        # Waiting for staff: only once its time has passed undecided (then declined).
        or_(Visit.staff_notified_at.is_(None), Visit.starts_at <= now),
    )
    return in_batches("check_requests", due, operations.check_request, now)


def recheck_marked(now: datetime) -> int:
    """The visits a change of hours, closures, desks or places may have made impossible."""
    due = select(Visit).where(Visit.recheck_at.is_not(None))
    return in_batches("recheck_marked", due, operations.recheck, now)


def send_reminders(now: datetime) -> int:
    """One reminder per confirmed visit, sent the configured time before it."""
    ahead = timedelta(hours=current_app.config["REMINDER_HOURS_BEFORE"])
    due = select(Visit).where(
        Visit.status == VisitStatus.CONFIRMED,
        Visit.starts_at > now,
        Visit.starts_at <= now + ahead,
        Visit.reminded_at.is_(None),
    )
    return in_batches("send_reminders", due, operations.remind, now)


def mark_missed(now: datetime) -> int:
    """Confirmed visits nobody checked in for by their place's time, where the scheduler
    counts them (``operations.counts_misses``, which this selection narrows down to); of the
    last day only, so that a place that starts counting does not mark the visits gone by."""
    done = 0
    for location in db.session.scalars(select(Location).order_by(Location.id)):
        if not operations.misses_counted_at(location):
            continue
        since = kiosks_since()[location.id]
        due = select(Visit).where(
            Visit.location_id == location.id,
            Visit.status == VisitStatus.CONFIRMED,
            Visit.starts_at <= now - timedelta(minutes=location.no_show_after_minutes),
            Visit.starts_at > now - timedelta(days=1),
            or_(Visit.created_at >= since, Visit.reminded_at >= since),
            ~Visit.changes.any(VisitChange.to_status == VisitStatus.NO_SHOW),
        )
        done += in_batches("mark_missed", due, operations.miss, now)
    return done


def free_released_desks(now: datetime) -> int:
    """Desks let go by their visitors (``Visit.desk_free_at``) are offered again once it comes."""
    freed = db.session.execute(
        update(Visit)
        .where(Visit.desk_free_at <= now)
        .values(desk=None, desk_free_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return freed


def send_outbox(_now: datetime) -> int:
    return send_due(Medium.EMAIL).sent


def send_text_messages(_now: datetime) -> int:
    if not texts_enabled(current_app.config):
        return 0
    return send_due(Medium.SMS).sent


def erase_personal_data(now: datetime) -> int:
    """Erase who came once a visit ended longer ago than its matter keeps data, whatever became
    of it (a request staff never decided is over all the same)."""
    erased = 0
    for matter_id, retention_days in db.session.execute(select(Matter.id, Matter.retention_days)):
        due = select(Visit).where(
            Visit.erased_at.is_(None),
            Visit.ends_at < now - timedelta(days=retention_days),
            Visit.matter_id == matter_id,
        )
        erased += in_batches("erase_personal_data", due, retention.erase, now)
    return erased


# In the order ``run-once`` runs them, with how often ``run`` does (seconds).
JOBS: list[tuple[Callable[[datetime], int], int]] = [
    (expire_held, 60),
    (free_released_desks, 60),
    (offer_freed_desks, 60),
    (check_requests, 60),
    (recheck_marked, 60),
    (mark_missed, 60),
    (send_reminders, 600),
    (send_outbox, 30),
    (send_text_messages, 30),
    (erase_personal_data, 3600),
    (record_statistics, 3600),
]
