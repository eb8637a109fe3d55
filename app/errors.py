"""Error pages: JSON under /api, HTML elsewhere; never a stack trace."""

import time

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    ServiceUnavailable,
    TooManyRequests,
)

from app.extensions import db, limiter


def wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):
    # What the exception says besides its body: e.g. ``Allow`` with a 405.
    headers = [(name, value) for name, value in error.get_headers() if name != "Content-Type"]
    if wants_json():
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error=code, message=error.description), error.code, headers
    return render_template("error.html", error=error), error.code, headers


def handle_too_many_requests(error: TooManyRequests):
    """Say how long to wait, in the reader's language (``Retry-After`` says it to programs);
    a limit of our own raises a subclass with its ``retry_after`` and ``wait_message``."""
    limit = limiter.current_limit
    if error.retry_after is not None:
        seconds = int(error.retry_after)
    else:
        seconds = max(1, int(limit.reset_at - time.time())) if limit else 60
    explain = getattr(error, "wait_message", wait_message)
    error.description = explain(max(1, round(seconds / 60)))
    return handle_http_error(error)


def wait_message(minutes: int) -> str:
    return ngettext(
        "Please wait %(num)d minute and try again.",
        "Please wait %(num)d minutes and try again.",
        minutes,
    )


def handle_csrf_error(error: CSRFError):
    error.description = _(
        "The form has expired or was sent from another page. Go back, reload it and try again."
    )
    return handle_http_error(error)


def handle_database_unavailable(error: OperationalError):
    """The database is restarting, unreachable or too busy: nothing was stored (the transaction
    is rolled back), and the answer says to come back shortly."""
    current_app.logger.warning(
        "database unavailable (%s) on %s", type(error.orig).__name__, request.path
    )
    db.session.rollback()
    unavailable = ServiceUnavailable(
        _("The service is briefly unavailable. Nothing was saved; please try again in a minute."),
        retry_after=RETRY_AFTER_UNAVAILABLE,
    )
    return handle_http_error(unavailable)


RETRY_AFTER_UNAVAILABLE = 30  # seconds


def handle_unexpected_error(error: Exception):
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    db.session.rollback()
    return handle_http_error(InternalServerError(original_exception=error))


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(TooManyRequests, handle_too_many_requests)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected_error)
