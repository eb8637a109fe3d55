"""How fast free slots and visit requests are, and how many queries they take.

    .venv/bin/python bench/slots.py [--database-url URL] [--bookings N] [--repeat N]

Builds a throw-away database (SQLite file by default), loads the catalog, fills the FAMI
matter's next 30 days with N bookings spread over both locations, then times
GET /api/v1/matters/fami/slots over the whole horizon and POST /api/v1/visits.
Prints the figures; docs/performance.md records them.
"""

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event

from app import create_app
from app.booking.operations import CITIZEN, Visitor, book
from app.booking.schedule import matter_free_slots
from app.database import utcnow
from app.extensions import db
from app.matters.loader import load_catalog, read_catalog
from app.matters.models import Matter


def build_app(url: str | None):
    directory = Path(tempfile.mkdtemp(prefix="wizyta-bench-"))
    return create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{directory / 'bench.sqlite'}",
            "BOOKING_RATE_LIMIT": "1000000 per minute",
        }
    )


def fill(matter: Matter, bookings: int) -> int:
    """Book ``bookings`` free slots of the matter, spread over the horizon."""
    slots = matter_free_slots(matter, matter.locations, utcnow())
    step = max(1, len(slots) // max(bookings, 1))
    made = 0
    for n, (location, slot) in enumerate(slots[::step][:bookings]):
        visitor = Visitor(name=f"Osoba {n}", email=f"bench{n}@example.pl")
        book(matter, location.slug, slot.start, visitor, CITIZEN, utcnow())
        made += 1
    db.session.commit()
    return made


def timed(call, repeat: int) -> list[float]:
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def summary(name: str, durations: list[float]) -> str:
    ordered = sorted(durations)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"{name:44} median {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms"
        f"   n={len(ordered)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--bookings", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=50)
    options = parser.parse_args()

    app = build_app(options.database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_catalog(read_catalog())
        db.session.commit()
        matter = db.session.scalar(db.select(Matter).where(Matter.slug == "fami"))
        made = fill(matter, options.bookings)

        queries = []
        event.listen(db.engine, "before_cursor_execute", lambda *args: queries.append(1))
        client = app.test_client()
        today = utcnow().date()
        url = (
            f"/api/v1/matters/fami/slots?from={today}"
            f"&to={today + timedelta(days=matter.horizon_days)}"
        )
        response = client.get(url)
        assert response.status_code == 200
        slot_count = len(response.json["slots"])
        queries.clear()
        client.get(url)
        slot_queries = len(queries)

        print(f"engine {db.engine.dialect.name}; {made} bookings; {slot_count} free slots listed")
        print(
            summary(
                "GET slots, 30 days, 2 locations", timed(lambda: client.get(url), options.repeat)
            )
        )
        print(f"{'  SQL statements per GET slots':44} {slot_queries}")

        free = matter_free_slots(matter, matter.locations, utcnow())
        counter = iter(range(10**6))

        def post():
            location, slot = free.pop()
            response = client.post(
                "/api/v1/visits",
                json={
                    "matter": "fami",
                    "location": location.slug,
                    "start": slot.start.isoformat(),
                    "name": "Bench",
                    "email": f"post{next(counter)}@example.pl",
                },
            )
            assert response.status_code == 201, response.json

        repeat = min(options.repeat, len(free))
        print(summary("POST visit (held, verification e-mail queued)", timed(post, repeat)))
        db.session.remove()  # end the transaction before dropping (SQLite write lock)
        db.drop_all()


if __name__ == "__main__":
    main()
