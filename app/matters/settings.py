"""A matter's numeric settings: each one's default and allowed range, the rules between them,
and one check that says what is wrong, per setting, as codes.

Plain Python, no Flask, no database. The catalog loader, the administrators' form and the
database's CHECK constraints (``app.matters.models``) all take their limits from here, so the
three cannot disagree; each turns the codes into its own words.
"""

import enum
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Fault(enum.StrEnum):
    NOT_A_NUMBER = "not_a_number"  # missing, or not a whole number
    OUT_OF_RANGE = "out_of_range"  # below the setting's lowest or above its highest value
    OFF_STEP = "off_step"  # in range, but not a multiple of the setting's step
    MORE_THAN_DESKS = "more_than_desks"  # more desks kept for the phone than there are desks
    NOT_BEFORE_HORIZON = "not_before_horizon"  # the lead time reaches the horizon


@dataclass(frozen=True)
class Setting:
    name: str  # as the column, the catalog key and the form field
    default: int
    lowest: int
    highest: int
    step: int = 1

    def fault(self, value: Any) -> Fault | None:
        """What is wrong with ``value`` on its own, or None."""
        if isinstance(value, bool) or not isinstance(value, int):
            return Fault.NOT_A_NUMBER
        if not self.lowest <= value <= self.highest:
            return Fault.OUT_OF_RANGE
        if value % self.step:
            return Fault.OFF_STEP
        return None

    @property
    def checks(self) -> dict[str, str]:
        """The SQL conditions (constraint name -> condition) that hold a column to it."""
        checks = {f"{self.name}_range": f"{self.name} BETWEEN {self.lowest} AND {self.highest}"}
        if self.step > 1:
            checks[f"{self.name}_step"] = f"{self.name} % {self.step} = 0"
        return checks


COMPARISONS = {"<": operator.lt, "<=": operator.le}


@dataclass(frozen=True)
class Rule:
    """``setting`` must stay below (``<``) or at most (``<=``) another setting, ``limit``."""

    name: str  # the constraint's name
    setting: str
    comparison: str  # a key of COMPARISONS, written as SQL writes it
    limit: str
    fault: Fault

    def holds(self, values: Mapping[str, int]) -> bool:
        return COMPARISONS[self.comparison](values[self.setting], values[self.limit])

    @property
    def check(self) -> str:
        return f"{self.setting} {self.comparison} {self.limit}"


SETTINGS = {
    setting.name: setting
    for setting in (
        # Slot lengths in 5-minute steps: every hour of the notice opens on a 5-minute mark, so
        # every time offered stays one a clerk reads out on the infoline and a visitor
        # remembers (10:35, never 10:37). Up to half a long reception day.
        Setting("slot_minutes", default=30, lowest=5, highest=240, step=5),
        # At least one desk (a matter without visits says so by its visit policy); 50 parallel
        # visits at one place is beyond any team of the department: more is a typing slip.
        Setting("desks", default=1, lowest=1, highest=50),
        Setting("phone_desks", default=0, lowest=0, highest=50),
        # 0: the kept desks open online only on the day itself.
        Setting("phone_release_days", default=2, lowest=0, highest=365),
        # Working days ahead; 0 is the same day, 1 the next working day (PRODUCT.md's default);
        # at most one less than the longest horizon, which it must stay below.
        Setting("lead_days", default=1, lowest=0, highest=364),
        # Calendar days ahead: about a month by default, at most a year.
        Setting("horizon_days", default=30, lowest=1, highest=365),
        # Days after the visit before its personal data is erased; at most ten years.
        Setting("retention_days", default=90, lowest=1, highest=3650),
    )
}
DEFAULTS = {name: setting.default for name, setting in SETTINGS.items()}

RULES = (
    # Desks kept for the phone are some of the slot's desks, not extra ones.
    Rule("phone_desks_within_desks", "phone_desks", "<=", "desks", Fault.MORE_THAN_DESKS),
    # Otherwise no day would ever be bookable. A coarse guard: lead days are working days and
    # the horizon calendar days, so a lead time just short of the horizon can still leave none.
    Rule("lead_days_before_horizon", "lead_days", "<", "horizon_days", Fault.NOT_BEFORE_HORIZON),
)

# The database's CHECK constraints on matters, name -> condition (every setting and rule).
CHECKS = {name: sql for setting in SETTINGS.values() for name, sql in setting.checks.items()} | {
    rule.name: rule.check for rule in RULES
}


def faults(values: Mapping[str, Any]) -> dict[str, Fault]:
    """What is wrong with a matter's settings (``values`` by name, every one of them), per
    setting: at most one fault each, and a rule only between settings that are right on their
    own. Empty when all is well."""
    found = {}
    for name, setting in SETTINGS.items():
        fault = setting.fault(values.get(name))
        if fault is not None:
            found[name] = fault
    for rule in RULES:
        if rule.setting not in found and rule.limit not in found and not rule.holds(values):
            found[rule.setting] = rule.fault
    return found


def rule_for(name: str, fault: Fault) -> Rule | None:
    """The rule between settings that ``fault`` of ``name`` breaks, or None for its own range."""
    return next((r for r in RULES if (r.setting, r.fault) == (name, fault)), None)
