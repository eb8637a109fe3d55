"""The migrations build, on an empty database of each engine, exactly what the models describe."""

import logging
import uuid
from contextlib import contextmanager
from datetime import datetime

import psycopg
import pytest
from sqlalchemy import CheckConstraint, DateTime, bindparam, inspect, text, update
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db
from app.matters.loader import load_catalog
from app.matters.models import Matter
from app.matters.settings import SETTINGS
from tests.matters.settings_cases import ACCEPTED, REFUSED
from tests.support import shipped_catalog


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


# --- 0006: a matter's settings held to app/matters/settings.py -------------------------------

BEFORE_IT = "0005"
MIGRATE_WARNINGS = pytest.mark.filterwarnings(
    "ignore:'get_engine' is deprecated:DeprecationWarning"
)


def migrate(app, *args: str):
    with logging_restored():
        return app.test_cli_runner().invoke(args=["db", *args])


def matters_checks(app) -> set[str]:
    with app.app_context():
        checks = inspect(db.engine).get_check_constraints("matters")
    return {check["name"] for check in checks}


def model_checks() -> set[str]:
    return {
        constraint.name
        for constraint in Matter.__table__.constraints
        if isinstance(constraint, CheckConstraint)
    }


def catalog_at(app, revision: str) -> None:
    """The shipped catalog in a database at an older ``revision``: loaded with today's models
    at the head, then migrated down (the ORM knows only today's columns)."""
    assert migrate(app, "upgrade").exit_code == 0
    with app.app_context():
        load_catalog(shipped_catalog())
        db.session.commit()
    assert migrate(app, "downgrade", revision).exit_code == 0


def matters_rows(app) -> list[tuple]:
    """Every matter as the table holds it now, whatever its columns at this revision."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(text("SELECT * FROM matters ORDER BY id"))]


def refusing_setting(app, case) -> str | None:
    """The setting whose CHECK constraint refuses ``case``'s values for every matter, or None."""
    with app.app_context(), db.engine.connect() as connection:
        try:
            connection.execute(update(Matter.__table__).values(**case.values))
        except IntegrityError as error:
            return next(name for name in SETTINGS if f"ck_matters_{name}_" in str(error.orig))
        finally:
            connection.rollback()
    return None


@MIGRATE_WARNINGS
def test_0006_holds_a_database_with_matters_to_the_settings_and_goes_back(fresh_app):
    catalog_at(fresh_app, BEFORE_IT)  # the shipped catalog, as it was loaded before 0006
    before = matters_rows(fresh_app)
    old_checks = matters_checks(fresh_app)

    upgrade = migrate(fresh_app, "upgrade", "0006")

    assert upgrade.exit_code == 0, upgrade.output
    assert matters_rows(fresh_app) == before
    # Autogenerate (and so ``db check``) does not compare CHECK constraints: compare them here.
    assert matters_checks(fresh_app) == model_checks()
    for name, case in (REFUSED | ACCEPTED).items():
        expected = None if case.fault is None else case.field
        assert refusing_setting(fresh_app, case) == expected, name

    downgrade = migrate(fresh_app, "downgrade", BEFORE_IT)

    assert downgrade.exit_code == 0, downgrade.output
    assert matters_rows(fresh_app) == before
    assert matters_checks(fresh_app) == old_checks
    assert refusing_setting(fresh_app, REFUSED["desks=51"]) is None  # the old, looser limits
    assert migrate(fresh_app, "upgrade").exit_code == 0


@MIGRATE_WARNINGS
def test_0006_names_the_matters_outside_the_new_limits_and_changes_nothing(fresh_app):
    catalog_at(fresh_app, BEFORE_IT)
    with fresh_app.app_context():  # what ``catalog load`` took before 0006
        db.session.execute(
            text("UPDATE matters SET slot_minutes = 7, desks = 60 WHERE slug = 'fami'")
        )
        db.session.commit()
    before = matters_rows(fresh_app)
    old_checks = matters_checks(fresh_app)

    upgrade = migrate(fresh_app, "upgrade")

    assert upgrade.exit_code == 1
    assert (
        "these matters are outside the new limits; correct them (in /admin/matters) and upgrade "
        "again: fami (slot_minutes % 5 = 0), fami (desks BETWEEN 1 AND 50)"
    ) in upgrade.output
    with fresh_app.app_context():
        version = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == BEFORE_IT
    assert matters_checks(fresh_app) == old_checks
    assert matters_rows(fresh_app) == before


