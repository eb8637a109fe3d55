"""``flask scheduler run``, the long-running process, as a real process in real time: every job
runs at once on start, and the outbox is sent from a second process of its own."""

import re
import signal
import time

import pytest

from app.booking.models import Visit, VisitStatus
from app.booking.schedule import matter_free_slots
from app.database import utcnow
from app.extensions import db
from app.mail.outbox import enqueue
from tests.support import start_flask_command


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])  # Ctrl+C, systemd
def test_the_scheduler_decides_in_one_process_and_sends_from_another(
    app, app_context, make_matter, make_visit, mail_to, stop
):
    matter = make_matter()
    _location, slot = matter_free_slots(matter, matter.locations, utcnow())[0]
    request = make_visit(matter, slot.start, status=VisitStatus.REQUESTED)
    enqueue("test", "anna@example.org", "Wiadomość", "Tekst", "<p>Tekst</p>")
    db.session.commit()

    scheduler = start_flask_command(
        app, "scheduler", "run", MAIL_SERVER="127.0.0.1", MAIL_PORT=str(app.config["MAIL_PORT"])
    )
    try:
        delivered = wait_for(lambda: any(m["To"] == "anna@example.org" for m in mail_to.messages))

        def confirmed() -> bool:
            db.session.expire_all()
            status = db.session.get(Visit, request.id).status
            db.session.rollback()  # on SQLite the read holds the write lock the jobs need
            return status is VisitStatus.CONFIRMED

        decided = wait_for(confirmed)
    finally:
        scheduler.send_signal(stop)
        output, _ = scheduler.communicate(timeout=30)
    assert delivered and decided, output
    assert scheduler.returncode == 0, output  # stopped, not killed
    logged = {
        match["job"]: match["pid"]
        for match in re.finditer(r" (?P<pid>\d+) INFO (?P<job>\w+): \d+", output)
    }
    assert {"check_requests", "send_outbox"} <= set(logged), output
    assert logged["send_outbox"] != logged["check_requests"]  # two processes
    assert logged["check_requests"] == str(scheduler.pid)
