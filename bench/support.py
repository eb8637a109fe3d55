"""What the benchmarks share: a throw-away database and app, and the way figures are summed up."""

import json
import statistics
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy import event

from app import create_app


def fresh_database(url: str | None) -> str:
    """A database of its own: a new SQLite file by default; a PostgreSQL ``url``'s database is
    dropped and created again (so its statistics and files are as new)."""
    if url is None:
        directory = Path(tempfile.mkdtemp(prefix="wizyta-bench-"))
        return f"sqlite:///{directory / 'bench.sqlite'}"
    if url.startswith(("postgresql://", "postgres://")):
        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    return url


def build_app(url: str, **config):
    return create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "BOOKING_RATE_LIMIT": "1000000 per minute",
        }
        | config
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * share) - 1)]


def latency(durations_ms: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(durations_ms), 2),
        "p95_ms": round(percentile(durations_ms, 0.95), 2),
        "p99_ms": round(percentile(durations_ms, 0.99), 2),
        "n": len(durations_ms),
    }


def settle(engine) -> None:
    """Planner statistics and PostgreSQL's visibility map, as autovacuum keeps them in a
    running database (index-only scans need the latter)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def time_pages(client, engine, urls: dict[str, str], repeat: int, warm_up: int) -> dict:
    """Each page of ``urls`` (name → path) requested ``repeat`` times in turn (the machine's
    load weighs on each alike) after ``warm_up`` rounds: its latency and its median number of
    SQL statements."""
    statements: list[int] = []

    def count(*_args) -> None:
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    durations: dict[str, list[float]] = {name: [] for name in urls}
    counts: dict[str, list[int]] = {name: [] for name in urls}
    try:
        for n in range(repeat + warm_up):
            for name, url in urls.items():
                statements.clear()
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (url, response.status_code)
                if n >= warm_up:
                    durations[name].append(elapsed)
                    counts[name].append(len(statements))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return {
        name: latency(durations[name]) | {"sql": sorted(counts[name])[len(counts[name]) // 2]}
        for name in urls
    }


def print_pages(bench: str, dialect: str, visits: int, repeat: int, figures: dict) -> None:
    """``time_pages``' figures as a table, then as one JSON line."""
    print(f"engine {dialect}; {visits:,} visits; {repeat} requests each")
    print(f"{'page':44}{'median':>10}{'p95':>10}{'p99':>10}{'SQL':>6}")
    for name, row in figures.items():
        print(
            f"{name:44}{row['median_ms']:>8.2f}ms{row['p95_ms']:>8.2f}ms"
            f"{row['p99_ms']:>8.2f}ms{row['sql']:>6}"
        )
    print(json.dumps({"bench": bench, "engine": dialect, "visits": visits} | figures))
