"""The catalog: what the notice says, as loaded from the data file, and ``flask catalog load``."""

import re
from datetime import time

import pytest
import yaml
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.admin.forms import MatterForm
from app.booking.models import Visit, VisitStatus
from app.booking.operations import Visitor
from app.database import utcnow
from app.extensions import db
from app.matters.loader import CatalogError, load_catalog
from app.matters.models import (
    ChannelKind,
    Confirmation,
    Location,
    Matter,
    Unit,
    VisitPolicy,
)
from app.matters.settings import DEFAULTS, SETTINGS, Fault, faults
from tests.matters.settings_cases import ACCEPTED, DOCUMENTED, REFUSED, Case, params
from tests.support import request_online, shipped_catalog, warsaw

LANGUAGES = {"pl", "en", "uk", "ru"}
MON, TUE, WED, THU, FRI = range(5)


def week(monday: tuple[time, time], tuesday_to_friday: tuple[time, time]) -> list[tuple]:
    return [(MON, *monday)] + [(day, *tuesday_to_friday) for day in (TUE, WED, THU, FRI)]


# Sections 4-7 of the notice: "w poniedziałki w godzinach od 10:00 do 18:00 oraz od wtorku do
# piątku od 7:30 do 15:30". Section 2a, the infoline: "od 9.00 do 16.30 / od 7.30 do 15.00".
FAMI_HOURS = week((time(10), time(18)), (time(7, 30), time(15, 30)))
INFOLINE_HOURS = week((time(9), time(16, 30)), (time(7, 30), time(15)))

