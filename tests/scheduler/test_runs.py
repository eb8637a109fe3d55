"""Each job's last run is kept, and the administrators' start page says when the scheduler has
stopped (or never started) and when e-mail is backing up."""

from datetime import timedelta

import pytest

from app.database import utcnow
from app.extensions import db
from app.mail.outbox import enqueue
from app.scheduler.cli import run_job
from app.scheduler.jobs import JOBS
from app.scheduler.runs import JOB_NAMES, last_runs
from tests.support import run_scheduler_once


@pytest.fixture
def admin(clock, client, make_user, login):
    login(make_user("admin", email="admin@urzad.example"))
    client.get("/admin/?lang=en")
    return client


def start_page(client) -> str:
    return client.get("/admin/").get_data(as_text=True)


def test_every_job_has_a_name_an_administrator_reads():
    assert set(JOB_NAMES) == {job.__name__ for job, _interval in JOBS}


def test_a_run_is_kept_per_job(app_context, runner, clock):
    run_scheduler_once(runner)

    runs = last_runs()
    assert {run.job for run in runs.values() if run.last_success_at == utcnow()} == set(JOB_NAMES)
    assert all(run.last_failure_at is None for run in runs.values())


def test_a_failure_is_kept_with_the_kind_of_error_only(app, app_context, clock):
    def check_requests(_now):
        raise ValueError("jan@example.pl")  # an error's message may carry personal data

    with pytest.raises(ValueError):
        run_job(app, check_requests)

    run = last_runs()["check_requests"]
    assert (run.last_failure_at, run.last_error) == (utcnow(), "ValueError")


def test_the_start_page_says_the_scheduler_never_ran(admin):
    assert "The scheduler has not run yet" in start_page(admin)


def test_the_start_page_names_the_jobs_that_stopped(admin, runner, clock):
    run_scheduler_once(runner)
    assert "The scheduler" not in start_page(admin)

    clock.shift(timedelta(minutes=31))
    page = start_page(admin)

    assert "The scheduler has stopped doing some of its work" in page
    # Run every minute, half minute and ten minutes: all late after 31 minutes.
    for name in ["Deciding requests", "Sending e-mail", "Sending reminders"]:
        assert f"{name}: last finished Tuesday, 1 December 2026, 09:00" in page
    assert "Erasing personal data" not in page  # hourly: not yet late


def test_the_start_page_says_when_e_mail_backs_up(admin, clock):
    enqueue("test", "person@example.org", "Message", "Text", "<p>Text</p>")
    db.session.commit()
    assert "E-mail is backing up" not in start_page(admin)

    clock.shift(timedelta(minutes=11))
    page = start_page(admin)

    assert "E-mail is backing up" in page
    assert "has waited since Tuesday, 1 December 2026, 09:00" in page
