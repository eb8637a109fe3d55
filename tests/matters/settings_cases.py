"""A matter's settings at and beyond their limits, walked from app/matters/settings.py: the
loader, the admin form and the database are each tested against this one table of cases."""

from dataclasses import dataclass

import pytest

from app.matters.settings import DEFAULTS, RULES, SETTINGS, Fault

# What the settings are documented to allow (PRODUCT.md's defaults; the admin form's ranges),
# written out by hand so that a changed limit is a decision this table records.
DOCUMENTED = {
    # name: (default, lowest, highest, step)
    "slot_minutes": (30, 5, 240, 5),
    "desks": (1, 1, 50, 1),
    "phone_desks": (0, 0, 50, 1),
    "phone_release_days": (2, 0, 365, 1),
    "lead_days": (1, 0, 364, 1),
    "horizon_days": (30, 1, 365, 1),
    "retention_days": (90, 1, 3650, 1),
}


@dataclass(frozen=True)
class Case:
    values: dict[str, int]  # every setting
    field: str  # the setting the case is about
    fault: Fault | None  # what is wrong with it; None: the values are right


def with_room(name: str, value: int) -> dict[str, int]:
    """The defaults, ``name`` at ``value``, and the other side of each rule moved so that the
    rule holds: an edge case that is right is right whatever the neighbouring settings."""
    values = DEFAULTS | {name: value}
    for rule in RULES:
        strict = rule.comparison == "<"
        if rule.setting == name:
            values[rule.limit] = max(values[rule.limit], value + strict)
        elif rule.limit == name:
            values[rule.setting] = min(values[rule.setting], value - strict)
    return values


def refused_cases() -> dict[str, Case]:
    cases = {}
    for name, setting in SETTINGS.items():
        for value in (setting.lowest - 1, setting.highest + 1):
            cases[f"{name}={value}"] = Case(DEFAULTS | {name: value}, name, Fault.OUT_OF_RANGE)
        if setting.step > 1:
            value = setting.lowest + 1
            cases[f"{name}={value}"] = Case(DEFAULTS | {name: value}, name, Fault.OFF_STEP)
    for rule in RULES:
        limit = DEFAULTS[rule.limit] + 1
        value = limit if rule.comparison == "<" else limit + 1
        values = DEFAULTS | {rule.limit: limit, rule.setting: value}
        cases[f"{rule.setting}={value} {rule.comparison} {rule.limit}={limit}"] = Case(
            values, rule.setting, rule.fault
        )
    return cases


def accepted_cases() -> dict[str, Case]:
    cases = {}
    for name, setting in SETTINGS.items():
        for value in (setting.lowest, setting.highest):
            cases[f"{name}={value}"] = Case(with_room(name, value), name, None)
    for rule in RULES:
        limit = DEFAULTS[rule.limit] + 1
        value = limit - 1 if rule.comparison == "<" else limit
        values = DEFAULTS | {rule.limit: limit, rule.setting: value}
        cases[f"{rule.setting}={value} {rule.comparison} {rule.limit}={limit}"] = Case(
            values, rule.setting, None
        )
    return cases


REFUSED = refused_cases()
ACCEPTED = accepted_cases()


def params(cases: dict[str, Case]) -> list:
    return [pytest.param(case, id=name) for name, case in cases.items()]
