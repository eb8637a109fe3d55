"""What the benchmarks share: a throw-away database and app, and the way figures are summed up."""

import statistics
import tempfile
from pathlib import Path

import psycopg

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
