"""How fast the e-mail outbox drains to an SMTP server.

    .venv/bin/python bench/outbox.py [--database-url URL] [--messages N] [--kilobytes K]
                                     [--sent N]

Builds a throw-away database (SQLite file by default), queues N messages of about K kB each
(text, HTML and an .ics attachment, as a visit's confirmation is), starts an aiosmtpd sink in a
process of its own on loopback, then calls ``send_due()`` until nothing is left, timing each
run. ``--sent`` first fills the outbox with that many messages already sent (small ones), as a
table that has been in use for a while is. Prints a table, then the same figures as JSON;
docs/performance.md records them.
"""

import argparse
import json
import math
import multiprocessing
import re
import socket
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select, text

from app import create_app
from app.database import utcnow
from app.extensions import db
from app.mail.models import MessageStatus, OutboxMessage
from app.mail.outbox import enqueue
from app.mail.sender import send_due

SCHEDULER_INTERVAL = 30  # seconds between the scheduler's send_outbox runs
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """Accepts everything and remembers each Message-ID (to check each arrived once)."""

    def __init__(self):
        self.received = 0
        self.message_ids = set()

    async def handle_DATA(self, _server, _session, envelope):
        self.received += 1
        self.message_ids.add(MESSAGE_ID.search(envelope.content).group(1))
        return "250 OK"


def run_sink(port: int, ready, stop, results) -> None:
    """The SMTP server's process: serve until ``stop``, then report what arrived."""
    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    results.send({"received": sink.received, "distinct": len(sink.message_ids)})


def filler(kilobytes: float, words: str) -> str:
    """About ``kilobytes`` of Polish text in lines of ordinary length."""
    line = words + "\n"
    return line * max(1, math.ceil(kilobytes * 1024 / len(line.encode())))


def calendar_file(number: int) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Wizyta//bench//PL\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\n"
        f"UID:visit-{number}@wizyta.example\r\nSEQUENCE:0\r\n"
        "DTSTART;TZID=Europe/Warsaw:20261203T100000\r\n"
        "DTEND;TZID=Europe/Warsaw:20261203T103000\r\n"
        "SUMMARY:Punkt Informacyjno-Doradczy FAMI\r\n"
        "LOCATION:Małopolski Urząd Wojewódzki\\, ul. Basztowa 22\\, 31-156 Kraków\r\n"
        + "DESCRIPTION:"
        + "Jedna osoba może uczestniczyć w spotkaniu. " * 20
        + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def queue(count: int, kilobytes: float) -> float:
    """Queue ``count`` visit-like messages; seconds it took (building them included)."""
    text = filler(kilobytes * 0.3, "Wizyta w Wydziale Polityki Społecznej jest potwierdzona.")
    html = filler(kilobytes * 0.5, "<p>Prosimy przyjść kilka minut wcześniej, z dokumentami.</p>")
    started = time.perf_counter()
    for number in range(count):
        enqueue(
            "confirmation",
            f"osoba{number}@example.pl",
            f"Wizyta FAMI-{number:06d} potwierdzona",
            text,
            html,
            calendar=("REQUEST", calendar_file(number)),
        )
        if number % 500 == 499:
            db.session.commit()
    db.session.commit()
    return time.perf_counter() - started


def fill_sent(count: int) -> None:
    """``count`` small messages sent long ago, inserted in bulk."""
    now = utcnow()
    rows = [
        {
            "kind": "confirmation",
            "recipient": f"dawniej{number}@example.pl",
            "subject": "sent",
            "message_id": f"<sent-{number}@bench>",
            "raw": "Subject: sent\r\n\r\nsent\r\n",
            "status": MessageStatus.SENT,
            "attempts": 1,
            "next_attempt_at": now,
            "created_at": now,
            "sent_at": now,
        }
        for number in range(count)
    ]
    for start in range(0, count, 5000):
        db.session.execute(insert(OutboxMessage), rows[start : start + 5000])
    db.session.commit()


