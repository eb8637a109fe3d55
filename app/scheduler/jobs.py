"""The scheduler's jobs. Each takes the rows that are due and not yet done, marks them and
commits, so running a job twice, or in two processes at once, does nothing more.

Rows are selected ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (two schedulers share the work);
SQLite serialises writers (transactions begin IMMEDIATE).
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import delete, or_, select

from app.booking import rules
from app.booking.lifecycle import change_status
from app.booking.messages import problem_message
from app.booking.models import Visit, VisitStatus
from app.booking.requests import ACTIVE_STATUSES
from app.booking.schedule import matter_free_slots, schedules
from app.booking.slots import Slot
from app.extensions import db
from app.mail.messages import (
    mail_language,
    send_cancellation,
    send_confirmation,
    send_declined,
    send_reminder,
    send_staff_request,
)
from app.mail.models import MessageStatus, OutboxMessage
from app.mail.sender import send_due
from app.matters.models import Confirmation, Matter

SCHEDULER = "scheduler"


def due(query):
    return db.session.scalars(query.with_for_update(skip_locked=True, of=Visit)).all()


def reason_for(visit: Visit, problem: rules.Problem) -> str:
    with force_locale(mail_language(visit)):
        return problem_message(problem, visit.matter)


def nearest_free_times(visit: Visit, now: datetime) -> list[Slot]:
    found = matter_free_slots(visit.matter, [visit.location], now)
    return [slot for _, slot in found[: current_app.config["NEAREST_TIMES_OFFERED"]]]


def expire_held(now: datetime) -> int:
    """Requests whose e-mail link was not opened within the hold time free their desk."""
    cutoff = now - timedelta(minutes=current_app.config["HOLD_MINUTES"])
    visits = due(select(Visit).where(Visit.status == VisitStatus.HELD, Visit.created_at <= cutoff))
    for visit in visits:
        change_status(visit, VisitStatus.EXPIRED, actor=SCHEDULER)
    db.session.commit()
    return len(visits)


def request_problem(visit: Visit, now: datetime) -> rules.Problem | None:
    """What is wrong with a requested visit now: the rules as they stand at this moment, the
    lead time and horizon as they stood when it was requested."""
    matter = visit.matter
    if visit.starts_at <= now:
        return rules.Problem.IN_PAST
    if visit.desk is None or visit.desk > matter.desks:
        return rules.Problem.SLOT_TAKEN
    schedule = schedules(matter, [visit.location], visit.starts_at, visit.ends_at)
    problem = rules.start_problem(schedule[visit.location_id], visit.starts_at, visit.created_at)
    if problem:
        return problem
    return rules.person_problem(matter.id, earlier_active_matter_ids(visit, now))


def earlier_active_matter_ids(visit: Visit, now: datetime) -> list[int]:
    """Matters of the same person's other active visits that were asked for first."""
    # E-mails compare without case, as when the visit was requested (``active_matter_ids``).
    same_person = [Visit.email_key == visit.email_key] if visit.email_key else []
    if visit.phone:
        same_person.append(Visit.phone == visit.phone)
    if not same_person:
        return []
    return list(
        db.session.scalars(
            select(Visit.matter_id).where(
                or_(*same_person),
                Visit.id < visit.id,
                Visit.status.in_(ACTIVE_STATUSES),
                Visit.ends_at > now,
            )
        )
    )


def decline(visit: Visit, problem: rules.Problem, now: datetime) -> None:
    visit.reason = reason_for(visit, problem)
    change_status(visit, VisitStatus.DECLINED, actor=SCHEDULER, note=problem.value)
    send_declined(visit, nearest_free_times(visit, now))


