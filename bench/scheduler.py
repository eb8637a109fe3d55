"""How fast the scheduler decides a queue of requests and delivers their e-mails, and how long
it holds a database transaction open while doing so.

    .venv/bin/python bench/scheduler.py [--database-url URL] [--visits N] [--requested M]
                                        [--concurrent] [--timeout SECONDS]

Builds a throw-away database (SQLite file by default; a PostgreSQL URL's database is dropped
and created), seeds it with ``flask demo seed``'s function (N visits, M of them requested in
matters the scheduler confirms itself), starts an SMTP server that counts what it accepts in a
process of its own on loopback, then runs ``check_requests`` and ``send_outbox`` the way the
scheduler process does (``run_job``), back to back, until every request is decided and every
message delivered. ``--concurrent`` runs them as ``flask scheduler run`` does: the decisions in
this process, the outbox in a process of its own. Prints a table, then the figures as one JSON
line (the longest transaction is the deciding process's; the sender's are one message each).
"""

import argparse
import json
import logging
import multiprocessing
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from itertools import cycle
from pathlib import Path

from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.pool import NullPool
from support import build_app, fresh_database

from app.booking.models import Visit
from app.booking.states import VisitStatus
from app.demo.seed import seed_demo
from app.extensions import db
from app.mail.models import MessageStatus, OutboxMessage
from app.scheduler.cli import run_job
from app.scheduler.jobs import check_requests, send_outbox

POLL_SECONDS = 0.2  # how often the bench looks at the queue and the SMTP server's count
IDLE_SECONDS = 0.1  # a job that found nothing to do waits this long before it runs again


class Transactions:
    """The longest transaction on the scheduler's connections, BEGIN to COMMIT or ROLLBACK."""

    def __init__(self, engine):
        self.started: dict[int, tuple[float, str]] = {}
        self.longest = (0.0, "")
        self.count = 0
        self.lock = threading.Lock()
        self.job = threading.local()
        event.listen(engine, "begin", self.begin)
        event.listen(engine, "commit", self.end)
        event.listen(engine, "rollback", self.end)

    def begin(self, connection) -> None:
        self.started[id(connection)] = (time.perf_counter(), getattr(self.job, "name", "?"))

    def end(self, connection) -> None:
        began = self.started.pop(id(connection), None)
        if began is None:
            return
        seconds = time.perf_counter() - began[0]
        with self.lock:
            self.count += 1
            self.longest = max(self.longest, (seconds, began[1]))


class Queue:
    """What is left, read outside SQLAlchemy's transactions (its ``begin`` events are the
    scheduler's alone, and on SQLite a plain read must not take the write lock)."""

    def __init__(self, engine):
        # A connection of its own, outside the app's pool (which would hand it to a job).
        self.connection = create_engine(engine.url, poolclass=NullPool).raw_connection()
        if engine.dialect.name == "postgresql":
            self.connection.dbapi_connection.autocommit = True

        def sql(statement) -> str:
            return str(statement.compile(engine, compile_kwargs={"literal_binds": True}))

        count = select(func.count())
        self.statements = {
            "requested": sql(count.select_from(Visit).where(Visit.status == VisitStatus.REQUESTED)),
            "unsent": sql(
                count.select_from(OutboxMessage).where(
                    OutboxMessage.status.in_([MessageStatus.PENDING, MessageStatus.SENDING])
                )
            ),
            "sent": sql(
                count.select_from(OutboxMessage).where(OutboxMessage.status == MessageStatus.SENT)
            ),
            "failed": sql(
                count.select_from(OutboxMessage).where(OutboxMessage.status == MessageStatus.FAILED)
            ),
        }

    def read(self) -> dict[str, int]:
        cursor = self.connection.cursor()
        counts = {}
        for name, statement in self.statements.items():
            cursor.execute(statement)
            counts[name] = cursor.fetchone()[0]
        cursor.close()
        return counts


def send_outbox_until(config: dict, stop, results) -> None:
    """In the sender's process: run the outbox job again and again, as the scheduler does."""
    app = build_app(config["SQLALCHEMY_DATABASE_URI"], **config)
    runs = busy = 0
    while not stop.is_set():
        done = run_job(app, send_outbox)
        runs, busy = runs + 1, busy + bool(done)
        if not done:
            stop.wait(IDLE_SECONDS)
    results.put((runs, busy))


class OutboxProcess:
    """The outbox job in a process of its own, as ``flask scheduler run`` runs it."""

    def __init__(self, app_config):
        context = multiprocessing.get_context("spawn")
        names = ("SQLALCHEMY_DATABASE_URI", "MAIL_SERVER", "MAIL_PORT")
        self.stop_event, self.results = context.Event(), context.Queue()
        self.process = context.Process(
            target=send_outbox_until,
            args=({name: app_config[name] for name in names}, self.stop_event, self.results),
        )
        self.process.start()

    def stop(self) -> tuple[int, int]:
        self.stop_event.set()
        runs = self.results.get(timeout=120)
        self.process.join(timeout=30)
        return runs


