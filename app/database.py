"""Engine set-up shared by every engine the app creates (web, CLI, Alembic, tests)."""

import enum
import sqlite3
from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import DateTime, Engine, Enum, Integer, event, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import TypeDecorator

SQLITE_BUSY_TIMEOUT_MS = 30_000


@event.listens_for(Engine, "connect")
def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # SQLAlchemy emits BEGIN itself (below), so that savepoints work and writers queue up.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


READING_METHODS = {"GET", "HEAD", "OPTIONS"}


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    """Reads run side by side (WAL); writers take the write lock up front and queue for it.

    A deferred SQLite transaction that reads, then writes, fails with "database is locked" when
    another writer got there first, so whatever may write begins IMMEDIATE: every transaction
    outside a request (the scheduler, commands) and those of POST requests. A GET never writes,
    and SQLite holds it to that (``query_only``)."""
    if connection.dialect.name != "sqlite":
        return
    reading = has_request_context() and request.method in READING_METHODS
    connection.exec_driver_sql(f"PRAGMA query_only={int(reading)}")
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as naive UTC, the same way on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, _dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """Store an enum by its value as a short string with a CHECK constraint (no native type)."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


def upsert(session, model):
    """An INSERT of ``model`` that can say what to do with a row already there
    (``on_conflict_do_nothing`` / ``on_conflict_do_update``), in the session's dialect."""
    dialect = session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(model)


class whole_days_between(FunctionElement):  # noqa: N801 (used as an SQL function)
    """Whole days of 24 hours from one timestamp column to a later one, in SQL."""

    type = Integer()
    inherit_cache = True


@compiles(whole_days_between, "sqlite")
def _whole_days_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(whole_days_between, "postgresql")
def _whole_days_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    # A difference of timestamps is an interval of days and a time of day (never months): its
    # days are the whole 24 hours (about three times cheaper than from the epoch's seconds).
    return f"CAST(EXTRACT(DAY FROM ({later} - {earlier})) AS INTEGER)"


def advisory_lock(session, key, shared: bool = False) -> None:
    """Hold a PostgreSQL advisory lock on ``key`` (a number, or an SQL expression giving one)
    until the transaction ends: for what no row stands for. SQLite needs none (one writer at a
    time, from the start of the transaction)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    lock = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
    session.execute(select(lock(key)))


MEMO = "wizyta_memo"


def transaction_memo(session) -> dict:
    """A dict that lives as long as the session's outermost transaction: for what a batch looks
    up again and again (a month's closures, a place's nearest free times) and what the
    transaction holds (the rows it locked)."""
    return session.info.setdefault(MEMO, {})


@event.listens_for(Session, "after_transaction_end")
def _forget_memo(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(MEMO, None)
