"""The load balancer's and the monitor's questions: alive with its database, ready for traffic."""

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app import PROJECT_ROOT, create_app
from app.extensions import db, limiter
from tests.conftest import free_port

MIGRATIONS = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
HEAD = MIGRATIONS.get_current_head()
BEFORE_HEAD = MIGRATIONS.get_revision(HEAD).down_revision


def migrated_to(revision: str) -> None:
    """What Alembic keeps of a migrated database: the revision it reached."""
    db.session.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
    db.session.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})
    db.session.commit()


def test_alive_with_its_database(client, app_context):
    answer = client.get("/healthz")
    assert (answer.status_code, answer.get_json()) == (
        200,
        {"status": "ok", "checks": {"database": True}},
    )
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer.headers


def test_not_healthy_when_the_database_does_not_answer(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'no such folder' / 'wizyta.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": unreachable})
    for path in ["/healthz", "/readyz"]:
        answer = app.test_client().get(path)
        assert answer.status_code == 503
        assert answer.get_json()["checks"]["database"] is False


def test_ready_only_when_the_schema_is_the_codes(client, app_context):
    not_migrated = client.get("/readyz")
    assert not_migrated.status_code == 503
    assert not_migrated.get_json()["checks"] == {
        "database": True,
        "schema": False,
        "shared_store": True,
    }

    migrated_to(HEAD)
    assert client.get("/readyz").status_code == 200

    db.session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": BEFORE_HEAD})
    db.session.commit()
    behind = client.get("/readyz")  # the code was deployed before `db upgrade`
    assert (behind.status_code, behind.get_json()["checks"]["schema"]) == (503, False)


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_not_ready_without_the_shared_store(app, client, app_context, engine_name):
    migrated_to(HEAD)
    app.config["RATELIMIT_STORAGE_URI"] = f"redis://127.0.0.1:{free_port()}/0"  # nobody there
    limiter.init_app(app)
    answer = client.get("/readyz")
    assert (answer.status_code, answer.get_json()["checks"]["shared_store"]) == (503, False)
