"""Bookings over HTTP in the production shape: gunicorn's workers on PostgreSQL with a year of
visits, clients racing for the same desks, set beside a static file served the same way.

    .venv/bin/python bench/http_load.py --database-url URL [--visits N] [--slots N]
        [--clients N] [--workers N]

Drops and creates the PostgreSQL database, seeds it (N visits, default 100,000) and starts
gunicorn (``gunicorn.conf.py``, ``--workers`` workers) on a free loopback port. Each of
``--slots`` free FAMI times is then asked for by one more person than it has free desks, so
that every slot is a race; ``--clients`` processes send the requests with keep-alive
connections. Then the same clients fetch the stylesheet as many times. Prints requests per
second and p50/p95/p99 of each, errors (5xx or no answer) and over-booked slots, and the
figures as one JSON line.
"""

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import psycopg
from support import build_app, fresh_database, latency, settle

from app.demo.seed import seed_demo
from app.extensions import db

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def send(port: int, requests: list[tuple[str, str, bytes | None]]) -> list[tuple[int, float]]:
    """(status, milliseconds) of each request, over one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    answers = []
    for method, path, body in requests:
        started = time.perf_counter()
        try:
            headers = {"Content-Type": "application/json"} if body else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        answers.append((status, (time.perf_counter() - started) * 1000))
    return answers


def run(port: int, requests: list, clients: int) -> tuple[list[tuple[int, float]], float]:
    shares = [requests[n::clients] for n in range(clients)]
    started = time.perf_counter()
    with ProcessPoolExecutor(clients) as pool:
        answers = [answer for part in pool.map(send, [port] * clients, shares) for answer in part]
    return answers, time.perf_counter() - started


def figures(answers: list[tuple[int, float]], seconds: float) -> dict:
    statuses = Counter(status for status, _ms in answers)
    return latency([ms for _status, ms in answers]) | {
        "requests_per_second": round(len(answers) / seconds, 1),
        "statuses": dict(sorted(statuses.items())),
        "errors": sum(count for status, count in statuses.items() if status == 0 or status >= 500),
    }


def over_booked(url: str) -> int:
    with psycopg.connect(url) as connection:
        return len(
            connection.execute(
                "SELECT 1 FROM visits v JOIN matters m ON m.id = v.matter_id "
                "WHERE v.desk IS NOT NULL GROUP BY v.matter_id, v.location_id, v.starts_at, "
                "m.desks HAVING count(*) > m.desks"
            ).fetchall()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--slots", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()

    url = fresh_database(options.database_url)
    app = build_app(url)
    with app.app_context():
        db.create_all()
        seed_demo(options.visits)
        db.session.commit()
        settle(db.engine)
        client = app.test_client()
        first, last = date.today(), date.today() + timedelta(days=30)
        slots = client.get(f"/api/v1/matters/fami/slots?from={first}&to={last}").get_json()["slots"]
        db.session.remove()
        db.engine.dispose()
    random.Random(1).shuffle(slots)
    chosen = slots[: options.slots]
    bookings = [
        (
            "POST",
            "/api/v1/visits",
            json.dumps(
                {
                    "matter": "fami",
                    "location": slot["location"],
                    "start": slot["start"],
                    "name": "Osoba Testowa",
                    "email": f"load-{n}-{racer}@example.org",
                }
            ).encode(),
        )
        for n, slot in enumerate(chosen)
        for racer in range(slot["free"] + 1)  # one more than the desks: every slot a race
    ]
    random.Random(2).shuffle(bookings)

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=PROJECT,
        env=os.environ
        | {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(options.workers),
            "BOOKING_RATE_LIMIT": "10000000 per minute",
            "HOLDS_PER_SOURCE": "10000000",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if send(port, [("GET", "/healthz", None)])[0][0] == 200:
                break
            time.sleep(0.2)
        run(port, [("GET", "/static/wizyta.css", None)] * 200, options.clients)  # warm up
        booked, booking_seconds = run(port, bookings, options.clients)
        static, static_seconds = run(
            port, [("GET", "/static/wizyta.css", None)] * len(bookings), options.clients
        )
    finally:
        server.terminate()
        server.wait(timeout=60)

    result = {
        "bookings": figures(booked, booking_seconds),
        "static": figures(static, static_seconds),
        "expected_201": sum(slot["free"] for slot in chosen),
        "over_booked_slots": over_booked(url),
        "workers": options.workers,
        "clients": options.clients,
        "visits": options.visits,
    }
    result["throughput_ratio"] = round(
        result["bookings"]["requests_per_second"] / result["static"]["requests_per_second"], 3
    )
    print(
        f"gunicorn {options.workers} workers on PostgreSQL, {options.visits:,} visits; "
        f"{options.clients} clients"
    )
    print(f"{'':12}{'req/s':>9}{'median':>10}{'p95':>10}{'p99':>10}  statuses")
    for name in ("bookings", "static"):
        row = result[name]
        print(
            f"{name:12}{row['requests_per_second']:>9}{row['median_ms']:>8.2f}ms"
            f"{row['p95_ms']:>8.2f}ms{row['p99_ms']:>8.2f}ms  {row['statuses']}"
        )
    print(
        f"bookings / static throughput {result['throughput_ratio']}; "
        f"201 expected {result['expected_201']}; over-booked slots {result['over_booked_slots']}"
    )
    print(json.dumps({"bench": "http_load"} | result))


if __name__ == "__main__":
    main()
