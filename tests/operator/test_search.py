"""Finding a matter by a few letters and a visit by what the caller has at hand."""

import pytest

from app import models  # noqa: F401  (every model, so that a Matter can be built)
from app.booking.references import parse_reference
from app.matters.models import Matter
from app.matters.search import find_matters, fold
from tests.pages import get


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Orzekanie o niepełnosprawności", "orzekanie o niepelnosprawnosci"),
        ("ŻÓŁW źdźbło Ąę Ćń Śś", "zolw zdzblo ae cn ss"),
        ("ZPChr", "zpchr"),
        ("Інвалідність", "інвалідність"),  # Cyrillic stays Cyrillic, just lower case
    ],
)
def test_fold_drops_case_and_polish_diacritics(text, folded):
    assert fold(text) == folded


def matter(id_: int, slug: str, **title) -> Matter:
    return Matter(id=id_, slug=slug, title=title)


CATALOG = [
    matter(1, "maluch-plus", pl="Program „MALUCH+”", en="MALUCH+ programme"),
    matter(2, "orzekanie", pl="Orzekanie o niepełnosprawności", en="Disability assessment"),
    matter(3, "przemoc", pl="Przeciwdziałanie przemocy w rodzinie", uk="Протидія насильству"),
    matter(4, "zpchr-zaz", pl="Status zakładu pracy chronionej", en="Sheltered workshop (ZPChr)"),
    matter(5, "pup", pl="Odwołania od decyzji PUP", en="Appeals against decisions"),
    matter(6, "koordynacja", pl="Koordynacja", en="Coordination of family benefits"),
    matter(7, "fami", pl="Punkty FAMI", en="FAMI points"),
]


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("orzek", ["orzekanie"]),
        ("niepeln", ["orzekanie"]),
        ("NIEPEŁN", ["orzekanie"]),
        ("  Niepełno  ", ["orzekanie"]),
        ("disab", ["orzekanie"]),  # the English title
        ("насильств", ["przemoc"]),  # the Ukrainian title
        ("maluch", ["maluch-plus"]),
        ("fami", ["fami", "koordynacja"]),  # the word itself before "family"
        ("zpchr", ["zpchr-zaz"]),
        ("zaklad chron", ["zpchr-zaz"]),  # several words, any order, parts of words
        ("chron zaklad", ["zpchr-zaz"]),
        ("przemoc", ["przemoc"]),
        ("decyzj", ["pup"]),
        # "dec" begins a word of the PUP matter's title; it is only inside one of the others.
        ("dec", ["pup"]),
        ("ocy", ["przemoc"]),
        ("od", ["pup", "przemoc"]),  # a word of the one, inside a word of the other
        ("odw", ["pup"]),
        ("xyz", []),
        ("", []),
        ("   ", []),
    ],
)
def test_find_matters_by_a_few_letters(query, slugs):
    assert [found.slug for found in find_matters(CATALOG, query)] == slugs


@pytest.mark.parametrize(
    "typed",
    ["WP-7K3D9Q", "wp-7k3d9q", "wp 7k3d9q", "WP7K3D9Q", "7k3d9q", " 7K3 D9Q ", "WP – 7 K 3 D 9 Q"],
)
def test_a_reference_is_read_however_it_is_typed(typed):
    assert parse_reference(typed) == "WP-7K3D9Q"


def test_six_signs_are_the_code_even_when_they_begin_with_wp():
    assert parse_reference("wpa2b3") == "WP-WPA2B3"
    assert parse_reference("WP-WPA2B3") == "WP-WPA2B3"


@pytest.mark.parametrize("typed", ["", "600 100 200", "WP-7K3D9", "WP-7K3D9QQ", "WP-0O1I5L"])
def test_what_cannot_be_a_reference_is_none(typed):
    assert parse_reference(typed) is None


def test_the_search_box_on_the_real_catalog(desk, catalog):
    expected = {
        "orzek": "orzekanie-o-niepelnosprawnosci",
        "niepeln": "orzekanie-o-niepelnosprawnosci",
        "NIEPEŁNOSPRAWN": "orzekanie-o-niepelnosprawnosci",
        "fami": "fami",
        "maluch": "maluch-plus",
        "zpchr": "zpchr-zaz",
        "przemoc": "przeciwdzialanie-przemocy",
        "Przeciwdzialanie": "przeciwdzialanie-przemocy",
        "інвалідн": "orzekanie-o-niepelnosprawnosci",  # Ukrainian, as a FAMI caller says it
    }
    for query, slug in expected.items():
        page = get(desk, f"/operator/?q={query}")
        first = page.hrefs("/operator/matters/")[0]
        assert first == f"/operator/matters/{slug}", query
        assert f"Matters for “{query}”" in page.text


def test_no_matter_found_says_so(desk, catalog):
    page = get(desk, "/operator/?q=qwerty")
    assert "No matter matches “qwerty”" in page.text
    assert page.hrefs("/operator/matters/") == []


def test_without_a_query_every_matter_is_listed(desk, catalog):
    page = get(desk, "/operator/")
    assert len(page.hrefs("/operator/matters/")) == 10
    assert page.fields["q"] == ""
