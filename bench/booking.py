"""How long one online booking takes, and how many SQL statements, on an empty office and on
one with a year of visits.

    .venv/bin/python bench/booking.py [--database-url URL] [--visits N] [--bookings N]

Builds a throw-away database (SQLite file by default; a PostgreSQL URL's database is dropped
and created) twice: with the catalog only, then seeded by ``flask demo seed``'s function with N
visits (default 100,000). Each time it books ``--bookings`` free slots of the FAMI matter
(online, both locations, spread over the horizon) through POST /api/v1/visits with Flask's test
client, a new person each time so the per-person rules pass. Prints a table, then the figures
as one JSON line; the ratio is seeded over empty.
"""

import argparse
import json
import random
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import event, select, text
from support import build_app, fresh_database, latency

from app.database import utcnow
from app.demo.seed import seed_demo
from app.extensions import db
from app.matters.loader import load_catalog, read_catalog
from app.matters.models import Matter

MATTER = "fami"
WARM_UP = 5  # first requests fill SQLAlchemy's and Jinja's caches: not counted


def free_slots(client) -> list[dict]:
    """Every free slot of the matter over its horizon, as the public API lists them."""
    today = utcnow().astimezone(ZoneInfo(current_app.config["OFFICE_TIMEZONE"])).date()
    horizon = db.session.scalar(select(Matter.horizon_days).where(Matter.slug == MATTER))
    response = client.get(
        f"/api/v1/matters/{MATTER}/slots?from={today}&to={today + timedelta(days=horizon)}"
    )
    assert response.status_code == 200, response.json
    return response.json["slots"]


def book(app, count: int, label: str) -> dict:
    client = app.test_client()
    slots = free_slots(client)
    if len(slots) < count + WARM_UP:
        raise SystemExit(f"{label}: only {len(slots)} free slots for {count} bookings")
    random.Random(1).shuffle(slots)  # spread over the horizon and both places
    statements: list[int] = []
    listener = lambda *_args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    durations, per_booking = [], []
    for n, slot in enumerate(slots[: count + WARM_UP]):
        statements.clear()
        started = time.perf_counter()
        response = client.post(
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
            durations.append(elapsed)
            per_booking.append(len(statements))
    event.remove(db.engine, "before_cursor_execute", listener)
    return latency(durations) | {
        "sql_per_booking": sorted(per_booking)[len(per_booking) // 2],
        "sql_max": max(per_booking),
        "free_slots": len(slots),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--bookings", type=int, default=300)
    options = parser.parse_args()

    figures = {}
    for label, visits in (("empty", 0), ("seeded", options.visits)):
        app = build_app(fresh_database(options.database_url))
        with app.app_context():
            db.create_all()
            if visits:
                seed_demo(visits)
            else:
                load_catalog(read_catalog())
            db.session.commit()
            db.session.execute(text("ANALYZE"))  # planner statistics, as a running database has
            db.session.commit()
            figures[label] = book(app, options.bookings, label) | {"visits": visits}
            engine = db.engine.dialect.name
            db.session.remove()  # end the transaction before dropping (SQLite write lock)
            db.drop_all()
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
