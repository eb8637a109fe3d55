"""Configuration defaults; ``instance/config.py`` and environment variables override them."""

import os
from datetime import date

DEFAULTS = {
    "SECRET_KEY": None,
    "SQLALCHEMY_DATABASE_URI": None,
    "OFFICE_TIMEZONE": "Europe/Warsaw",
    "LANGUAGES": ["pl", "en", "uk", "ru"],
    "BABEL_DEFAULT_LOCALE": "pl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Warsaw",
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Personal data stays out of logs: database errors do not carry the statement's values.
    # A pooled connection is checked before use: after a PostgreSQL restart or fail-over the
    # first request on each finds a fresh one instead of an error.
    "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True, "pool_pre_ping": True},
    # PostgreSQL gives up on a statement, and on waiting for a lock, after this long (0: never),
    # so that nothing waits forever; migrations run without them.
    "DATABASE_STATEMENT_TIMEOUT_SECONDS": 60,
    "DATABASE_LOCK_TIMEOUT_SECONDS": 15,
    "SESSION_COOKIE_SECURE": False,  # set True in production (HTTPS)
    # Browsers are told to come back only over HTTPS for this long (seconds; 0: not told).
    "HSTS_MAX_AGE": 365 * 24 * 3600,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "HOLD_MINUTES": 30,
    # Online requests one client address may make within any HOLD_MINUTES (app.booking.holds).
    "HOLDS_PER_SOURCE": 5,
    # A desk the visitor let go (cancelled, or not confirmed in time) is offered again this long
    # after: a reseller cannot free a desk and book it for a buyer in the same moment.
    "DESK_REOFFER_MINUTES": 10,
    # The privacy notice names them: who holds the visitors' data, and how to reach the data
    # protection officer (empty: by letter to the controller's address).
    "PRIVACY_CONTROLLER": "Wojewoda Małopolski, ul. Basztowa 22, 31-156 Kraków",
    "DATA_PROTECTION_OFFICER": "",
    # The accessibility statement (deklaracja dostępności): whom to write or call about a barrier,
    # and the dates it gives: the service published, the statement made and last reviewed.
    "ACCESSIBILITY_CONTACT_EMAIL": "wp@malopolska.uw.gov.pl",
    "ACCESSIBILITY_CONTACT_PHONE": "12 430 29 73",
    "ACCESSIBILITY_PUBLISHED": date(2026, 12, 3),
    "ACCESSIBILITY_STATEMENT_DATE": date(2026, 12, 3),
    "ACCESSIBILITY_REVIEWED": date(2026, 12, 3),
    # The public form sent sooner than this after it was shown is taken for a program's (0: off).
    "FORM_MIN_FILL_SECONDS": 3,
    # Tries per account and source address; past them that source waits (the account does not).
    "LOGIN_FAILURE_LIMIT": "5 per 15 minutes",
    # A staff session ends after this long without a request, and this long after the login.
    "STAFF_SESSION_IDLE_MINUTES": 60,
    "STAFF_SESSION_HOURS": 12,
    # Who may read /metrics (comma-separated networks): the monitor's, e.g. "10.0.0.0/8".
    "METRICS_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128",
    # Proxies in front of the app (a TLS proxy: 1): limits key on the address they report.
    "PROXY_COUNT": 0,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "BOOKING_RATE_LIMIT": "10 per minute; 60 per hour",
    "LOGIN_RATE_LIMIT": "20 per minute",
}

# Environment variables read on start-up, with the config key they set.
ENVIRONMENT = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "DATABASE_STATEMENT_TIMEOUT_SECONDS": "DATABASE_STATEMENT_TIMEOUT_SECONDS",
    "DATABASE_LOCK_TIMEOUT_SECONDS": "DATABASE_LOCK_TIMEOUT_SECONDS",
    "HOLD_MINUTES": "HOLD_MINUTES",
    "HOLDS_PER_SOURCE": "HOLDS_PER_SOURCE",
    "DESK_REOFFER_MINUTES": "DESK_REOFFER_MINUTES",
    "PRIVACY_CONTROLLER": "PRIVACY_CONTROLLER",
    "DATA_PROTECTION_OFFICER": "DATA_PROTECTION_OFFICER",
    "ACCESSIBILITY_CONTACT_EMAIL": "ACCESSIBILITY_CONTACT_EMAIL",
    "ACCESSIBILITY_CONTACT_PHONE": "ACCESSIBILITY_CONTACT_PHONE",
    "ACCESSIBILITY_PUBLISHED": "ACCESSIBILITY_PUBLISHED",
    "ACCESSIBILITY_STATEMENT_DATE": "ACCESSIBILITY_STATEMENT_DATE",
    "ACCESSIBILITY_REVIEWED": "ACCESSIBILITY_REVIEWED",
    "FORM_MIN_FILL_SECONDS": "FORM_MIN_FILL_SECONDS",
    "SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "HSTS_MAX_AGE": "HSTS_MAX_AGE",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "PROXY_COUNT": "PROXY_COUNT",
    "METRICS_ALLOWED_NETWORKS": "METRICS_ALLOWED_NETWORKS",
    "BOOKING_RATE_LIMIT": "BOOKING_RATE_LIMIT",
    "LOGIN_RATE_LIMIT": "LOGIN_RATE_LIMIT",
    "LOGIN_FAILURE_LIMIT": "LOGIN_FAILURE_LIMIT",
    "STAFF_SESSION_IDLE_MINUTES": "STAFF_SESSION_IDLE_MINUTES",
    "STAFF_SESSION_HOURS": "STAFF_SESSION_HOURS",
}