# --- 0005: visits record their channel and the person key ------------------------------------


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        names = inspect(db.engine).get_table_names()
        return {
            name: db.session.scalar(text(f'SELECT count(*) FROM "{name}"'))
            for name in names
            if name != "alembic_version"
        }


@MIGRATE_WARNINGS
def test_0005_gives_existing_visits_their_channel_and_person_key(fresh_app):
    catalog_at(fresh_app, "0004")
    with fresh_app.app_context():
        matter_id, location_id = db.session.execute(
            text(
                "SELECT id, location_id FROM matters JOIN matter_locations ON matter_id = id"
                " WHERE slug = 'fami' ORDER BY location_id"
            )
        ).first()
        operator = db.session.execute(
            text(
                "INSERT INTO users (email, name, role, password_hash, active, failed_logins,"
                " created_at) VALUES ('op@urzad.example', '', 'operator', 'x', true, 0,"
                " '2026-11-30 08:00:00') RETURNING id"
            )
        ).scalar()
        for n, (email, booked_by) in enumerate(
            [("Olena.K+fami@Example.ORG", None), (None, operator), ("Łucja@Przykład.pl", None)]
        ):
            db.session.execute(
                text(
                    "INSERT INTO visits (reference, matter_id, location_id, starts_at, ends_at,"
                    " status, name, email, language, created_at, sequence, reason, booked_by_id)"
                    " VALUES (:reference, :matter, :location, :start, :end, 'cancelled', 'X',"
                    " :email, 'pl', :start, 0, '', :booked_by)"
                ),
                {
                    "reference": f"WP-TEST2{n}",
                    "matter": matter_id,
                    "location": location_id,
                    "start": datetime(2026, 12, 2 + n, 9),
                    "end": datetime(2026, 12, 2 + n, 10),
                    "email": email,
                    "booked_by": booked_by,
                },
            )
        for n in range(3):  # each visit's history
            db.session.execute(
                text(
                    "INSERT INTO visit_changes (visit_id, at, actor, to_status, note)"
                    " SELECT id, created_at, 'citizen', 'cancelled', '' FROM visits"
                    " WHERE reference = :reference"
                ),
                {"reference": f"WP-TEST2{n}"},
            )
        db.session.commit()
    rows_before = row_counts(fresh_app)

    assert migrate(fresh_app, "upgrade", "0005").exit_code == 0
    # SQLite rebuilds a table to change it: the rows that point at it (a visit's history, a
    # matter's channels and places) must survive that.
    assert row_counts(fresh_app) == rows_before
    assert migrate(fresh_app, "upgrade").exit_code == 0
    # Tables of 0007, 0010, 0012, 0013 and 0018 begin empty.
    assert row_counts(fresh_app) == rows_before | {
        "outbox_pauses": 0,
        "job_runs": 0,
        "offered_desks": 0,
        "free_date_samples": 0,
        "kiosks": 0,
        "queue_days": 0,
        "waitlist_entries": 0,
    }
    assert migrate(fresh_app, "downgrade", "0005").exit_code == 0

    with fresh_app.app_context():
        rows = db.session.execute(
            text("SELECT email_key, channel FROM visits ORDER BY reference")
        ).all()
    assert [tuple(row) for row in rows] == [
        ("olena.k@example.org", "online"),
        (None, "infoline"),
        ("łucja@przykład.pl", "online"),  # lower case beyond ASCII too, as the rules compare
    ]
    assert migrate(fresh_app, "downgrade", "0004").exit_code == 0


# --- 0011: the languages a matter is served in, helplines among the channels ----------------


def channel_kinds(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(text("SELECT kind FROM channels ORDER BY id")))


@MIGRATE_WARNINGS
def test_0011_adds_languages_and_helplines_and_goes_back_without_them(fresh_app):
    catalog_at(fresh_app, "0010")
    kinds_before = channel_kinds(fresh_app)
    assert "helpline" not in kinds_before

    assert migrate(fresh_app, "upgrade", "0011").exit_code == 0
    with fresh_app.app_context():
        served = "SELECT count(*) FROM matters WHERE CAST(languages AS TEXT) != '[]'"
        others = db.session.scalar(text(served))
        db.session.execute(
            text(
                "INSERT INTO channels (matter_id, position, kind, value, label, hours)"
                " SELECT id, 99, 'helpline', '112', '{}', '{}' FROM matters WHERE slug = 'fami'"
            )
        )
        db.session.commit()
    assert others == 0  # existing matters: Polish only, until somebody says otherwise

    assert migrate(fresh_app, "downgrade", "0010").exit_code == 0
    assert channel_kinds(fresh_app) == kinds_before
    with fresh_app.app_context():
        columns = {column["name"] for column in inspect(db.engine).get_columns("matters")}
    assert "languages" not in columns


