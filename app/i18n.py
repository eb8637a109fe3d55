"""Languages: the interface locale and catalog texts stored in several languages."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale

DEFAULT_LANGUAGE = "pl"
LANGUAGE_NAMES = {"pl": "polski", "en": "English", "uk": "українська", "ru": "русский"}

Translated = dict[str, str]


def select_locale() -> str:
    """The language asked for in ``?lang=`` (kept in the session), else Polish."""
    if not has_request_context():  # the scheduler and commands write in the office's language
        return DEFAULT_LANGUAGE
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
    return session.get("lang", DEFAULT_LANGUAGE)


def localized(texts: Translated | None, language: str | None = None) -> str:
    """Pick a catalog text in the interface language, falling back to Polish."""
    if not texts:
        return ""
    language = language or str(get_locale())
    return texts.get(language) or texts.get(DEFAULT_LANGUAGE) or next(iter(texts.values()))