def with_the_scheduler(durations: list[float]) -> float:
    """How long draining takes when runs start on the scheduler's ticks (one at a time: a run
    still going when its tick comes skips it)."""
    start = end = 0.0
    for duration in durations:
        end = start + duration
        start = math.ceil(end / SCHEDULER_INTERVAL) * SCHEDULER_INTERVAL or SCHEDULER_INTERVAL
    return end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--kilobytes", type=float, default=15)
    parser.add_argument("--sent", type=int, default=0)
    options = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    port = free_port()
    ready, stop = context.Event(), context.Event()
    results, sink_end = context.Pipe(duplex=False)
    sink = context.Process(target=run_sink, args=(port, ready, stop, sink_end))
    sink.start()
    ready.wait(timeout=30)

    directory = Path(tempfile.mkdtemp(prefix="wizyta-bench-"))
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": options.database_url
            or f"sqlite:///{directory / 'bench.sqlite'}",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_DEFAULT_SENDER": "Wizyta <wizyta@wizyta.example>",
        }
    )
    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            fill_sent(options.sent)
            queueing = queue(options.messages, options.kilobytes)
            average_length = select(func.avg(func.length(OutboxMessage.raw))).where(
                OutboxMessage.status == MessageStatus.PENDING
            )
            average_size = float(db.session.scalar(average_length)) / 1024
            db.session.execute(text("ANALYZE"))  # statistics, as a table in use has them
            db.session.commit()

            durations, sent = [], []
            while True:
                started = time.perf_counter()
                report = send_due()
                durations.append(time.perf_counter() - started)
                sent.append(report.sent)
                if report.sent == 0:
                    break
            db.session.remove()
            engine = db.engine.dialect.name
            db.drop_all()
    finally:
        stop.set()
        arrived = results.recv()
        sink.join()

    runs = [(duration, count) for duration, count in zip(durations, sent, strict=True) if count]
    total = sum(duration for duration, _ in runs)
    figures = {
        "engine": engine,
        "messages": options.messages,
        "already_sent_rows": options.sent,
        "kilobytes_per_message": round(average_size, 1),
        "queueing_ms_per_message": round(queueing * 1000 / max(1, options.messages), 3),
        "runs": len(runs),
        "largest_run": max((count for _, count in runs), default=0),
        "sending_seconds": round(total, 2),
        "messages_per_second": round(options.messages / total, 1) if total else None,
        "median_ms_per_message": round(
            statistics.median(duration * 1000 / count for duration, count in runs), 3
        )
        if runs
        else None,
        "drained_with_the_scheduler_seconds": round(
            with_the_scheduler([duration for duration, _ in runs]), 1
        ),
        "arrived": arrived["received"],
        "arrived_distinct": arrived["distinct"],
    }
    assert arrived["received"] == arrived["distinct"] == options.messages, arrived

    print(
        f"engine {engine}; {options.messages} messages of ~{figures['kilobytes_per_message']} kB"
        f" ({options.sent} already sent in the table); SMTP sink in a separate process"
    )
    rows = [
        ("queueing (build + as_string + INSERT)", f"{figures['queueing_ms_per_message']} ms/msg"),
        ("send_due runs needed", str(figures["runs"])),
        ("largest run", f"{figures['largest_run']} messages"),
        ("time spent in send_due", f"{figures['sending_seconds']} s"),
        ("throughput", f"{figures['messages_per_second']} messages/s"),
        ("median per message", f"{figures['median_ms_per_message']} ms"),
        (
            f"drained with a run every {SCHEDULER_INTERVAL} s",
            f"{figures['drained_with_the_scheduler_seconds']} s",
        ),
        ("arrived (distinct Message-IDs)", f"{arrived['received']} ({arrived['distinct']})"),
    ]
    for name, value in rows:
        print(f"{name:44} {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
