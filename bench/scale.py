"""The public side at an office's scale: what a citizen's pages and the API cost with a year of
visits in the database, server-side (the WSGI app in process, no network), and how many SQL
statements each takes.

    .venv/bin/python bench/scale.py [--database-url URL] [--visits N] [--repeat N]

Builds a throw-away database (an SQLite file by default; a PostgreSQL URL's database is dropped
and created), seeds it with ``flask demo seed``'s function (N visits, default 100,000), then
requests each page ``--repeat`` times in turn: the free slots of the FAMI matter over its
whole horizon (the API), the FAMI page with its times, and the public list of matters with
each one's first free day. Prints a table, then the figures as one JSON line.
"""

import argparse
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from support import build_app, fresh_database, print_pages, settle, time_pages

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
        "public list, each matter's first free day": "/",
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
    client = app.test_client()
    figures = time_pages(client, engine, pages(app), options.repeat, WARM_UP)
    dialect = engine.dialect.name
    with app.app_context():
        db.session.remove()
        db.drop_all()
    print_pages("scale", dialect, options.visits, options.repeat, figures)


if __name__ == "__main__":
    main()
