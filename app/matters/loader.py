"""Load the catalog data file into the database, idempotently.

Units, locations and matters are matched by slug and updated in place; reception hours and
channels are replaced only where they differ. Visits are never touched, and nothing that is
missing from the file is deleted (visits may point at it): such entries are reported instead.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from app.extensions import db
from app.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, Translated
from app.matters import settings
from app.matters.hours import Fault, HoursError, check_no_overlap
from app.matters.hours import parse_window as read_window
from app.matters.models import (
    Channel,
    ChannelKind,
    Confirmation,
    Location,
    Matter,
    ReceptionWindow,
    Unit,
    VisitPolicy,
)

CATALOG_FILE = Path(__file__).with_name("catalog.yaml")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CatalogError(ValueError):
    """The data file is not a valid catalog; the message says where."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def read_catalog(path: Path = CATALOG_FILE) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogError(f"{path}: {error}") from error
    if not isinstance(data, dict) or not all(k in data for k in ("units", "locations", "matters")):
        raise CatalogError(f"{path}: expected the keys units, locations and matters")
    return data


HOURS_FAULTS = {
    Fault.NOT_A_TIME: "is not HH:MM-HH:MM",
    Fault.NOT_A_WINDOW: "is not HH:MM-HH:MM",
    Fault.CLOSES_FIRST: "closes before it opens",
}


def parse_window(weekday: str, text: str) -> tuple[int, time, time]:
    if not isinstance(text, str):
        raise CatalogError(f"hours {weekday}: {text!r} is not HH:MM-HH:MM")
    try:
        opens, closes = read_window(text)
    except HoursError as error:
        raise CatalogError(f"hours {weekday}: {text!r} {HOURS_FAULTS[error.fault]}") from error
    return WEEKDAYS.index(weekday), opens, closes


def parse_day(weekday: str, windows: list[str]) -> list[tuple[int, time, time]]:
    """One weekday's windows, none overlapping another."""
    parsed = [parse_window(weekday, text) for text in windows]
    try:
        check_no_overlap((opens, closes) for _, opens, closes in parsed)
    except HoursError as error:
        raise CatalogError(f"hours {weekday}: {error.text} and {error.other} overlap") from error
    return parsed


@contextmanager
def entry(kind: str, item: Any, position: int) -> Iterator[None]:
    """Name the entry (``matter fami``) in any error found while loading it."""
    slug = item.get("slug") if isinstance(item, dict) else None
    label = f"{kind} {slug or f'#{position + 1}'}"
    try:
        yield
    except CatalogError as error:
        raise CatalogError(f"{label}: {error}") from error
    except KeyError as error:
        raise CatalogError(f"{label}: missing {error}") from error
    except (TypeError, ValueError, AttributeError) as error:
        raise CatalogError(f"{label}: {error}") from error


def texts(value: Any, name: str, required: bool = False) -> Translated:
    """A text in several languages: language -> text, Polish always among them."""
    if not value and not required:
        return {}
    if not isinstance(value, dict) or not all(isinstance(t, str) for t in value.values()):
        raise CatalogError(f"{name}: expected a mapping of language to text, got {value!r}")
    unknown = set(value) - set(LANGUAGE_NAMES)
    if unknown:
        raise CatalogError(f"{name}: unknown languages {sorted(unknown)}")
    if not value.get(DEFAULT_LANGUAGE):
        raise CatalogError(f"{name}: the Polish ({DEFAULT_LANGUAGE}) text is missing")
    return value


COMPARISON_WORDS = {"<": "less than", "<=": "at most"}


def expected(name: str, fault: settings.Fault, values: dict[str, Any]) -> str:
    """What the file should give for setting ``name``: its range, or the rule it breaks."""
    rule = settings.rule_for(name, fault)
    if rule is not None:
        return f"{COMPARISON_WORDS[rule.comparison]} {rule.limit} ({values[rule.limit]})"
    setting = settings.SETTINGS[name]
    steps = f" in steps of {setting.step}" if setting.step > 1 else ""
    return f"a whole number from {setting.lowest} to {setting.highest}{steps}"


def matter_settings(item: dict) -> dict[str, int]:
    """Every numeric setting of a matter: the file's value, or the default where it has none."""
    values = {name: item.get(name, default) for name, default in settings.DEFAULTS.items()}
    found = settings.faults(values)
    if found:
        raise CatalogError(
            "; ".join(
                f"{name}: expected {expected(name, fault, values)}, got {values[name]!r}"
                for name, fault in found.items()
            )
        )
    return values


def unique_slugs(kind: str, items: list) -> None:
    slugs = [item.get("slug") for item in items if isinstance(item, dict)]
    repeated = sorted({slug for slug in slugs if slug and slugs.count(slug) > 1})
    if repeated:
        raise CatalogError(f"{kind} listed more than once: {repeated}")


