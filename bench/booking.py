"""How long one online booking takes, and how many SQL statements, on an empty office and on
one with a year of visits.

    .venv/bin/python bench/booking.py [--database-url URL] [--visits N] [--bookings N]

Builds two throw-away databases (SQLite files by default; with a PostgreSQL URL, its database
and one named after it with ``_seeded``, each dropped and created): one with the catalog only,
one seeded by ``flask demo seed``'s function with N visits (default 100,000). It then books
``--bookings`` free slots of the FAMI matter in each (online, both locations, spread over the
horizon) through POST /api/v1/visits with Flask's test client, a new person each time so the
per-person rules pass. The bookings alternate between the two databases, so that whatever
else the machine is doing weighs on both alike. Prints a table, then the figures as one JSON
line; the ratio is seeded over empty.
"""

import argparse
import json
import random
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import event, select
from support import build_app, fresh_database, latency, settle

from app.database import utcnow
from app.demo.seed import seed_demo
from app.extensions import db
from app.matters.loader import load_catalog, read_catalog
from app.matters.models import Matter

MATTER = "fami"
WARM_UP = 5  # first requests fill SQLAlchemy's and Jinja's caches: not counted


def database_urls(url: str | None) -> dict[str, str | None]:
    if url is None:
        return {"empty": None, "seeded": None}
    return {"empty": url, "seeded": f"{url}_seeded"}


def free_slots(client) -> list[dict]:
    """Every free slot of the matter over its horizon, as the public API lists them."""
    today = utcnow().astimezone(ZoneInfo(current_app.config["OFFICE_TIMEZONE"])).date()
    horizon = db.session.scalar(select(Matter.horizon_days).where(Matter.slug == MATTER))
    response = client.get(
        f"/api/v1/matters/{MATTER}/slots?from={today}&to={today + timedelta(days=horizon)}"
    )
    assert response.status_code == 200, response.json
    return response.json["slots"]


class Office:
    """One database with its app, its free slots and what its bookings cost."""

    def __init__(self, label: str, url: str | None, visits: int, bookings: int):
        self.label, self.visits = label, visits
        self.app = build_app(fresh_database(url))
        self.client = self.app.test_client()
        with self.app.app_context():
            db.create_all()
            if visits:
                seed_demo(visits)
            else:
                load_catalog(read_catalog())
            db.session.commit()
            settle(db.engine)
            self.slots = free_slots(self.client)
            self.engine = db.engine
        if len(self.slots) < bookings + WARM_UP:
            raise SystemExit(f"{label}: only {len(self.slots)} free slots for {bookings} bookings")
        self.free_count = len(self.slots)
        random.Random(1).shuffle(self.slots)  # spread over the horizon and both places
        self.statements: list[int] = []
        event.listen(self.engine, "before_cursor_execute", lambda *_: self.statements.append(1))
        self.durations: list[float] = []
        self.per_booking: list[int] = []

    def book(self, n: int) -> None:
        slot = self.slots.pop()
        self.statements.clear()
        started = time.perf_counter()
        response = self.client.post(
            "/api/v1/visits",
            json={
                "matter": MATTER,
                "location": slot["location"],
                "start": slot["start"],
                "name": f"Osoba Testowa {n}",
                "email": f"booking-bench-{n}@example.org",
            },
        )
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 201, response.json
        if n >= WARM_UP:
            self.durations.append(elapsed)
            self.per_booking.append(len(self.statements))

    def figures(self) -> dict:
        return latency(self.durations) | {
            "sql_per_booking": sorted(self.per_booking)[len(self.per_booking) // 2],
            "sql_max": max(self.per_booking),
            "free_slots": self.free_count,
            "visits": self.visits,
        }

    def drop(self) -> None:
        with self.app.app_context():
            db.session.remove()  # end the transaction before dropping (SQLite write lock)
            db.drop_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--bookings", type=int, default=300)
    options = parser.parse_args()

    urls = database_urls(options.database_url)
    offices = [
        Office("empty", urls["empty"], 0, options.bookings),
        Office("seeded", urls["seeded"], options.visits, options.bookings),
    ]
    for n in range(options.bookings + WARM_UP):
        # Each pair in turn order, so neither always goes first.
        for office in offices if n % 2 else offices[::-1]:
            office.book(n)
    engine = offices[0].engine.dialect.name
    figures = {office.label: office.figures() for office in offices}
    for office in offices:
        office.drop()
    ratio = {
        key: round(figures["seeded"][key] / figures["empty"][key], 2)
        for key in ("median_ms", "p95_ms")
    }

    print(f"engine {engine}; POST /api/v1/visits ({MATTER}), {options.bookings} bookings each")
    print(f"{'database':28}{'median':>10}{'p95':>10}{'SQL':>6}{'free slots':>12}")
    for label, row in figures.items():
        name = f"{label} ({row['visits']:,} visits)"
        print(
            f"{name:28}{row['median_ms']:>8.2f}ms{row['p95_ms']:>8.2f}ms"
            f"{row['sql_per_booking']:>6}{row['free_slots']:>12,}"
        )
    print(f"{'seeded / empty':28}{ratio['median_ms']:>9.2f}x{ratio['p95_ms']:>9.2f}x")
    print(json.dumps({"bench": "booking", "engine": engine} | figures | {"ratio": ratio}))


if __name__ == "__main__":
    main()