# --- 0012: what the statistics need ---------------------------------------------------------


@MIGRATE_WARNINGS
def test_0012_and_0016_give_the_history_its_doors_and_go_back_without_them(fresh_app):
    catalog_at(fresh_app, "0011")
    with fresh_app.app_context():
        matter_id, location_id = db.session.execute(
            text(
                "SELECT id, location_id FROM matters JOIN matter_locations ON matter_id = id"
                " WHERE slug = 'fami' ORDER BY location_id"
            )
        ).first()
        for email, role in [("op@urzad.example", "operator"), ("ewa@urzad.example", "staff")]:
            db.session.execute(
                text(
                    "INSERT INTO users (email, name, role, password_hash, active,"
                    " session_version, created_at) VALUES (:email, '', :role, 'x', true, 0,"
                    " '2026-11-30 08:00:00')"
                ),
                {"email": email, "role": role},
            )
        db.session.execute(
            text(
                "INSERT INTO visits (reference, matter_id, location_id, starts_at, ends_at,"
                " status, name, language, created_at, sequence, reason, channel, attention)"
                " VALUES ('WP-TEST30', :matter, :location, '2026-12-02 09:00:00',"
                " '2026-12-02 09:30:00', 'cancelled', 'X', 'pl', '2026-11-30 08:00:00', 0, '',"
                " 'infoline', '')"
            ),
            {"matter": matter_id, "location": location_id},
        )
        # Booked by an administrator at the infoline, then changed by each of these.
        actors = ["citizen", "scheduler", "op@urzad.example", "ewa@urzad.example", "gone@x.pl"]
        for actor, from_status in [("admin@urzad.example", None)] + [
            (actor, "confirmed") for actor in actors
        ]:
            db.session.execute(
                text(
                    "INSERT INTO visit_changes (visit_id, at, actor, from_status, to_status,"
                    " note) SELECT id, created_at, :actor, :from_status, 'cancelled', ''"
                    " FROM visits"
                ),
                {"actor": actor, "from_status": from_status},
            )
        db.session.commit()

    def doors() -> list[tuple]:
        with fresh_app.app_context():
            rows = db.session.execute(text("SELECT actor, channel FROM visit_changes ORDER BY id"))
            return [tuple(row) for row in rows]

    assert migrate(fresh_app, "upgrade", "0012").exit_code == 0
    # A change from an account no longer there was an office member's (the infoline's are
    # operators); 0012 took a booking's door from its actor too.
    later_changes = [
        ("citizen", "online"),
        ("scheduler", None),
        ("op@urzad.example", "infoline"),
        ("ewa@urzad.example", "staff"),
        ("gone@x.pl", "staff"),
    ]
    assert doors() == [("admin@urzad.example", "staff"), *later_changes]
    # 0016: a booking came through its visit's door.
    assert migrate(fresh_app, "upgrade", "0016").exit_code == 0
    assert doors() == [("admin@urzad.example", "infoline"), *later_changes]
    assert migrate(fresh_app, "downgrade", "0015").exit_code == 0
    assert doors() == [("admin@urzad.example", "infoline"), *later_changes]

    assert migrate(fresh_app, "downgrade", "0011").exit_code == 0
    with fresh_app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("visit_changes")}
        tables = set(inspect(db.engine).get_table_names())
    assert "channel" not in columns
    assert not tables & {"offered_desks", "free_date_samples"}


# --- 0013: the day of the visit -------------------------------------------------------------


