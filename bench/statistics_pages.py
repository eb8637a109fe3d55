"""The statistics at an office's scale: each statistics page and an export, server-side (the
WSGI app in process, no network), with a year of visits in the database, and how many SQL
statements each takes.

    .venv/bin/python bench/statistics_pages.py [--database-url URL] [--visits N] [--repeat N]

Builds a throw-away database (an SQLite file by default; a PostgreSQL URL's database is dropped
and created), seeds it with ``flask demo seed``'s function (N visits, default 100,000: a year
behind and the weeks ahead, with the offer and free-date samples the scheduler records), logs
an administrator in, then requests each page ``--repeat`` times in turn. Prints a table, then
the figures as one JSON line.
"""

import argparse
from datetime import timedelta

from support import build_app, fresh_database, print_pages, settle, time_pages

from app.accounts.models import Role, User
from app.booking.schedule import office_day
from app.database import utcnow
from app.demo.seed import seed_demo
from app.extensions import db
from app.statistics.forms import last_month

WARM_UP = 3
EMAIL, PASSWORD = "bench@urzad.example", "correct horse battery"


def pages(app) -> dict[str, str]:
    with app.app_context():
        today = office_day(utcnow())
    year = f"first={today - timedelta(days=364)}&last={today}"
    first, last = last_month(today)
    return {
        "statistics, a year, every unit": f"/statistics/?{year}",
        "statistics, a year, FAMI": f"/statistics/?{year}&matter=fami",
        "statistics, last month, every unit": f"/statistics/?first={first}&last={last}",
        "hours table, a year, .xlsx": f"/statistics/hours.xlsx?{year}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()

    app = build_app(fresh_database(options.database_url), WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.create_all()
        seed_demo(options.visits)
        head = User(email=EMAIL, role=Role.ADMIN)
        head.set_password(PASSWORD)
        db.session.add(head)
        db.session.commit()
        settle(db.engine)
        engine = db.engine
    client = app.test_client()
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    figures = time_pages(client, engine, pages(app), options.repeat, WARM_UP)
    dialect = engine.dialect.name
    with app.app_context():
        db.session.remove()
        db.drop_all()
    print_pages("statistics", dialect, options.visits, options.repeat, figures)


if __name__ == "__main__":
    main()
