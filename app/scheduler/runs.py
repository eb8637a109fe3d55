"""Each job's last run, kept in the database (``JobRun``), and which jobs are overdue: a job
that has not succeeded for three of its intervals (and at least ten minutes) means the
scheduler has stopped or keeps failing. Written in a transaction of its own after each run."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.database import upsert
from app.extensions import db
from app.scheduler.jobs import JOBS
from app.scheduler.models import JobRun

# The jobs as an administrator reads them.
JOB_NAMES = {
    "expire_held": _l("Releasing requests not confirmed in time"),
    "free_released_desks": _l("Offering released desks again"),
    "check_requests": _l("Deciding requests"),
    "recheck_marked": _l("Checking visits again after a change of hours or closures"),
    "mark_missed": _l("Marking visits nobody checked in for as missed"),
    "send_reminders": _l("Sending reminders"),
    "send_outbox": _l("Sending e-mail"),
    "send_text_messages": _l("Sending text messages"),
    "offer_freed_desks": _l("Offering freed desks to the waitlists"),
    "erase_personal_data": _l("Erasing personal data after the retention time"),
    "record_statistics": _l("Recording what the office offered, for the statistics"),
}
MISSED_RUNS = 3
SHORTEST_WAIT = timedelta(minutes=10)


def record(job: str, values: dict) -> None:
    """Insert or update the job's row (two schedulers may write it at once)."""
    statement = upsert(db.session, JobRun).values(job=job, **values)
    db.session.execute(statement.on_conflict_do_update(index_elements=["job"], set_=values))
    db.session.commit()


def record_success(job: str, now: datetime, done: int) -> None:
    record(job, {"last_success_at": now, "last_done": done})


def record_failure(job: str, now: datetime, error: Exception) -> None:
    record(job, {"last_failure_at": now, "last_error": type(error).__name__[:120]})


def allowed_gap(interval_seconds: int) -> timedelta:
    return max(SHORTEST_WAIT, timedelta(seconds=interval_seconds * MISSED_RUNS))


def last_runs() -> dict[str, JobRun]:
    """Every job's row, in ``JOBS``' order; a job that never ran has one without a success."""
    stored = {run.job: run for run in db.session.scalars(select(JobRun))}
    return {job.__name__: stored.get(job.__name__) or JobRun(job=job.__name__) for job, _ in JOBS}


def overdue_jobs(runs: dict[str, JobRun], now: datetime) -> list[JobRun]:
    """Of ``last_runs()``, the jobs that have not succeeded within their allowed gap (or ever)."""
    intervals = {job.__name__: interval for job, interval in JOBS}
    return [
        run
        for name, run in runs.items()
        if run.last_success_at is None or now - run.last_success_at > allowed_gap(intervals[name])
    ]
