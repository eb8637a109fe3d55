"""Secure response headers, and characters no one types."""

from flask import Flask, abort, current_app, request
from flask_babel import gettext as _

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Scripts and styles come from our own files only (the time picker's picker.js), none inline.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
}


def booking_rate_limit() -> str:
    """Public booking requests per client address (``BOOKING_RATE_LIMIT``)."""
    return current_app.config["BOOKING_RATE_LIMIT"]


def login_rate_limit() -> str:
    """Login attempts per client address (``LOGIN_RATE_LIMIT``), whatever the accounts."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        # No text anyone types contains NUL; PostgreSQL refuses it, so stop it at the door.
        path = [value for value in (request.view_args or {}).values() if isinstance(value, str)]
        values = [*path, *request.args.values(), *request.form.values()]
        if any("\x00" in value for value in values):
            abort(400, _("The request contains characters that are not allowed."))

    @app.after_request
    def secure_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if served_over_https() and current_app.config["HSTS_MAX_AGE"]:
            response.headers["Strict-Transport-Security"] = (
                f"max-age={current_app.config['HSTS_MAX_AGE']}"
            )
        return response


def served_over_https() -> bool:
    """This request came over HTTPS, or the site says it is only served so (its cookies are
    marked secure: behind a proxy that ends TLS, the request itself may look like HTTP)."""
    return request.is_secure or current_app.config["SESSION_COOKIE_SECURE"]
