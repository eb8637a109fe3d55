"""The migrations build, on an empty database of each engine, exactly what the models describe."""

import logging
import uuid
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import inspect

from app import create_app
from app.extensions import db


@pytest.fixture
def empty_database_url(request, engine_name, tmp_path):
    """The URL of a database with nothing in it: a new SQLite file, or a scratch database on
    the test PostgreSQL server (skipped like the other tests when it is down), dropped after."""
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    server = request.getfixturevalue("postgresql_database")["url"]
    name = f"wizyta_migrations_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server.rpartition('/')[0]}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_app(empty_database_url):
    """An app on the empty database: no ``create_all``, the migrations are on their own."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test secret",
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@contextmanager
def logging_restored():
    """Alembic's env.py reconfigures logging (``fileConfig`` disables every existing logger and
    replaces the root handlers); put everything back so that later tests still log."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [
        (logger, logger.disabled, logger.level, logger.propagate, [*logger.handlers])
        for logger in loggers
    ]
    try:
        yield
    finally:
        for logger, disabled, level, propagate, handlers in saved:
            logger.disabled, logger.level, logger.propagate = disabled, level, propagate
            logger.handlers[:] = handlers


def table_names(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


# migrations/env.py is Flask-Migrate's template: it tries Flask-SQLAlchemy 2's ``get_engine()``
# first, deprecated in 3.1 (harmless while pyproject pins Flask-SQLAlchemy < 3.2).
@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_upgrading_an_empty_database_gives_exactly_the_models_tables(fresh_app):
    assert table_names(fresh_app) == set()
    runner = fresh_app.test_cli_runner()

    with logging_restored():
        upgrade = runner.invoke(args=["db", "upgrade"])
        check = runner.invoke(args=["db", "check"])

    assert upgrade.exit_code == 0, upgrade.output
    assert check.exit_code == 0, check.output
    assert table_names(fresh_app) == set(db.metadata.tables) | {"alembic_version"}