def from_environment() -> dict:
    values = {}
    for variable, key in ENVIRONMENT.items():
        if variable in os.environ:
            raw = os.environ[variable]
            values[key] = parse(raw, DEFAULTS.get(key))
    return values


def parse(raw: str, default):
    """An environment value as the type of its default (``MAIL_USE_TLS=true`` → True)."""
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, date):
        return date.fromisoformat(raw.strip())  # YYYY-MM-DD; anything else stops the start
    return raw


def engine_options(config) -> dict:
    """SQLAlchemy's engine options; on PostgreSQL with the statement and lock time-outs."""
    options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        settings = {
            "statement_timeout": config["DATABASE_STATEMENT_TIMEOUT_SECONDS"],
            "lock_timeout": config["DATABASE_LOCK_TIMEOUT_SECONDS"],
        }
        given = options.get("connect_args", {})
        options["connect_args"] = {
            "options": " ".join(f"-c {name}={seconds}s" for name, seconds in settings.items()),
            **given,
        }
    return options


def database_uri(uri: str) -> str:
    """Let ``postgresql://`` URLs (the usual form) use the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri.removeprefix(prefix)
    return uri


MAIL_DEFAULTS = {
    "MAIL_SERVER": None,  # without one, messages are written to instance/mail/
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Wizyta <wizyta@localhost>",
    "MAIL_TIMEOUT": 30,
    "MAIL_RUN_SECONDS": 25,  # one run of the sender; the scheduler starts one every 30 s
    # SMTP connections a run sends over at once: each waits for the server's answers while the
    # others send (servers commonly take several connections from one client).
    "MAIL_CONNECTIONS": 2,
    "MAIL_RETRY_BASE_SECONDS": 60,  # first delay after a 4xx, and before probing a paused server
    "MAIL_RETRY_DAYS": 4,  # a message refused for now is retried this long (RFC 5321 4.5.4.1)
    "MAIL_LEASE_SECONDS": 300,
}
# Text messages (``app.mail.sms``): off unless a transport is set; they share the outbox's
# retries and lease (MAIL_RETRY_*, MAIL_LEASE_SECONDS, MAIL_RUN_SECONDS).
SMS_DEFAULTS = {
    "SMS_TRANSPORT": "",  # "smsapi" (an HTTP gateway of SMSAPI.pl's protocol) or "file"
    "SMS_GATEWAY_URL": "https://api.smsapi.pl/",
    "SMS_GATEWAY_TOKEN": None,
    "SMS_SENDER": "",  # the sender name registered with the gateway; empty: its default
    "SMS_TIMEOUT": 10.0,
}
DEFAULTS |= (
    MAIL_DEFAULTS
    | SMS_DEFAULTS
    | {
        "PUBLIC_URL": "http://127.0.0.1:5000",  # links in e-mails start with this
        "REMINDER_HOURS_BEFORE": 24,
        "NEAREST_TIMES_OFFERED": 5,
        # The administrators' start page warns when a message due has waited longer than this.
        "OUTBOX_BACKLOG_MINUTES": 10,
        # A job run stops taking new batches after this long (the next run goes on).
        "SCHEDULER_RUN_SECONDS": 50,
        # Arrival may be marked this long before a visit's time (people come a few minutes early).
        "CHECK_IN_OPENS_MINUTES": 30,
        # Codes a kiosk takes in a row without a check-in; past them it waits (guessing is slow).
        "KIOSK_WRONG_CODE_LIMIT": "5 per 2 minutes",
    }
)
ENVIRONMENT |= {name: name for name in MAIL_DEFAULTS | SMS_DEFAULTS} | {
    "PUBLIC_URL": "PUBLIC_URL",
    "REMINDER_HOURS_BEFORE": "REMINDER_HOURS_BEFORE",
    "SCHEDULER_RUN_SECONDS": "SCHEDULER_RUN_SECONDS",
    "OUTBOX_BACKLOG_MINUTES": "OUTBOX_BACKLOG_MINUTES",
    "CHECK_IN_OPENS_MINUTES": "CHECK_IN_OPENS_MINUTES",
    "KIOSK_WRONG_CODE_LIMIT": "KIOSK_WRONG_CODE_LIMIT",
}
