"""Languages: the interface locale and catalog texts stored in several languages."""

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale

DEFAULT_LANGUAGE = "pl"
LANGUAGE_NAMES = {"pl": "polski", "en": "English", "uk": "українська", "ru": "русский"}

# The locale whose formats write dates in a language: English in the European order, as an
# office in Poland writes it ("Friday, 4 December 2026"), not the American one.
DATE_FORMATS = {"en": "en_GB"}

Translated = dict[str, str]


def select_locale() -> str:
    """The language asked for in ``?lang=`` (kept in the session; the links in e-mails carry
    the visit's), else the browser's first that we have (``Accept-Language``), else Polish."""
    if not has_request_context():  # the scheduler and commands write in the office's language
        return DEFAULT_LANGUAGE
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
    if "lang" in session:
        return session["lang"]
    return request.accept_languages.best_match(languages) or DEFAULT_LANGUAGE


def localized(texts: Translated | None, language: str | None = None) -> str:
    """Pick a catalog text in the interface language, falling back to Polish."""
    if not texts:
        return ""
    language = language or str(get_locale())
    return texts.get(language) or texts.get(DEFAULT_LANGUAGE) or next(iter(texts.values()))


def date_locale() -> str:
    """The locale of the interface language's date formats (``DATE_FORMATS``)."""
    language = str(get_locale())
    return DATE_FORMATS.get(language, language)
