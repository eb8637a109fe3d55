"""Helpers for the admin tests: form data and logging in on a client of its own."""

from app.extensions import db

LANGUAGES = ("pl", "en", "uk", "ru")


def texts(name: str, values: dict) -> dict:
    """A texts sub-form as posted: ``name-pl``, ``name-en`` …"""
    return {f"{name}-{code}": values.get(code, "") for code in LANGUAGES}


def logs_in(app, email: str, password: str) -> bool:
    """Whether ``email`` logs in with ``password`` on a client of its own (own app context, so
    that the administrator logged in by the test is not the current user there)."""
    db.session.commit()  # end the test's transaction: SQLite lets one writer in at a time
    with app.app_context(), app.test_client() as other:
        return other.post("/login", data={"email": email, "password": password}).status_code == 302