def assign(entity: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; say whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(entity, name) != value:
            setattr(entity, name, value)
            changed = True
    return changed


def upsert(model: type, slug: str, values: dict[str, Any], report: LoadReport):
    label = f"{model.__tablename__}/{slug}"
    entity = db.session.scalar(select(model).where(model.slug == slug))
    if entity is None:
        entity = model(slug=slug, **values)
        db.session.add(entity)
        report.created.append(label)
    elif assign(entity, values):
        report.updated.append(label)
    return entity


def load_hours(location: Location, hours: dict[str, list[str]], report: LoadReport) -> None:
    if not isinstance(hours, dict):
        raise CatalogError(f"hours: expected weekdays mon..sun, got {hours!r}")
    unknown = set(hours) - set(WEEKDAYS)
    if unknown:
        raise CatalogError(f"hours: unknown weekdays {sorted(unknown)}, expected {WEEKDAYS}")
    for day, windows in hours.items():
        if not isinstance(windows, list):
            raise CatalogError(f"hours {day}: expected a list of HH:MM-HH:MM, got {windows!r}")
    wanted = sorted(window for day, windows in hours.items() for window in parse_day(day, windows))
    current = sorted((w.weekday, w.opens, w.closes) for w in location.hours)
    if wanted != current:
        location.hours = [ReceptionWindow(weekday=d, opens=o, closes=c) for d, o, c in wanted]
        if f"locations/{location.slug}" not in report.created:
            report.updated.append(f"locations/{location.slug} hours")


def load_channels(matter: Matter, channels: list[dict], report: LoadReport) -> None:
    wanted = [
        (
            ChannelKind(c["kind"]),
            str(c["value"]),
            texts(c.get("label"), f"channel {c['value']} label"),
            texts(c.get("hours"), f"channel {c['value']} hours"),
        )
        for c in channels
    ]
    current = [(c.kind, c.value, c.label, c.hours) for c in matter.channels]
    if wanted != current:
        matter.channels = [
            Channel(position=i, kind=kind, value=value, label=label, hours=hours)
            for i, (kind, value, label, hours) in enumerate(wanted)
        ]
        if f"matters/{matter.slug}" not in report.created:
            report.updated.append(f"matters/{matter.slug} channels")


def load_catalog(data: dict[str, Any]) -> LoadReport:
    """Bring the catalog in the database to what ``data`` says; the caller commits."""
    report = LoadReport()
    for kind in ("units", "locations", "matters"):
        if not isinstance(data[kind], list):
            raise CatalogError(f"{kind}: expected a list of entries")
        unique_slugs(kind, data[kind])
    units = {}
    for n, item in enumerate(data["units"]):
        with entry("unit", item, n):
            values = {
                "name": texts(item["name"], "name", required=True),
                "email": str(item["email"]) if item.get("email") else None,
            }
            units[item["slug"]] = upsert(Unit, item["slug"], values, report)
    locations = {}
    for n, item in enumerate(data["locations"]):
        with entry("location", item, n):
            values = {
                "name": texts(item["name"], "name", required=True),
                "address": str(item["address"]),
                "entrance": texts(item.get("entrance"), "entrance"),
                "hours_assumed": bool(item.get("hours_assumed", False)),
            }
            location = upsert(Location, item["slug"], values, report)
            load_hours(location, item.get("hours") or {}, report)
            locations[item["slug"]] = location
    for n, item in enumerate(data["matters"]):
        with entry("matter", item, n):
            load_matter(item, units, locations, report)

    for model, slugs in ((Unit, units), (Location, locations)):
        for slug in db.session.scalars(select(model.slug)):
            if slug not in slugs:
                report.not_in_file.append(f"{model.__tablename__}/{slug}")
    listed = {m["slug"] for m in data["matters"]}
    report.not_in_file += [
        f"matters/{slug}" for slug in db.session.scalars(select(Matter.slug)) if slug not in listed
    ]
    return report


def served_languages(codes) -> list[str]:
    """The languages a matter is served in besides Polish, as codes of the interface's."""
    codes = list(codes or [])
    unknown = [code for code in codes if code not in LANGUAGE_NAMES or code == DEFAULT_LANGUAGE]
    if unknown:
        raise CatalogError(f"unknown or Polish languages {unknown}")
    return [code for code in LANGUAGE_NAMES if code in codes]  # in the order the admin saves


def load_matter(item: dict, units: dict, locations: dict, report: LoadReport) -> None:
    slug = item["slug"]
    if item["unit"] not in units:
        raise CatalogError(f"unknown unit {item['unit']!r}")
    missing = [s for s in item.get("locations", []) if s not in locations]
    if missing:
        raise CatalogError(f"unknown locations {missing}")
    matter = upsert(
        Matter,
        slug,
        {
            "section": str(item.get("section", "")),
            "unit": units[item["unit"]],
            "title": texts(item["title"], "title", required=True),
            "description": texts(item.get("description"), "description"),
            "without_visit": texts(item.get("without_visit"), "without_visit"),
            "what_to_bring": texts(item.get("what_to_bring"), "what_to_bring"),
            "languages": served_languages(item.get("languages")),
            "visit_policy": VisitPolicy(item["visit_policy"]),
            "confirmation": Confirmation(item["confirmation"]),
            "asks_case_reference": bool(item.get("asks_case_reference", False)),
            "locations": [locations[s] for s in item.get("locations", [])],
        }
        | matter_settings(item),
        report,
    )
    load_channels(matter, item.get("channels") or [], report)