def check_requests(now: datetime) -> int:
    """Confirm valid requests (or pass them to staff) and decline the others, and those
    staff did not decide before their time."""
    visits = due(
        select(Visit)
        .where(
            Visit.status == VisitStatus.REQUESTED,
            # Waiting for staff: only once its time has passed undecided (then declined).
            or_(Visit.staff_notified_at.is_(None), Visit.starts_at <= now),
        )
        .order_by(Visit.id)
    )
    for visit in visits:
        problem = request_problem(visit, now)
        if problem:
            decline(visit, problem, now)
        elif visit.matter.confirmation is Confirmation.AUTO:
            change_status(visit, VisitStatus.CONFIRMED, actor=SCHEDULER)
            send_confirmation(visit)
        else:
            visit.staff_notified_at = now
            recipients = staff_recipients(visit)
            if recipients:
                send_staff_request(visit, recipients)
        db.session.flush()
    db.session.commit()
    return len(visits)


def staff_recipients(visit: Visit) -> list[str]:
    """Who in the unit hears of a request waiting for a decision."""
    return [visit.matter.unit.email] if visit.matter.unit.email else []


def recheck_confirmed(now: datetime) -> int:
    """Confirmed visits on a day or hour that is now closed are cancelled, and people told."""
    visits = due(select(Visit).where(Visit.status == VisitStatus.CONFIRMED, Visit.starts_at > now))
    by_place: dict[tuple[int, int], list[Visit]] = defaultdict(list)
    for visit in visits:
        by_place[(visit.matter_id, visit.location_id)].append(visit)
    cancelled = 0
    for group in by_place.values():
        matter, location = group[0].matter, group[0].location
        first = min(v.starts_at for v in group)
        last = max(v.ends_at for v in group)
        schedule = schedules(matter, [location], first, last)[location.id]
        for visit in group:
            problem = rules.opening_problem(schedule, visit.starts_at)
            if problem:
                visit.reason = reason_for(visit, problem)
                change_status(visit, VisitStatus.CANCELLED, actor=SCHEDULER, note=problem.value)
                visit.sequence += 1
                send_cancellation(visit, nearest_free_times(visit, now))
                cancelled += 1
    db.session.commit()
    return cancelled


def send_reminders(now: datetime) -> int:
    """One reminder per confirmed visit, sent the configured time before it."""
    ahead = timedelta(hours=current_app.config["REMINDER_HOURS_BEFORE"])
    visits = due(
        select(Visit).where(
            Visit.status == VisitStatus.CONFIRMED,
            Visit.reminded_at.is_(None),
            Visit.email.is_not(None),
            Visit.starts_at > now,
            Visit.starts_at <= now + ahead,
        )
    )
    for visit in visits:
        send_reminder(visit)
        visit.reminded_at = now
    db.session.commit()
    return len(visits)


def send_outbox(_now: datetime) -> int:
    return send_due().sent


def erase_personal_data(now: datetime) -> int:
    """Erase who came once a visit ended longer ago than its matter keeps data, whatever became
    of it (a request staff never decided is over all the same); the visit itself stays for the
    statistics. Its e-mails go too: they carry the same data."""
    erased = 0
    for matter in db.session.scalars(select(Matter)):
        cutoff = now - timedelta(days=matter.retention_days)
        visits = due(
            select(Visit).where(
                Visit.matter_id == matter.id,
                Visit.erased_at.is_(None),
                Visit.ends_at < cutoff,
            )
        )
        for visit in visits:
            visit.name = ""
            visit.email = None
            visit.email_key = None
            visit.phone = None
            visit.reason = ""
            visit.manage_key = None  # its links stop working
            visit.erased_at = now
        if visits:
            db.session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.visit_id.in_([v.id for v in visits]),
                    OutboxMessage.status.in_([MessageStatus.SENT, MessageStatus.FAILED]),
                )
            )
        erased += len(visits)
    db.session.commit()
    return erased


# In the order ``run-once`` runs them, with how often ``run`` does (seconds).
JOBS: list[tuple[Callable[[datetime], int], int]] = [
    (expire_held, 60),
    (check_requests, 60),
    (recheck_confirmed, 300),
    (send_reminders, 600),
    (send_outbox, 30),
    (erase_personal_data, 3600),
]
