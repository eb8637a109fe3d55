"""Every interface catalog (Polish, the default; Ukrainian; Russian) translates every message
of the template, keeps its placeholders and has every plural form of its language."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"
# %(name)s, %s, %d, %.2f …; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")
LANGUAGES = ["pl", "uk", "ru"]


def read(path: Path, locale: str | None = None):
    with path.open("rb") as file:
        return read_po(file, locale=locale)


TEMPLATE = read(TRANSLATIONS / "messages.pot")
CATALOGS = {
    language: read(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", locale=language)
    for language in LANGUAGES
}
MESSAGES = [message for message in TEMPLATE if message.id]


def forms(text: str | tuple | list) -> tuple[str, ...]:
    """A message's singular and plural forms (a plain message has one)."""
    return (text,) if isinstance(text, str) else tuple(text)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def translations(language: str, message: Message) -> tuple[str, ...]:
    translated = CATALOGS[language].get(message.id)
    return forms(translated.string) if translated else ()


def test_the_template_has_the_interfaces_messages():
    assert len(MESSAGES) > 50
    assert "Arrange a visit at the Department of Social Policy" in TEMPLATE


def test_the_interface_catalogs_are_the_configured_languages_but_english():
    # English is the language of the message ids and needs no catalog.
    found = sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))
    assert found == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    untranslated = [
        forms(message.id)[0]
        for message in MESSAGES
        if not translations(language, message)
        or not all(text.strip() for text in translations(language, message))
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_fuzzy(language):
    assert [m.id for m in CATALOGS[language] if m.id and m.fuzzy] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_every_plural_form(language):
    plurals = [m for m in MESSAGES if m.pluralizable and translations(language, m)]
    expected = CATALOGS[language].num_plurals
    assert [m.id for m in plurals if len(translations(language, m)) != expected] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_translation_keeps_the_placeholders_of_its_message(language):
    changed = {
        forms(message.id)[0]: text
        for message in MESSAGES
        for text in translations(language, message)
        if text and placeholders(text) != placeholders(forms(message.id)[-1])
    }
    assert changed == {}


def test_placeholders_are_compared_by_name():
    assert placeholders("%(name)s is not a date, %(day)s is.") == ["%(day)s", "%(name)s"]
    assert placeholders("100%% sure, %d times") == ["%d"]
    assert placeholders("Parametr %(nazwa)s") != placeholders("Parameter %(name)s")


def test_the_template_holds_every_message_of_the_code(tmp_path):
    """``make extract`` was run after the last change of a user-facing text (else the catalogs
    above would be checked against an old template)."""
    root = TRANSLATIONS.parent.parent
    extracted = tmp_path / "messages.pot"
    arguments = ["-F", str(root / "babel.cfg"), "-k", "_l", "-o", str(extracted), str(root)]
    CommandLineInterface().run(["pybabel", "--quiet", "extract", *arguments])
    fresh = {message.id for message in read(extracted) if message.id}
    assert sorted(map(str, fresh - {m.id for m in MESSAGES})) == []
    assert sorted(map(str, {m.id for m in MESSAGES} - fresh)) == []