# PRODUCT.md, "How the notice reads, matter by matter": section, visit policy, confirmation
# (None where the table says "–": a matter without visits confirms nothing).
MATTERS = {
    "koordynacja-swiadczen": ("2a", VisitPolicy.ONLINE, Confirmation.STAFF),
    "maluch-plus": ("2b", VisitPolicy.ONLINE, Confirmation.STAFF),
    "orzekanie-o-niepelnosprawnosci": ("2c", VisitPolicy.BY_PHONE, Confirmation.STAFF),
    "przeciwdzialanie-przemocy": ("3", VisitPolicy.NONE, None),
    "fami": ("4-7", VisitPolicy.ONLINE, Confirmation.AUTO),
    "integracja-spoleczna": ("8", VisitPolicy.ONLINE, Confirmation.STAFF),
    "zpchr-zaz": ("9", VisitPolicy.ONLINE, Confirmation.STAFF),
    "systemy-cas-rjps-empatia": ("10", VisitPolicy.NONE, None),
    "odwolania-pup": ("11", VisitPolicy.ONLINE, Confirmation.AUTO),
    "nadzor-promocja-zatrudnienia": ("12", VisitPolicy.ONLINE, Confirmation.STAFF),
}
NOTICE_SECTIONS = {"2a", "2b", "2c", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"}

# Channels the notice gives, with the person's name where it names one.
CHANNELS = [
    ("koordynacja-swiadczen", ChannelKind.INFOLINE, "12 430 29 73", "Infolinia dla klientów"),
    ("koordynacja-swiadczen", ChannelKind.EMAIL, "wp@malopolska.uw.gov.pl", None),
    (
        "koordynacja-swiadczen",
        ChannelKind.FORM,
        "https://app.malopolska.uw.gov.pl/forms/Form/Wp",
        None,
    ),
    ("maluch-plus", ChannelKind.EMAIL, "maluch@malopolska.uw.gov.pl", None),
    ("maluch-plus", ChannelKind.PHONE, "12 39 21 179", None),
    ("maluch-plus", ChannelKind.PHONE, "12 39 21 448", None),
    ("orzekanie-o-niepelnosprawnosci", ChannelKind.EMAIL, "zn@malopolska.uw.gov.pl", None),
    ("orzekanie-o-niepelnosprawnosci", ChannelKind.PHONE, "12 39 21 380", None),
    ("orzekanie-o-niepelnosprawnosci", ChannelKind.PHONE, "12 39 21 290", None),
    ("orzekanie-o-niepelnosprawnosci", ChannelKind.PHONE, "12 39 21 396", None),
    ("orzekanie-o-niepelnosprawnosci", ChannelKind.PHONE, "12 39 21 397", None),
    ("przeciwdzialanie-przemocy", ChannelKind.EMAIL, "wp@malopolska.uw.gov.pl", None),
    ("przeciwdzialanie-przemocy", ChannelKind.PHONE, "12 39 21 560", None),
    (
        "fami",
        ChannelKind.EMAIL,
        "fami@malopolska.uw.gov.pl",
        "język polski, ukraiński, rosyjski i angielski",
    ),
    ("fami", ChannelKind.INFOLINE, "12 426 90 01", "język polski, ukraiński, rosyjski i angielski"),
    ("fami", ChannelKind.INFOLINE, "18 540 23 26", "język polski, ukraiński i angielski"),
    ("integracja-spoleczna", ChannelKind.EMAIL, "inow@malopolska.uw.gov.pl", None),
    ("integracja-spoleczna", ChannelKind.EMAIL, "mjezak@malopolska.uw.gov.pl", None),
    ("integracja-spoleczna", ChannelKind.PHONE, "12 39 21 573", "Izabela Nowaczyńska"),
    ("integracja-spoleczna", ChannelKind.PHONE, "12 39 21 570", "Magdalena Jeżak"),
    ("zpchr-zaz", ChannelKind.EMAIL, "mprz3@malopolska.uw.gov.pl", None),
    ("zpchr-zaz", ChannelKind.PHONE, "12 39 21 573", "Izabela Nowaczyńska"),
    ("zpchr-zaz", ChannelKind.PHONE, "12 39 21 570", "Magdalena Jeżak"),
    ("zpchr-zaz", ChannelKind.PHONE, "12 39 21 571", "Michał Przybylski"),
    (
        "systemy-cas-rjps-empatia",
        ChannelKind.EMAIL,
        "mprz3@malopolska.uw.gov.pl",
        "Michał Przybylski",
    ),
    (
        "systemy-cas-rjps-empatia",
        ChannelKind.EMAIL,
        "pgrzaba@malopolska.uw.gov.pl",
        "Przemysław Grząba",
    ),
    ("systemy-cas-rjps-empatia", ChannelKind.PHONE, "12 39 21 571", None),
    ("odwolania-pup", ChannelKind.EMAIL, "MLuc@malopolska.uw.gov.pl", None),
    ("odwolania-pup", ChannelKind.EMAIL, "IRom@malopolska.uw.gov.pl", None),
    ("odwolania-pup", ChannelKind.EMAIL, "bmro@malopolska.uw.gov.pl", None),
    ("odwolania-pup", ChannelKind.PHONE, "12 39 21 571", "Przemysław Grząba"),
    ("odwolania-pup", ChannelKind.PHONE, "12 39 21 575", "Beata Mroczkowska"),
    ("odwolania-pup", ChannelKind.PHONE, "12 39 21 576", "Iwona Romanowska"),
    ("nadzor-promocja-zatrudnienia", ChannelKind.EMAIL, "elib@malopolska.uw.gov.pl", None),
    (
        "nadzor-promocja-zatrudnienia",
        ChannelKind.EMAIL,
        "kkolodziejczyk@malopolska.uw.gov.pl",
        None,
    ),
    ("nadzor-promocja-zatrudnienia", ChannelKind.PHONE, "12 39 21 572", None),
]
# Matters whose paragraph of the notice names the ePUAP box or the post address.
EPUAP_AND_POST = [
    "maluch-plus",
    "orzekanie-o-niepelnosprawnosci",
    "przeciwdzialanie-przemocy",
    "integracja-spoleczna",
    "zpchr-zaz",
    "odwolania-pup",
    "nadzor-promocja-zatrudnienia",
]
MAIN_SEAT_POST = "Małopolski Urząd Wojewódzki w Krakowie, ul. Basztowa 22, 31-156 Kraków"


def matter(slug: str) -> Matter:
    return db.session.scalar(select(Matter).where(Matter.slug == slug))


def hours_of(location: Location) -> list[tuple]:
    return sorted((w.weekday, w.opens, w.closes) for w in location.hours)


def covered_sections(section: str) -> set[str]:
    """``"4-7"`` covers sections 4, 5, 6 and 7; anything else covers itself."""
    first, dash, last = section.partition("-")
    return {str(n) for n in range(int(first), int(last) + 1)} if dash else {section}


# --- What the catalog holds -----------------------------------------------------------------


def test_every_section_of_the_notice_is_a_matter(catalog):
    sections = db.session.scalars(select(Matter.section)).all()
    assert set().union(*map(covered_sections, sections)) == NOTICE_SECTIONS
    assert len(sections) == len(set(sections)) == len(MATTERS)


@pytest.mark.parametrize(("slug", "expected"), MATTERS.items(), ids=MATTERS)
def test_each_matter_is_booked_as_the_product_table_says(catalog, slug, expected):
    section, policy, confirmation = expected
    found = matter(slug)
    assert found.section == section
    assert found.visit_policy is policy
    if confirmation is not None:
        assert found.confirmation is confirmation
    if policy is VisitPolicy.NONE:
        assert found.locations == []
    else:
        assert found.locations, "a matter with visits needs a place to receive them"


def test_the_fami_points_receive_in_krakow_and_nowy_sacz_at_the_notices_hours(catalog):
    points = matter("fami").locations
    assert [(p.slug, p.address) for p in points] == [
        ("fami-krakow", "ul. Basztowa 22, 31-156 Kraków"),
        ("fami-nowy-sacz", "ul. Jagiellońska 52, 33-300 Nowy Sącz"),
    ]
    for point in points:
        assert hours_of(point) == FAMI_HOURS
        assert point.hours_assumed is False


def test_places_without_hours_in_the_notice_use_the_infolines_and_say_so(catalog):
    fami_points = {location.id for location in matter("fami").locations}
    others = db.session.scalars(select(Location).where(Location.id.not_in(fami_points))).all()
    assert {location.slug for location in others} == {"basztowa-pok", "olszanska"}
    for location in others:
        assert location.hours_assumed is True
        assert hours_of(location) == INFOLINE_HOURS


@pytest.mark.parametrize(
    ("slug", "address"),
    [
        ("orzekanie-o-niepelnosprawnosci", "ul. Olszańska 5, 31-513 Kraków"),
        ("koordynacja-swiadczen", "ul. Basztowa 22, 31-156 Kraków"),
        ("odwolania-pup", "ul. Basztowa 22, 31-156 Kraków"),
    ],
)
def test_matters_are_received_at_the_addresses_product_gives(catalog, slug, address):
    assert [location.address for location in matter(slug).locations] == [address]


def test_each_unit_hears_of_waiting_requests_at_an_address_the_notice_gives_it(catalog):
    for unit in db.session.scalars(select(Unit)):
        addresses = {
            c.value for m in unit.matters for c in m.channels if c.kind is ChannelKind.EMAIL
        }
        assert unit.email in addresses, unit.slug


def test_every_title_and_name_is_in_the_four_languages(catalog):
    texts = {f"unit {u.slug} name": u.name for u in db.session.scalars(select(Unit))}
    texts |= {f"location {loc.slug} name": loc.name for loc in db.session.scalars(select(Location))}
    for found in db.session.scalars(select(Matter)):
        texts[f"matter {found.slug} title"] = found.title
        texts[f"matter {found.slug} description"] = found.description
    incomplete = {
        where: sorted(LANGUAGES - {lang for lang, text in text.items() if text.strip()})
        for where, text in texts.items()
        if LANGUAGES - {lang for lang, text in text.items() if text.strip()}
    }
    assert incomplete == {}


def test_the_notices_channels_are_there_with_the_people_it_names(catalog):
    found = {
        (m.slug, c.kind, c.value, c.label.get("pl"))
        for m in db.session.scalars(select(Matter))
        for c in m.channels
    }
    assert [channel for channel in CHANNELS if channel not in found] == []


def test_matters_that_take_documents_give_the_epuap_box_and_the_post_address(catalog):
    for slug in EPUAP_AND_POST:
        channels = {c.kind: c.value for c in matter(slug).channels}
        assert re.fullmatch(r"/ag9300[lI]hke/skrytka", channels[ChannelKind.EPUAP]), slug
        assert channels[ChannelKind.POST] == MAIN_SEAT_POST, slug


# Desks, desks kept for the phone and the days before the visit they open online. A desk is kept
# where the notice sends people to an infoline: 2a ("by_phone (infoline) and online") and the
# FAMI points with their two infolines; a matter booked only by phone has nothing to keep a desk
# from, and one whose single desk was kept would offer online requests nothing.
DESKS = {
    "koordynacja-swiadczen": (2, 1, 2),
    "maluch-plus": (1, 0, 2),
    "orzekanie-o-niepelnosprawnosci": (1, 0, 2),
    "przeciwdzialanie-przemocy": (1, 0, 2),
    "fami": (2, 1, 2),
    "integracja-spoleczna": (1, 0, 2),
    "zpchr-zaz": (1, 0, 2),
    "systemy-cas-rjps-empatia": (1, 0, 2),
    "odwolania-pup": (1, 0, 2),
    "nadzor-promocja-zatrudnienia": (1, 0, 2),
}


def test_desks_are_kept_for_the_phone_where_the_notice_sends_people_to_an_infoline(catalog):
    found = {
        m.slug: (m.desks, m.phone_desks, m.phone_release_days)
        for m in db.session.scalars(select(Matter))
    }
    assert found == DESKS
    for stored in db.session.scalars(select(Matter)):
        infoline = any(c.kind is ChannelKind.INFOLINE for c in stored.channels)
        assert bool(stored.phone_desks) == (infoline and stored.is_bookable_online), stored.slug
        if stored.phone_desks:
            assert stored.desks > stored.phone_desks, stored.slug  # and online requests one


# --- flask catalog load ---------------------------------------------------------------------


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with app.app_context():
        return {
            table.name: [
                tuple(row)
                for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in db.metadata.sorted_tables
        }


def write_catalog(tmp_path, data: dict | str):
    path = tmp_path / "catalog.yaml"
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def entry(entries: list[dict], slug: str) -> dict:
    return next(item for item in entries if item["slug"] == slug)


def load(runner, path=None):
    return runner.invoke(args=["catalog", "load", *(["--file", str(path)] if path else [])])


def test_the_first_load_creates_the_catalog_and_a_second_changes_nothing(app, runner):
    first = load(runner)
    assert first.exit_code == 0, first.output
    assert "created matters/fami" in first.output
    loaded = snapshot(app)
    assert len(loaded["matters"]) == len(MATTERS)

    second = load(runner)

    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output
    assert "created" not in second.output
    assert "updated" not in second.output
    assert snapshot(app) == loaded


@pytest.fixture
def visit_at_fami_krakow(app, runner, clock):
    """The catalog, loaded by the command, with one visit requested on Wednesday at 10:00."""
    assert load(runner).exit_code == 0
    with app.app_context():
        fami = matter("fami")
        visitor = Visitor(name="Olena Kowalenko", email="olena@example.com", language="uk")
        start = warsaw(2026, 12, 2, 10, 0)
        visit = request_online(fami, "fami-krakow", start, visitor, utcnow())
        db.session.commit()
        return visit.id


def test_an_edited_file_updates_the_catalog_and_leaves_visits_alone(
    app, runner, tmp_path, visit_at_fami_krakow
):
    before = snapshot(app)
    data = shipped_catalog()
    fami = entry(data["matters"], "fami")
    fami["title"]["pl"] = "Punkty FAMI: porady dla cudzoziemców"
    fami["channels"].append({"kind": "phone", "value": "12 39 21 999", "label": {"pl": "Jan Nowy"}})
    # Wednesday now opens at noon: the visit at 10:00 stays as it is (re-checking visits
    # against new hours is the scheduler's job, not the loader's).
    entry(data["locations"], "fami-krakow")["hours"]["wed"] = ["12:00-15:30"]

    result = load(runner, write_catalog(tmp_path, data))

    assert result.exit_code == 0, result.output
    assert set(result.output.splitlines()) == {
        "updated matters/fami",
        "updated matters/fami channels",
        "updated locations/fami-krakow hours",
    }
    with app.app_context():
        stored = matter("fami")
        assert stored.title == fami["title"]
        assert [(c.kind, c.value, c.label) for c in stored.channels][-1] == (
            ChannelKind.PHONE,
            "12 39 21 999",
            {"pl": "Jan Nowy"},
        )
        wednesday = [(o, c) for day, o, c in hours_of(stored.location("fami-krakow")) if day == WED]
        assert wednesday == [(time(12), time(15, 30))]
        visit = db.session.get(Visit, visit_at_fami_krakow)
        assert (visit.status, visit.matter.slug, visit.location.slug, visit.starts_at) == (
            VisitStatus.HELD,
            "fami",
            "fami-krakow",
            warsaw(2026, 12, 2, 10, 0),
        )
    after = snapshot(app)
    for table in ("units", "visits", "visit_changes"):
        assert after[table] == before[table], table


def break_yaml(_data: dict) -> str:
    return "units:\n  - slug: koordynacja\n    name: {pl: [unclosed\n"


def set_in(kind: str, slug: str, **values):
    def edit(data: dict) -> dict:
        entry(data[kind], slug).update(values)
        return data

    return edit


def drop_from(kind: str, slug: str, key: str):
    def edit(data: dict) -> dict:
        del entry(data[kind], slug)[key]
        return data

    return edit


def hours_at_fami_krakow(hours: dict):
    return set_in("locations", "fami-krakow", hours=hours)


BROKEN_FILES = {
    "bad YAML": (break_yaml, ["catalog.yaml", "while parsing"]),
    "unknown unit": (set_in("matters", "fami", unit="nie-ma"), ["matter fami", "unknown unit"]),
    "unknown location": (
        set_in("matters", "fami", locations=["fami-krakow", "fami-tarnow"]),
        ["matter fami", "fami-tarnow"],
    ),
    "closes before it opens": (
        hours_at_fami_krakow({"mon": ["10:00-09:00"]}),
        ["location fami-krakow", "10:00-09:00", "closes before it opens"],
    ),
    "not a time": (
        hours_at_fami_krakow({"mon": ["10:00-25:00"]}),
        ["location fami-krakow", "10:00-25:00", "HH:MM-HH:MM"],
    ),
    "hours not a list": (
        hours_at_fami_krakow({"mon": "10:00-18:00"}),
        ["location fami-krakow", "mon", "list"],
    ),
    "unknown weekday": (
        hours_at_fami_krakow({"monday": ["10:00-18:00"]}),
        ["location fami-krakow", "unknown weekdays", "monday"],
    ),
    "unknown visit policy": (
        set_in("matters", "fami", visit_policy="sometimes"),
        ["matter fami", "sometimes"],
    ),
    "no desks": (set_in("matters", "fami", desks=0), ["matter fami", "desks"]),
    "missing title": (drop_from("matters", "fami", "title"), ["matter fami", "title"]),
    "title not translated": (
        set_in("matters", "fami", title="FAMI"),
        ["matter fami", "title", "mapping of language to text"],
    ),
    "title without Polish": (
        set_in("matters", "fami", title={"en": "FAMI points"}),
        ["matter fami", "title", "Polish"],
    ),
    "unknown language": (
        set_in("matters", "fami", languages=["uk", "de"]),
        ["matter fami", "languages", "de"],
    ),
    "Polish among the other languages": (
        set_in("matters", "fami", languages=["pl"]),
        ["matter fami", "languages", "pl"],
    ),
}


@pytest.mark.parametrize(("edit", "words"), BROKEN_FILES.values(), ids=BROKEN_FILES)
def test_a_broken_file_is_refused_with_a_clear_error_and_changes_nothing(
    app, runner, tmp_path, edit, words
):
    assert load(runner).exit_code == 0
    before = snapshot(app)
    data = shipped_catalog()
    # A valid change early in the file, so that a half-done load would show.
    data["units"][0]["name"]["pl"] = "Zmieniona nazwa"

    result = load(runner, write_catalog(tmp_path, edit(data)))

    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    message = result.output.strip()
    assert message.startswith("Error:")
    for word in words:
        assert word in message
    assert snapshot(app) == before


def test_if_empty_loads_a_new_catalog_but_keeps_an_edited_one(runner, app_context):
    first = runner.invoke(args=["catalog", "load", "--if-empty"])
    assert first.exit_code == 0 and "created" in first.output
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    fami.title = fami.title | {"pl": "Zmienione przez administratora"}
    db.session.commit()

    again = runner.invoke(args=["catalog", "load", "--if-empty"])
    assert again.exit_code == 0 and "left as it is" in again.output
    db.session.expire_all()
    assert db.session.get(Matter, fami.id).title["pl"] == "Zmienione przez administratora"


def catalog_with(slug: str, **values) -> dict:
    """The shipped catalog with ``values`` for one matter's keys (None: the key left out)."""
    data = shipped_catalog()
    item = entry(data["matters"], slug)
    for key, value in values.items():
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
    return data


def stored_settings(app, slug: str) -> dict[str, int]:
    with app.app_context():
        found = matter(slug)
        return {name: getattr(found, name) for name in SETTINGS}


def test_phone_desks_and_their_release_are_loaded_and_a_second_load_changes_nothing(
    app, runner, tmp_path
):
    assert load(runner).exit_code == 0
    path = write_catalog(
        tmp_path, catalog_with("maluch-plus", desks=3, phone_desks=2, phone_release_days=5)
    )

    first = load(runner, path)
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == ["updated matters/maluch-plus"]
    stored = stored_settings(app, "maluch-plus")
    assert (stored["desks"], stored["phone_desks"], stored["phone_release_days"]) == (3, 2, 5)
    loaded = snapshot(app)

    second = load(runner, path)
    assert second.exit_code == 0, second.output
    assert second.output.splitlines() == ["catalog up to date: nothing changed"]
    assert snapshot(app) == loaded


def test_settings_left_out_of_the_file_take_the_defaults(app, runner, tmp_path):
    data = catalog_with("fami", **dict.fromkeys(SETTINGS))
    result = load(runner, write_catalog(tmp_path, data))
    assert result.exit_code == 0, result.output
    assert stored_settings(app, "fami") == DEFAULTS


# --- A matter's settings: one table for the loader, the admin form and the database ----------


def test_the_settings_are_the_documented_ones():
    found = {name: (s.default, s.lowest, s.highest, s.step) for name, s in SETTINGS.items()}
    assert found == DOCUMENTED


def test_the_defaults_are_within_the_limits():
    assert faults(DEFAULTS) == {}


@pytest.mark.parametrize("value", [None, "30", 30.0, True], ids=repr)
def test_a_setting_that_is_not_a_whole_number_is_one_fault(value):
    assert faults(DEFAULTS | {"desks": value}) == {"desks": Fault.NOT_A_NUMBER}


def test_a_rule_is_judged_only_between_settings_right_on_their_own():
    # phone_desks 3 is a fine number; beside desks 0 only desks is wrong.
    assert faults(DEFAULTS | {"desks": 0, "phone_desks": 3}) == {"desks": Fault.OUT_OF_RANGE}


@pytest.mark.parametrize("case", params(REFUSED | ACCEPTED))
def test_each_case_is_judged_as_the_table_says(case: Case):
    assert faults(case.values) == ({} if case.fault is None else {case.field: case.fault})


def loader_words(case: Case) -> str:
    """How the loader names the setting and what it allows."""
    value = case.values[case.field]
    if case.fault is Fault.MORE_THAN_DESKS:
        return f"phone_desks: expected at most desks ({case.values['desks']}), got {value}"
    if case.fault is Fault.NOT_BEFORE_HORIZON:
        limit = case.values["horizon_days"]
        return f"lead_days: expected less than horizon_days ({limit}), got {value}"
    setting = SETTINGS[case.field]
    steps = f" in steps of {setting.step}" if setting.step > 1 else ""
    expected = f"a whole number from {setting.lowest} to {setting.highest}{steps}"
    return f"{case.field}: expected {expected}, got {value}"


@pytest.mark.parametrize("case", params(REFUSED))
def test_the_loader_refuses_a_setting_beyond_its_limits_and_says_what_it_allows(
    app, runner, tmp_path, case
):
    result = load(runner, write_catalog(tmp_path, catalog_with("fami", **case.values)))

    assert result.exit_code != 0
    assert result.output.strip() == f"Error: matter fami: {loader_words(case)}"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Matter)) == 0


