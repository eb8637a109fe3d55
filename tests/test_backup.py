"""The backup docs/deploy.md prescribes restores: pg_dump's custom format into an empty
database gives back every row of every table."""

import shutil
import subprocess
import uuid

import psycopg
import pytest
from sqlalchemy import create_engine, func, select, text

from app.booking.operations import Visitor
from app.extensions import db
from app.matters.models import Matter
from tests.support import request_online, require_or_skip, warsaw


@pytest.fixture
def engine_name() -> str:
    return "postgresql"


@pytest.fixture
def restored_url(postgresql_database):
    server = postgresql_database["url"].rpartition("/")[0]
    name = f"wizyta_restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def test_a_dump_restores_every_row(clock, catalog, postgresql_database, restored_url, tmp_path):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        require_or_skip("pg_dump and pg_restore are not installed")
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    visit = request_online(
        fami, "fami-krakow", warsaw(2026, 12, 14, 10), Visitor("Łucja Żółć", "l@example.pl")
    )
    db.session.commit()
    dump = tmp_path / "wizyta.dump"

    subprocess.run(
        ["pg_dump", "-Fc", "-f", str(dump), postgresql_database["url"]], check=True, timeout=120
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "-d", restored_url, str(dump)], check=True, timeout=120
    )

    restored = create_engine(restored_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        assert counts(restored) == counts(db.engine)
        with restored.connect() as connection:
            name = connection.scalar(
                text("SELECT name FROM visits WHERE reference = :r"), {"r": visit.reference}
            )
        assert name == "Łucja Żółć"
    finally:
        restored.dispose()
