"""Load the catalog data file into the database, idempotently.

Units, locations and matters are matched by slug and updated in place; reception hours and
channels are replaced only where they differ. Visits are never touched, and nothing that is
missing from the file is deleted (visits may point at it): such entries are reported instead.
"""

from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from app.extensions import db
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


def parse_window(weekday: str, text: str) -> tuple[int, time, time]:
    try:
        opens, closes = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as error:
        raise CatalogError(f"hours {weekday}: {text!r} is not HH:MM-HH:MM") from error
    if opens >= closes:
        raise CatalogError(f"hours {weekday}: {text!r} closes before it opens")
    return WEEKDAYS.index(weekday), opens, closes


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
    unknown = set(hours) - set(WEEKDAYS)
    if unknown:
        raise CatalogError(f"location {location.slug}: unknown weekdays {sorted(unknown)}")
    wanted = sorted(parse_window(day, text) for day, texts in hours.items() for text in texts)
    current = sorted((w.weekday, w.opens, w.closes) for w in location.hours)
    if wanted != current:
        location.hours = [ReceptionWindow(weekday=d, opens=o, closes=c) for d, o, c in wanted]
        if f"locations/{location.slug}" not in report.created:
            report.updated.append(f"locations/{location.slug} hours")


def load_channels(matter: Matter, channels: list[dict], report: LoadReport) -> None:
    wanted = [
        (ChannelKind(c["kind"]), str(c["value"]), c.get("label") or {}, c.get("hours") or {})
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
    try:
        units = {
            u["slug"]: upsert(Unit, u["slug"], {"name": u["name"]}, report) for u in data["units"]
        }
        locations = {}
        for item in data["locations"]:
            location = upsert(
                Location,
                item["slug"],
                {
                    "name": item["name"],
                    "address": item["address"],
                    "entrance": item.get("entrance") or {},
                    "hours_assumed": bool(item.get("hours_assumed", False)),
                },
                report,
            )
            load_hours(location, item.get("hours") or {}, report)
            locations[item["slug"]] = location
        for item in data["matters"]:
            load_matter(item, units, locations, report)
    except (KeyError, TypeError) as error:
        raise CatalogError(f"missing or malformed entry: {error}") from error
    except ValueError as error:
        if isinstance(error, CatalogError):
            raise
        raise CatalogError(str(error)) from error

    for model, slugs in ((Unit, units), (Location, locations)):
        for slug in db.session.scalars(select(model.slug)):
            if slug not in slugs:
                report.not_in_file.append(f"{model.__tablename__}/{slug}")
    listed = {m["slug"] for m in data["matters"]}
    report.not_in_file += [
        f"matters/{slug}" for slug in db.session.scalars(select(Matter.slug)) if slug not in listed
    ]
    return report


def load_matter(item: dict, units: dict, locations: dict, report: LoadReport) -> None:
    slug = item["slug"]
    if item["unit"] not in units:
        raise CatalogError(f"matter {slug}: unknown unit {item['unit']!r}")
    missing = [s for s in item.get("locations", []) if s not in locations]
    if missing:
        raise CatalogError(f"matter {slug}: unknown locations {missing}")
    matter = upsert(
        Matter,
        slug,
        {
            "section": str(item.get("section", "")),
            "unit": units[item["unit"]],
            "title": item["title"],
            "description": item.get("description") or {},
            "without_visit": item.get("without_visit") or {},
            "what_to_bring": item.get("what_to_bring") or {},
            "visit_policy": VisitPolicy(item["visit_policy"]),
            "confirmation": Confirmation(item["confirmation"]),
            "slot_minutes": int(item.get("slot_minutes", 30)),
            "desks": int(item.get("desks", 1)),
            "lead_days": int(item.get("lead_days", 1)),
            "horizon_days": int(item.get("horizon_days", 30)),
            "retention_days": int(item.get("retention_days", 90)),
            "locations": [locations[s] for s in item.get("locations", [])],
        },
        report,
    )
    load_channels(matter, item.get("channels") or [], report)
