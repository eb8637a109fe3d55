"""Finding a matter by a few letters, in any language, with or without diacritics: the home
page's search box and the infoline's."""

import re
import unicodedata
from collections.abc import Iterable

from app.matters.models import Matter

# Letters that do not decompose into a base letter and a mark.
UNDECOMPOSED = str.maketrans({"ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})
WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case without diacritics: ``Niepełnosprawności`` → ``niepelnosprawnosci``.

    Applied to both the query and the titles, so "zolw", "żółw" and "ŻÓŁW" all match.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(UNDECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matter_words(matter: Matter) -> str:
    """Everything a matter can be found by: its title in every language and its slug."""
    return fold(" ".join([*matter.title.values(), matter.slug.replace("-", " ")]))


def find_matters(matters: Iterable[Matter], query: str) -> list[Matter]:
    """The matters whose texts contain every word of ``query`` (in any order, as parts of
    words). Those with a word equal to the first one come first ("fami" finds FAMI before
    "family"), then those with a word that begins with it, then the rest, in catalog order."""
    words = fold(query).split()
    if not words:
        return []
    found = []
    for matter in matters:
        haystack = matter_words(matter)
        if all(word in haystack for word in words):
            tokens = WORD.findall(haystack)
            if words[0] in tokens:
                rank = 0
            elif any(token.startswith(words[0]) for token in tokens):
                rank = 1
            else:
                rank = 2
            found.append((rank, matter.id, matter))
    return [matter for *_, matter in sorted(found, key=lambda row: row[:2])]