@MIGRATE_WARNINGS
def test_0013_gives_the_visits_ahead_a_code_and_goes_back_without_the_kiosks(fresh_app):
    catalog_at(fresh_app, "0012")
    with fresh_app.app_context():
        matter_id, location_id = db.session.execute(
            text(
                "SELECT id, location_id FROM matters JOIN matter_locations ON matter_id = id"
                " WHERE slug = 'fami' ORDER BY location_id"
            )
        ).first()
        for reference, day, status in [
            ("WP-AHEAD1", "2099-12-02", "confirmed"),
            ("WP-AHEAD2", "2099-12-03", "requested"),
            ("WP-GONE01", "2020-12-02", "confirmed"),
            ("WP-OFF001", "2099-12-04", "cancelled"),
        ]:
            db.session.execute(
                text(
                    "INSERT INTO visits (reference, matter_id, location_id, starts_at, ends_at,"
                    " status, name, language, created_at, sequence, reason, channel, attention)"
                    " VALUES (:reference, :matter, :location, :starts, :ends, :status, 'X', 'pl',"
                    " '2020-11-30 08:00:00', 0, '', 'online', '')"
                ).bindparams(
                    bindparam("starts", type_=DateTime()), bindparam("ends", type_=DateTime())
                ),
                {
                    "reference": reference,
                    "starts": datetime.fromisoformat(f"{day} 09:00:00"),
                    "ends": datetime.fromisoformat(f"{day} 09:30:00"),
                    "status": status,
                    "matter": matter_id,
                    "location": location_id,
                },
            )
        db.session.commit()

    assert migrate(fresh_app, "upgrade", "0013").exit_code == 0
    with fresh_app.app_context():
        codes = dict(db.session.execute(text("SELECT reference, check_in_code FROM visits")).all())
        visit_id = db.session.scalar(text("SELECT id FROM visits WHERE reference = 'WP-AHEAD1'"))
        db.session.execute(
            text(
                "INSERT INTO visit_changes (visit_id, at, actor, from_status, to_status, note,"
                " channel) VALUES (:id, '2099-12-02 08:50:00', 'kiosk 1: Wejście', 'confirmed',"
                " 'arrived', '', 'kiosk')"
            ),
            {"id": visit_id},
        )
        db.session.commit()
    assert all(len(codes[ref]) == 6 and codes[ref].isdigit() for ref in ("WP-AHEAD1", "WP-AHEAD2"))
    assert codes["WP-GONE01"] is None and codes["WP-OFF001"] is None

    result = migrate(fresh_app, "downgrade", "0012")
    assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        doors = db.session.scalars(text("SELECT channel FROM visit_changes")).all()
        db.session.commit()  # SQLite: the inspector's connection waits for no writer
        tables = set(inspect(db.engine).get_table_names())
        columns = {c["name"] for c in inspect(db.engine).get_columns("visits")}
    assert doors == ["online"]  # the kiosk's change, as the visitor's
    assert not tables & {"kiosks", "queue_days"}
    assert not columns & {"check_in_code", "queue_number"}


# --- 0015: companions and needs --------------------------------------------------------------


@MIGRATE_WARNINGS
def test_0015_visits_declared_nothing_and_going_back_keeps_them(fresh_app):
    catalog_at(fresh_app, "0014")
    with fresh_app.app_context():
        matter_id, location_id = db.session.execute(
            text(
                "SELECT id, location_id FROM matters JOIN matter_locations ON matter_id = id"
                " WHERE slug = 'fami' ORDER BY location_id"
            )
        ).first()
        db.session.execute(
            text(
                "INSERT INTO visits (reference, matter_id, location_id, starts_at, ends_at,"
                " status, name, language, created_at, sequence, reason, channel, attention,"
                " called_to) VALUES ('WP-AHEAD1', :matter, :location, '2099-12-02 09:00:00',"
                " '2099-12-02 09:30:00', 'confirmed', 'X', 'pl', '2020-11-30 08:00:00', 0, '',"
                " 'online', '', '')"
            ),
            {"matter": matter_id, "location": location_id},
        )
        db.session.commit()

    assert migrate(fresh_app, "upgrade", "0015").exit_code == 0
    with fresh_app.app_context():
        declared = db.session.execute(
            text(
                "SELECT companion, sign_language, step_free, more_time, case_reference FROM visits"
            )
        ).one()
        asking = db.session.scalars(text("SELECT asks_case_reference FROM matters")).all()
        db.session.execute(
            text(
                "UPDATE visits SET companion = 'guardian', sign_language = 'pjm',"
                " step_free = :yes, case_reference = 'WO.1'"
            ),
            {"yes": True},
        )
        db.session.commit()
    assert tuple(declared) == (None, None, False, False, "")
    assert asking and not any(asking)  # until the catalog is loaded again

    result = migrate(fresh_app, "downgrade", "0014")
    assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        references = db.session.scalars(text("SELECT reference FROM visits")).all()
        db.session.commit()
        columns = {c["name"] for c in inspect(db.engine).get_columns("visits")}
    assert references == ["WP-AHEAD1"]
    assert not columns & {"companion", "sign_language", "step_free", "more_time", "case_reference"}
