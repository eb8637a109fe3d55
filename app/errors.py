"""Error pages: JSON under /api, HTML elsewhere; never a stack trace."""

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db


def wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):
    if wants_json():
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error=code, message=error.description), error.code
    return render_template("error.html", error=error), error.code


def handle_csrf_error(error: CSRFError):
    error.description = _(
        "The form has expired or was sent from another page. Go back, reload it and try again."
    )
    return handle_http_error(error)


def handle_unexpected_error(error: Exception):
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    db.session.rollback()
    return handle_http_error(InternalServerError(original_exception=error))


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
