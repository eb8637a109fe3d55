"""The statistics as a head of unit reads them: tables with their charts, named in the reader's
language, from the figures of one scope (``figures``). Each table is what the page shows, the
CSV and the spreadsheet give; a chart draws the same numbers."""

import enum
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property
from statistics import median_low

from babel import Locale, dates, numbers
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.booking.states import ON_AGENDA, Channel, VisitStatus
from app.extensions import db
from app.i18n import LANGUAGE_NAMES, date_locale, localized
from app.matters.models import Location, Matter
from app.spreadsheets import csv_bytes, xlsx_bytes
from app.statistics import charts, figures
from app.statistics.figures import FreeDates, Scope

S = VisitStatus
# Up to this many days the free dates are shown day by day; a longer period, week by week.
DAILY_UP_TO = 62
# Lead times grouped as a reader thinks of them: (fewest days, most days or None).
LEAD_GROUPS = ((0, 0), (1, 1), (2, 3), (4, 7), (8, 14), (15, 30), (31, 60), (61, None))
NOT_OVER = (S.HELD, S.REQUESTED, S.CONFIRMED, S.ARRIVED)


class Kind(enum.Enum):
    TEXT = "text"
    COUNT = "count"
    SHARE = "share"  # 0..1
    DAYS = "days"  # with one decimal
    DATE = "date"


XLSX_FORMATS = {Kind.COUNT: "#,##0", Kind.SHARE: "0%", Kind.DAYS: "0.0", Kind.DATE: "yyyy-mm-dd"}


@cache
def reader_locale(name: str) -> Locale:
    """Parsed once per language: a table's hundreds of cells would parse it each."""
    return Locale.parse(name)


