"""The public side at an office's scale: what a citizen's pages and the API cost with a year of
visits in the database, server-side (the WSGI app in process, no network), and how many SQL
statements each takes.

    .venv/bin/python bench/scale.py [--database-url URL] [--visits N] [--repeat N]

Builds a throw-away database (an SQLite file by default; a PostgreSQL URL's database is dropped
and created), seeds it with ``flask demo seed``'s function (N visits, default 100,000), then
requests each page ``--repeat`` times in turn: the free slots of the FAMI matter over its
whole horizon (the API), the FAMI page with its times, and the public list of matters. Prints a
table, then the figures as one JSON line.
"""

import argparse
import json
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event, select
from support import build_app, fresh_database, latency, settle

from app.database import utcnow
from app.demo.seed import seed_demo
from app.extensions import db
from app.matters.models import Matter

WARM_UP = 5


def pages(app) -> dict[str, str]:
    with app.app_context():
        horizon = db.session.scalar(select(Matter.horizon_days).where(Matter.slug == "fami"))
        today = utcnow().astimezone(ZoneInfo(app.config["OFFICE_TIMEZONE"])).date()
    last = today + timedelta(days=horizon)
    return {
        "API free slots, FAMI, whole horizon": f"/api/v1/matters/fami/slots?from={today}&to={last}",
        "FAMI page with its times": "/matters/fami?location=fami-krakow",
        "public list of matters": "/",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=300)
    options = parser.parse_args()

    app = build_app(fresh_database(options.database_url))
    with app.app_context():
        db.create_all()
        seed_demo(options.visits)
        db.session.commit()
        settle(db.engine)
        engine = db.engine
    statements: list[int] = []
    event.listen(engine, "before_cursor_execute", lambda *_: statements.append(1))
    client = app.test_client()
    urls = pages(app)
    durations: dict[str, list[float]] = {name: [] for name in urls}
    counts: dict[str, list[int]] = {name: [] for name in urls}
    for n in range(options.repeat + WARM_UP):
        for name, url in urls.items():  # in turn: the machine's load weighs on each alike
            statements.clear()
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if n >= WARM_UP:
                durations[name].append(elapsed)
                counts[name].append(len(statements))
    figures = {
        name: latency(durations[name]) | {"sql": sorted(counts[name])[len(counts[name]) // 2]}
        for name in urls
    }
    dialect = engine.dialect.name
    with app.app_context():
        db.session.remove()
        db.drop_all()

    print(f"engine {dialect}; {options.visits:,} visits; {options.repeat} requests each")
    print(f"{'page':40}{'median':>10}{'p95':>10}{'p99':>10}{'SQL':>6}")
    for name, row in figures.items():
        print(
            f"{name:40}{row['median_ms']:>8.2f}ms{row['p95_ms']:>8.2f}ms"
            f"{row['p99_ms']:>8.2f}ms{row['sql']:>6}"
        )
    print(json.dumps({"bench": "scale", "engine": dialect, "visits": options.visits} | figures))


if __name__ == "__main__":
    main()
