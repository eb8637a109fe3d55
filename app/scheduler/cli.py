"""``flask scheduler run`` (the jobs on their intervals) and ``run-once`` (each job once)."""

import contextlib
import logging

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import AppGroup

from app.database import utcnow
from app.extensions import db
from app.scheduler.jobs import JOBS

scheduler_cli = AppGroup("scheduler", help="The background jobs: checks, e-mail, retention.")
log = logging.getLogger(__name__)


def run_job(app: Flask, job) -> int:
    """Run one job in an app context of its own (executor threads have none)."""
    with app.app_context():
        try:
            done = job(utcnow())
        except Exception:
            db.session.rollback()
            log.exception("job %s failed", job.__name__)
            raise
        finally:
            db.session.remove()
    if done:
        log.info("%s: %d", job.__name__, done)
    return done


@scheduler_cli.command("run-once")
def run_once() -> None:
    """Run every job once, in order, and exit (for tests, cron and checks)."""
    app = current_app._get_current_object()
    for job, _interval in JOBS:
        click.echo(f"{job.__name__}: {run_job(app, job)}")


@scheduler_cli.command("run")
def run() -> None:
    """Run the jobs on their intervals in the foreground until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = current_app._get_current_object()
    scheduler = BlockingScheduler(
        timezone=app.config["OFFICE_TIMEZONE"],
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
    for job, interval in JOBS:
        scheduler.add_job(run_job, "interval", seconds=interval, args=(app, job), id=job.__name__)
    click.echo(f"scheduler: {len(JOBS)} jobs; stop with Ctrl+C")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
