"""What a load balancer and a monitor ask: is the app alive with its database (``/healthz``),
and may it take traffic (``/readyz``: the database's schema is the code's, the shared store
answers)? JSON, no session, nothing personal; 503 with what failed."""

from functools import cache

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db, limiter

bp = Blueprint("health", __name__)


def database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        current_app.logger.warning("health: the database does not answer")
        return False
    finally:
        db.session.rollback()


@cache
def code_revisions(directory: str) -> frozenset[str]:
    """The migrations' heads: the schema this code expects."""
    return frozenset(ScriptDirectory(directory).get_heads())


def schema_is_current() -> bool:
    directory = current_app.extensions["migrate"].directory
    try:
        stored = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return False  # never migrated
    finally:
        db.session.rollback()
    return frozenset(stored) == code_revisions(str(directory))


def shared_store_answers() -> bool:
    return bool(limiter.storage.check())


def answer(checks: dict[str, bool]):
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return jsonify(body), 200 if healthy else 503, {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():
    return answer({"database": database_answers()})


@bp.get("/readyz")
def readyz():
    database = database_answers()
    return answer(
        {
            "database": database,
            "schema": database and schema_is_current(),
            "shared_store": shared_store_answers(),
        }
    )
