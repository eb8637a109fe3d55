"""``flask scheduler run`` (the jobs on their intervals) and ``run-once`` (each job once).

``run`` sends the outbox from a process of its own: deciding visits and building their
e-mails keeps one core busy, and sending them over SMTP would otherwise wait for it (the
interpreter runs one thread of Python at a time). Two processes are safe: every job takes its
rows so that another process skips them.
"""

import logging
import signal
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from apscheduler.executors.pool import ProcessPoolExecutor, ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import AppGroup

from app.database import utcnow
from app.extensions import db
from app.scheduler import runs
from app.scheduler.jobs import JOBS, send_outbox

scheduler_cli = AppGroup("scheduler", help="The background jobs: checks, e-mail, retention.")
log = logging.getLogger(__name__)


def run_job(app: Flask, job) -> int:
    """Run one job in an app context of its own (executor threads have none)."""
    with app.app_context():
        try:
            done = job(utcnow())
        except Exception as error:
            db.session.rollback()
            log.exception("job %s failed", job.__name__)
            runs.record_failure(job.__name__, utcnow(), error)
            raise
        else:
            runs.record_success(job.__name__, utcnow(), done)
        finally:
            db.session.remove()
    if done:
        log.info("%s: %d", job.__name__, done)
    return done


# The jobs that run in the process of their own, and that process's app (made there once).
IN_THEIR_OWN_PROCESS = {send_outbox.__name__}
own_process_app: Flask | None = None


def run_in_own_process(job_name: str) -> int:
    """Run a job in the scheduler's second process, with an app made there from the same
    configuration (instance/config.py and the environment) as the scheduler's."""
    global own_process_app
    if own_process_app is None:
        from app import create_app  # here: the app package imports this module

        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
        own_process_app = create_app()
    job = next(job for job, _interval in JOBS if job.__name__ == job_name)
    return run_job(own_process_app, job)


LOG_FORMAT = "%(asctime)s %(process)d %(levelname)s %(message)s"


@scheduler_cli.command("run-once")
def run_once() -> None:
    """Run every job once, in order, and exit (for tests, cron and checks)."""
    app = current_app._get_current_object()
    for job, _interval in JOBS:
        click.echo(f"{job.__name__}: {run_job(app, job)}")


@scheduler_cli.command("run")
def run() -> None:
    """Run the jobs on their intervals in the foreground until stopped."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    app = current_app._get_current_object()
    scheduler = BlockingScheduler(
        timezone=app.config["OFFICE_TIMEZONE"],
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
        executors={
            "default": ThreadPoolExecutor(len(JOBS)),
            "own": ProcessPoolExecutor(1, pool_kwargs={"initializer": leave_stopping_to_parent}),
        },
    )
    started = datetime.now(ZoneInfo(app.config["OFFICE_TIMEZONE"]))  # each job runs at once
    for job, interval in JOBS:
        name = job.__name__
        if name in IN_THEIR_OWN_PROCESS:
            scheduler.add_job(
                run_in_own_process,
                "interval",
                seconds=interval,
                args=(name,),
                id=name,
                name=name,
                executor="own",
                next_run_time=started,
            )
        else:
            scheduler.add_job(
                run_job,
                "interval",
                seconds=interval,
                args=(app, job),
                id=name,
                name=name,
                next_run_time=started,
            )
    click.echo(f"scheduler: {len(JOBS)} jobs; stop with Ctrl+C or SIGTERM")

    def stop(_signal, _frame):
        # Jobs under way finish (each commits what it did); no new one starts.
        scheduler.shutdown(wait=False)

    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, stop)
    scheduler.start()


def leave_stopping_to_parent() -> None:
    """In the sender's process: Ctrl+C reaches the whole process group, and the parent stops
    the scheduler; the message being sent is not cut off."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
