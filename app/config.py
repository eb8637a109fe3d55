"""Configuration defaults; ``instance/config.py`` and environment variables override them."""

import os

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
    "HOLD_MINUTES": 30,
    "JSON_SORT_KEYS": False,
}

# Environment variables read on start-up, with the config key they set.
ENVIRONMENT = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "HOLD_MINUTES": "HOLD_MINUTES",
}


def from_environment() -> dict:
    values = {}
    for variable, key in ENVIRONMENT.items():
        if variable in os.environ:
            raw = os.environ[variable]
            values[key] = int(raw) if isinstance(DEFAULTS.get(key), int) else raw
    return values


def database_uri(uri: str) -> str:
    """Let ``postgresql://`` URLs (the usual form) use the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri.removeprefix(prefix)
    return uri