def shown(value, kind: Kind) -> str:
    """A table's value as the page and the CSV write it, in the reader's language."""
    if value is None:
        return "—"
    locale = reader_locale(date_locale())
    if kind is Kind.COUNT:
        return numbers.format_decimal(value, locale=locale)
    if kind is Kind.SHARE:
        return numbers.format_percent(value, locale=locale)
    if kind is Kind.DAYS:
        return numbers.format_decimal(value, "0.0", locale=locale)
    if kind is Kind.DATE:
        return dates.format_date(value, "medium", locale=locale)
    return str(value)


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list]

    @property
    def is_wide(self) -> bool:
        """Too wide to stand beside its chart: the page puts it under the chart."""
        return len(self.columns) > 3

    def shown_rows(self) -> list[list[str]]:
        return [
            [shown(value, column.kind) for value, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def csv(self) -> bytes:
        return csv_bytes([column.label for column in self.columns], self.shown_rows())

    def xlsx(self) -> bytes:
        return xlsx_bytes(
            self.title,
            [column.label for column in self.columns],
            self.rows,
            [XLSX_FORMATS.get(column.kind) for column in self.columns],
        )


@dataclass
class Section:
    table: Table
    chart: charts.BarChart | charts.HeatMap | charts.LineChart
    note: str  # how to read it


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def counted(label: str, n: int, total: int) -> list:
    return [label, n, share(n, total)]


def lead_group_name(fewest: int, most: int | None) -> str:
    if most is None:
        return ngettext("more than %(num)d day", "more than %(num)d days", fewest - 1)
    if most == 0:
        return _("less than a day")
    if fewest == most:
        return ngettext("%(num)d day", "%(num)d days", most)
    return ngettext("%(fewest)d–%(num)d day", "%(fewest)d–%(num)d days", most, fewest=fewest)


class Report:
    """Every table of one scope; each query runs once, when a table first needs it."""

    def __init__(self, scope: Scope):
        self.scope = scope

    @cached_property
    def groups(self) -> list[figures.Group]:
        return figures.visit_groups(self.scope)

    @cached_property
    def total(self) -> int:
        return self.count()

    def count(self, statuses=None, channel: Channel | None = None) -> int:
        return sum(
            group.visits
            for group in self.groups
            if (statuses is None or group.status in statuses)
            and (channel is None or group.channel is channel)
        )

    @cached_property
    def lead(self) -> Counter[int]:
        return figures.lead_days(self.scope)

    # --- The tables -------------------------------------------------------------------------

    def outcomes(self) -> Section:
        off = figures.called_off(self.scope)
        lines = [
            (_("Attended"), self.count({S.ATTENDED})),
            (_("Did not come"), self.count({S.NO_SHOW})),
            (_("Cancelled by the visitor"), off[S.CANCELLED, Channel.ONLINE]),
            (_("Cancelled through the infoline"), off[S.CANCELLED, Channel.INFOLINE]),
            (_("Cancelled by the unit"), off[S.CANCELLED, Channel.STAFF]),
            (
                _("Cancelled by the office after a change of hours or closures"),
                off[S.CANCELLED, None],
            ),
            (_("Declined by the unit"), off[S.DECLINED, Channel.STAFF]),
            (_("Declined under the booking rules"), off[S.DECLINED, None]),
            (_("Not confirmed by e-mail in time"), self.count({S.EXPIRED})),
            (_("Not over yet"), self.count(NOT_OVER)),
        ]
        table = Table(
            "outcomes",
            _("How the visits ended"),
            [Column(_("Outcome")), Column(_("Visits"), Kind.COUNT), Column(_("Share"), Kind.SHARE)],
            [counted(label, n, self.total) for label, n in lines],
        )
        return Section(
            table,
            self.bars(table),
            _("Every visit whose time falls in the period, however it ended."),
        )

    def channels(self) -> Section:
        doors = [
            (_("Online"), Channel.ONLINE),
            (_("By the infoline, for a caller"), Channel.INFOLINE),
            (_("By the unit's staff"), Channel.STAFF),
        ]
        table = Table(
            "channels",
            _("How the visits were booked"),
            [
                Column(_("Booked")),
                Column(_("Visits"), Kind.COUNT),
                Column(_("Share"), Kind.SHARE),
            ],
            [counted(label, self.count(channel=door), self.total) for label, door in doors],
        )
        return Section(table, self.bars(table), _("Visits asked for, by who booked them."))

    def places(self) -> Section:
        offered = figures.offered_by_place(self.scope)
        asked: Counter[tuple[int, int]] = Counter()
        booked: Counter[tuple[int, int]] = Counter()
        for group in self.groups:
            place = group.matter_id, group.location_id
            asked[place] += group.visits
            if group.status in ON_AGENDA:
                booked[place] += group.visits
        matters = {m.id: m for m in db.session.scalars(select(Matter))}
        locations = {loc.id: loc for loc in db.session.scalars(select(Location))}
        rows = [
            [
                localized(matters[matter_id].title),
                localized(locations[location_id].name),
                offered[matter_id, location_id],
                asked[matter_id, location_id],
                booked[matter_id, location_id],
                share(booked[matter_id, location_id], offered[matter_id, location_id]),
            ]
            for matter_id, location_id in sorted(set(offered) | set(asked))
        ]
        table = Table(
            "places",
            _("Desks offered and booked, by matter and place"),
            [
                Column(_("Matter")),
                Column(_("Place")),
                Column(_("Desk-slots offered"), Kind.COUNT),
                Column(_("Visits asked for"), Kind.COUNT),
                Column(_("Visits booked"), Kind.COUNT),
                Column(_("Booked of offered"), Kind.SHARE),
            ],
            rows,
        )
        chart = charts.bar_chart(
            table.title,
            [(f"{row[0]} — {row[1]}", row[5] or 0, shown(row[5], Kind.SHARE)) for row in rows],
        )
        return Section(
            table,
            chart,
            _(
                "A desk-slot is one desk in one slot, as the office offered it at the time "
                "(the scheduler records it each day). Visits booked are those that kept their "
                "desk: not cancelled, declined or left unconfirmed."
            ),
        )

    def hours(self) -> Section:
        booked = figures.booked_by_hour(self.scope)
        offered = figures.offered_by_hour(self.scope)
        keys = sorted(set(booked) | set(offered))
        weekday_names = dates.get_day_names("wide", locale=date_locale())
        short_names = dates.get_day_names("abbreviated", locale=date_locale())
        table = Table(
            "hours",
            _("Booked desks by weekday and hour"),
            [
                Column(_("Weekday")),
                Column(_("Hour")),
                Column(_("Desk-slots offered"), Kind.COUNT),
                Column(_("Visits booked"), Kind.COUNT),
                Column(_("Booked of offered"), Kind.SHARE),
            ],
            [
                [
                    weekday_names[weekday],
                    f"{hour:02d}:00",
                    offered[weekday, hour],
                    booked[weekday, hour],
                    share(booked[weekday, hour], offered[weekday, hour]),
                ]
                for weekday, hour in keys
            ],
        )
        weekdays = sorted({weekday for weekday, _hour in keys})
        hours = list(range(min(h for _w, h in keys), max(h for _w, h in keys) + 1)) if keys else []
        cells = {
            (weekdays.index(weekday), hours.index(hour)): (
                share(booked[weekday, hour], offered[weekday, hour]),
                shown(share(booked[weekday, hour], offered[weekday, hour]), Kind.SHARE),
            )
            for weekday, hour in keys
        }
        chart = charts.heat_map(
            table.title,
            _("Each cell: the share of the desks offered in that hour that were booked."),
            [short_names[weekday] for weekday in weekdays],
            [f"{hour:02d}" for hour in hours],
            cells,
        )
        return Section(
            table,
            chart,
            _(
                "Where the share is close to 100%, people found no free desk at that hour: "
                "that is where more desks would help."
            ),
        )

    def lead_times(self) -> Section:
        booked = sum(self.lead.values())
        groups = [
            (lead_group_name(fewest, most), sum(
                n for days, n in self.lead.items()
                if days >= fewest and (most is None or days <= most)
            ))
            for fewest, most in LEAD_GROUPS
        ]  # fmt: skip
        table = Table(
            "lead_times",
            _("How far ahead the visits were booked"),
            [
                Column(_("Booked ahead")),
                Column(_("Visits"), Kind.COUNT),
                Column(_("Share"), Kind.SHARE),
            ],
            [counted(label, n, booked) for label, n in groups],
        )
        return Section(
            table,
            self.bars(table),
            _(
                "Whole days from the request to the time of the visit, for the visits booked. "
                "Median: %(median)s.",
                median=self.median_lead_text(),
            ),
        )

    def median_lead_text(self) -> str:
        """The median lead time (the lower of the two middle ones: a whole number of days)."""
        if not self.lead:
            return "—"
        return ngettext("%(num)d day", "%(num)d days", median_low(self.lead.elements()))

    def free_dates(self) -> Section:
        by_day = figures.free_dates(self.scope)
        daily = (self.scope.last - self.scope.first).days < DAILY_UP_TO
        grouped: dict[date, FreeDates] = {}
        for day, samples in by_day.items():
            key = day if daily else day - timedelta(days=day.weekday())
            grouped[key] = grouped[key] + samples if key in grouped else samples
        table = Table(
            "free_dates",
            _("Days until the first free time, as visitors saw it"),
            [
                Column(_("Day") if daily else _("Week from"), Kind.DATE),
                Column(_("Average days"), Kind.DAYS),
                Column(_("Longest"), Kind.COUNT),
                Column(_("Places with nothing free"), Kind.COUNT),
            ],
            [
                [key, samples.average, samples.longest, samples.places - samples.with_free]
                for key, samples in sorted(grouped.items())
            ],
        )
        chart = charts.line_chart(
            table.title,
            _("Average and longest wait for a free time; the figures are in the table."),
            [dates.format_date(row[0], "d MMM", locale=date_locale()) for row in table.rows],
            [
                (_("Average"), [row[1] for row in table.rows]),
                (_("Longest"), [row[2] for row in table.rows]),
            ],
        )
        return Section(
            table,
            chart,
            _(
                "Once a day the scheduler notes how many days ahead the first free time of "
                "each matter at each place was, as it could be booked that day."
            ),
        )

    def languages(self) -> Section:
        by_language: Counter[str] = Counter()
        for group in self.groups:
            by_language[group.language] += group.visits
        table = Table(
            "languages",
            _("Languages the visitors chose"),
            [
                Column(_("Language")),
                Column(_("Visits"), Kind.COUNT),
                Column(_("Share"), Kind.SHARE),
            ],
            [
                counted(LANGUAGE_NAMES.get(code, code), by_language[code], self.total)
                for code in sorted(by_language, key=lambda code: -by_language[code])
            ],
        )
        return Section(
            table,
            self.bars(table),
            _("The language in which each visitor used the pages and received the e-mails."),
        )

    def summary(self) -> list[tuple[str, str]]:
        came = self.count({S.ATTENDED, S.NO_SHOW})
        return [
            (_("Visits asked for"), shown(self.total, Kind.COUNT)),
            (_("Visits booked"), shown(self.count(ON_AGENDA), Kind.COUNT)),
            (_("Attended"), shown(self.count({S.ATTENDED}), Kind.COUNT)),
            (
                _("Did not come, of the visits due"),
                shown(share(self.count({S.NO_SHOW}), came), Kind.SHARE),
            ),
            (_("Median days booked ahead"), self.median_lead_text()),
            (
                _("Booked through the infoline"),
                shown(share(self.count(channel=Channel.INFOLINE), self.total), Kind.SHARE),
            ),
        ]

    @staticmethod
    def bars(table: Table) -> charts.BarChart:
        """A bar per row of a (label, count, share) table."""
        return charts.bar_chart(
            table.title,
            [
                (row[0], row[1], f"{shown(row[1], Kind.COUNT)} ({shown(row[2], Kind.SHARE)})")
                for row in table.rows
            ],
        )


# The tables in the page's order, by the key of their exports.
SECTIONS = {
    "outcomes": Report.outcomes,
    "channels": Report.channels,
    "places": Report.places,
    "hours": Report.hours,
    "lead_times": Report.lead_times,
    "free_dates": Report.free_dates,
    "languages": Report.languages,
}
