"""The Polish catalog, the default language, translates every message of the template."""

import re
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"
# %(name)s, %s, %d, %.2f …; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def read(path: Path, locale: str | None = None):
    with path.open("rb") as file:
        return read_po(file, locale=locale)


TEMPLATE = read(TRANSLATIONS / "messages.pot")
POLISH = read(TRANSLATIONS / "pl" / "LC_MESSAGES" / "messages.po", locale="pl")
MESSAGES = [message for message in TEMPLATE if message.id]


def forms(text: str | tuple | list) -> tuple[str, ...]:
    """A message's singular and plural forms (a plain message has one)."""
    return (text,) if isinstance(text, str) else tuple(text)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def translations(message: Message) -> tuple[str, ...]:
    polish = POLISH.get(message.id)
    return forms(polish.string) if polish else ()


def test_the_template_has_the_interfaces_messages():
    assert len(MESSAGES) > 50
    assert "Arrange a visit at the Department of Social Policy" in TEMPLATE


def test_every_message_has_a_polish_translation():
    untranslated = [
        forms(message.id)[0]
        for message in MESSAGES
        if not translations(message) or not all(text.strip() for text in translations(message))
    ]
    assert untranslated == []


def test_no_polish_translation_is_fuzzy():
    assert [polish.id for polish in POLISH if polish.id and polish.fuzzy] == []


def test_plural_messages_have_every_polish_plural_form():
    plurals = [message for message in MESSAGES if message.pluralizable and translations(message)]
    assert [m.id for m in plurals if len(translations(m)) != POLISH.num_plurals] == []


def test_a_translation_keeps_the_placeholders_of_its_message():
    changed = {
        forms(message.id)[0]: text
        for message in MESSAGES
        for text in translations(message)
        if text and placeholders(text) != placeholders(forms(message.id)[-1])
    }
    assert changed == {}


def test_placeholders_are_compared_by_name():
    assert placeholders("%(name)s is not a date, %(day)s is.") == ["%(day)s", "%(name)s"]
    assert placeholders("100%% sure, %d times") == ["%d"]
    assert placeholders("Parametr %(nazwa)s") != placeholders("Parameter %(name)s")
