"""A request that meets a dropped database connection (a PostgreSQL restart or fail-over in
the middle of it) is run once more on a fresh connection, where that is safe: only if it has
not yet begun to commit, so that nothing it did can have been stored. Connections that were
dropped while idle never reach a request: the pool checks each before use (``pool_pre_ping``).
"""

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.extensions import db

COMMITTING = "wizyta.committing"  # in the request's WSGI environment
# What PostgreSQL says as it ends a connection (restart, fail-over, an administrator), before
# the driver sees the connection closed; and connection failures (class 08).
SERVER_ENDED_CONNECTION = {"57P01", "57P02", "57P03"}


def connection_lost(error: DBAPIError) -> bool:
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    return (
        error.connection_invalidated
        or sqlstate in SERVER_ENDED_CONNECTION
        or sqlstate.startswith("08")
    )


class RetryingFlask(Flask):
    def dispatch_request(self):
        try:
            return super().dispatch_request()
        except DBAPIError as error:
            if not connection_lost(error) or request.environ.get(COMMITTING):
                raise
            current_app.logger.warning("database connection lost; running the request again")
            db.session.rollback()
            return super().dispatch_request()


@event.listens_for(Session, "before_commit")
def _note_commit(session) -> None:
    # Once a commit is under way its outcome may be unknown to us: no second run after that.
    # (A savepoint released is no commit: nothing is stored until the transaction's.)
    if has_request_context() and not session.in_nested_transaction():
        request.environ[COMMITTING] = True