@pytest.mark.parametrize("case", params(ACCEPTED))
def test_the_loader_takes_every_setting_at_its_limits(app, runner, tmp_path, case):
    result = load(runner, write_catalog(tmp_path, catalog_with("fami", **case.values)))
    assert result.exit_code == 0, result.output
    assert stored_settings(app, "fami") == case.values


def test_the_loader_names_every_wrong_setting_of_an_entry(runner, tmp_path):
    data = catalog_with("fami", slot_minutes=7, desks="two")
    result = load(runner, write_catalog(tmp_path, data))
    assert result.output.strip() == (
        "Error: matter fami: slot_minutes: expected a whole number from 5 to 240 in steps of 5, "
        "got 7; desks: expected a whole number from 1 to 50, got 'two'"
    )


def constraint_broken(error: IntegrityError) -> str:
    """The setting whose CHECK constraint the database names in ``error``."""
    [name] = [name for name in SETTINGS if f"ck_matters_{name}_" in str(error.orig)]
    return name


@pytest.mark.parametrize("case", params(REFUSED))
def test_the_database_refuses_a_setting_beyond_its_limits(make_matter, case):
    stored = make_matter()
    with pytest.raises(IntegrityError) as refused:
        db.session.execute(update(Matter).where(Matter.id == stored.id).values(**case.values))
    db.session.rollback()
    assert constraint_broken(refused.value) == case.field