class SmtpSink:
    """``bench/smtp_sink.py`` in a process of its own; ``count()`` is what it accepted."""

    def __init__(self):
        self.count_file = Path(tempfile.mkdtemp(prefix="wizyta-smtp-")) / "count"
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("smtp_sink.py")),
             "--port", str(self.port), "--count-file", str(self.count_file)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("the SMTP sink did not start")

    def count(self) -> int:
        return int(self.count_file.read_text() or 0)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--requested", type=int, default=10_000)
    parser.add_argument(
        "--concurrent", action="store_true", help="the outbox in a process of its own"
    )
    parser.add_argument("--timeout", type=float, default=3600, help="give up after (seconds)")
    options = parser.parse_args()
    # run_job logs each failure with its traceback; the bench counts them instead.
    logging.getLogger("app.scheduler.cli").setLevel(logging.CRITICAL)

    sink = SmtpSink()
    app = build_app(
        fresh_database(options.database_url), MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port
    )
    try:
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            seed_demo(options.visits, options.requested)
            db.session.commit()
            seeded = time.perf_counter() - started
            db.session.execute(text("ANALYZE"))  # planner statistics, as a running database has
            db.session.commit()
            db.session.remove()
            engine = db.engine
            figures = measure(app, engine, sink, options)
            figures |= {"seed_seconds": round(seeded, 1), "engine": engine.dialect.name}
            report(figures, options)
            db.session.remove()
            db.drop_all()
    finally:
        sink.stop()


def measure(app, engine, sink: SmtpSink, options) -> dict:
    transactions = Transactions(engine)
    queue = Queue(engine)
    runs: Counter = Counter()
    busy: Counter = Counter()
    failures: Counter = Counter()
    errors: list[str] = []
    stop = threading.Event()

    def work(jobs) -> None:
        for job in cycle(jobs):
            if stop.is_set():
                return
            transactions.job.name = job.__name__
            try:
                done = run_job(app, job)
            except Exception as error:  # counted and shown; the job runs again, as it would
                failures[job.__name__] += 1
                errors.append(f"{job.__name__}: {type(error).__name__}: {error}"[:300])
                done = 0
            runs[job.__name__] += 1
            busy[job.__name__] += bool(done)
            if not done:
                stop.wait(IDLE_SECONDS)

    jobs = [check_requests] if options.concurrent else [check_requests, send_outbox]
    threads = [threading.Thread(target=work, args=(jobs,), daemon=True)]
    sender = OutboxProcess(app.config) if options.concurrent else None
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    decided = delivered = None
    while time.perf_counter() - started < options.timeout:
        counts = queue.read()
        now = time.perf_counter() - started
        if decided is None and counts["requested"] == 0:
            decided = now
        if decided is not None and counts["unsent"] == 0 and sink.count() >= counts["sent"]:
            delivered = now
            break
        time.sleep(POLL_SECONDS)
    stop.set()
    for thread in threads:
        thread.join()
    if sender is not None:
        sent_runs, sent_busy = sender.stop()
        runs[send_outbox.__name__], busy[send_outbox.__name__] = sent_runs, sent_busy
    counts = queue.read()
    longest, longest_job = transactions.longest
    return {
        "visits": options.visits,
        "requested": options.requested,
        "concurrent": options.concurrent,
        "timed_out": delivered is None,
        "seconds_to_decide": round(decided, 1) if decided is not None else None,
        "seconds_to_deliver": round(delivered, 1) if delivered is not None else None,
        "visits_per_second": round(options.requested / decided, 1) if decided else None,
        "messages": sink.count(),
        "messages_per_second": round(sink.count() / delivered, 1) if delivered else None,
        "messages_failed": counts["failed"],
        "longest_transaction_seconds": round(longest, 2),
        "longest_transaction_job": longest_job,
        "transactions": transactions.count,
        "job_runs": dict(runs),
        "job_runs_busy": dict(busy),
        "job_failures": dict(failures),
        "first_errors": errors[:3],
    }


def report(figures: dict, options) -> None:
    mode = (
        "concurrent (the outbox in a process of its own)"
        if options.concurrent
        else ("sequential (one thread)")
    )
    print(
        f"engine {figures['engine']}; {figures['visits']:,} visits, {figures['requested']:,} "
        f"requested (seeded in {figures['seed_seconds']} s); jobs {mode}"
    )
    if figures["timed_out"]:
        print(f"TIMED OUT after {options.timeout:.0f} s")
    print(
        f"{'decided every request':36} {figures['seconds_to_decide']} s   "
        f"{figures['visits_per_second']} visits/s"
    )
    print(
        f"{'delivered every message':36} {figures['seconds_to_deliver']} s   "
        f"{figures['messages_per_second']} messages/s ({figures['messages']:,} messages, "
        f"{figures['messages_failed']} failed)"
    )
    print(
        f"{'longest database transaction':36} {figures['longest_transaction_seconds']} s   "
        f"({figures['longest_transaction_job']}; {figures['transactions']:,} transactions)"
    )
    runs = ", ".join(
        f"{job} {n} ({figures['job_runs_busy'].get(job, 0)} busy, "
        f"{figures['job_failures'].get(job, 0)} failed)"
        for job, n in figures["job_runs"].items()
    )
    print(f"{'job runs':36} {runs}")
    for error in figures["first_errors"]:
        print(f"  {error}")
    print(json.dumps({"bench": "scheduler"} | figures))


if __name__ == "__main__":
    main()