# Each door's verdict on a set of values: the setting it refuses, or None.


def loader_verdict(values: dict) -> str | None:
    data = {
        "units": [{"slug": "u", "name": {"pl": "Zespół"}}],
        "locations": [],
        "matters": [
            {"slug": "m", "unit": "u", "title": {"pl": "Sprawa"}, "visit_policy": "none"}
            | {"confirmation": "auto", **values}
        ],
    }
    savepoint = db.session.begin_nested()
    try:
        load_catalog(data)
        db.session.flush()  # anything the loader let through meets the database here
    except CatalogError as error:
        [field] = {part.split(":")[0] for part in str(error).removeprefix("matter m: ").split("; ")}
        return field
    finally:
        savepoint.rollback()
    return None


def form_verdict(app, values: dict) -> str | None:
    formdata = MultiDict(
        {"title-pl": "Sprawa", "visit_policy": "none", "confirmation": "auto"}
        | {name: str(value) for name, value in values.items()}
    )
    with app.test_request_context(method="POST"):
        form = MatterForm(formdata=formdata)
        form.locations.choices = []
        if form.validate():
            return None
        [field] = form.errors
        return field


def database_verdict(matter_id: int, values: dict) -> str | None:
    try:
        with db.session.begin_nested():
            db.session.execute(update(Matter).where(Matter.id == matter_id).values(**values))
    except IntegrityError as error:
        return constraint_broken(error)
    return None


def test_the_loader_the_form_and_the_database_draw_the_same_lines(app, make_matter):
    """Walk every setting to and across its limits, and every rule to and across its line:
    the three refuse exactly the same values, each for the same setting."""
    matter_id = make_matter().id
    for name, case in (REFUSED | ACCEPTED).items():
        expected = None if case.fault is None else case.field
        verdicts = {
            "loader": loader_verdict(case.values),
            "form": form_verdict(app, case.values),
            "database": database_verdict(matter_id, case.values),
        }
        assert verdicts == dict.fromkeys(verdicts, expected), name
