"""Demo data at an office's scale: a year of visits behind, the next weeks ahead, each as the
product would have left it (PRODUCT.md, "A visit's life"), with its history.

Everything is planned in Python first (who, which slot and desk, which end, which changes),
then written with bulk inserts, a few thousand rows per statement and no ORM object per row,
so that 100,000 visits take seconds. It refuses a database that holds any visit: it must never
run over an office's real data. The caller commits.

The plan, in order: how many visits each matter and place gets and in which channel, state
and language (``draft``); the desks that this needs (``size_desks``, which raises the
catalog's desks where it must); the slots and desks (``place_in_slots``, sampling free desks
without replacement, so no two visits ever meet on one); when each was booked (``book``); the
people; the history; then erasure after retention, as ``erase_personal_data`` leaves it.
"""

import heapq
import math
import random
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import exists, func, insert, select

from app.accounts.models import Role, User
from app.booking.models import Visit, VisitChange, new_manage_key
from app.booking.people import email_key
from app.booking.references import ALPHABET, LENGTH, PREFIX
from app.booking.schedule import schedules
from app.booking.slots import Schedule
from app.booking.states import Channel, VisitStatus
from app.database import utcnow
from app.demo.people import People, Person
from app.extensions import db
from app.matters.loader import load_catalog, read_catalog
from app.matters.models import Confirmation, Location, Matter, Unit, VisitPolicy
from app.statistics.models import FreeDateSample, OfferedDesks
from app.statistics.records import offered_by_hour

DEFAULT_SEED = 2026
PAST = timedelta(days=365)
RECENT = timedelta(hours=1)  # the requests waiting for the scheduler were made this recently
DESKS_MAX = 50  # the admin form's maximum
PAST_FILL = 0.75  # at most this share of the past year's desk-slots was used
FUTURE_FILL = 0.5  # at least half of the desk-slots ahead stay free
FUTURE_SHARE = 0.08  # visits ahead, of those not requested: about one month of a year's
HELD_SHARE = 0.015  # of the visits ahead: online requests whose e-mail link is still unopened
REPEAT_SHARE = 0.1  # visits of people who came more than once
CHUNK = 5000  # rows per INSERT statement
LEAD_DAYS = (1, 30, 4)  # days between booking and visit: triangular (least, most, commonest)

S = VisitStatus
CITIZEN, SCHEDULER = "citizen", "scheduler"

# Per matter slug: its share of the office's visits and its visitors' languages. The FAMI
# points serve foreigners (PRODUCT.md: PL, UK, RU, EN); other units mostly Polish speakers.
MATTERS = {
    "fami": (36, {"pl": 22, "uk": 45, "ru": 22, "en": 11}),
    "koordynacja-swiadczen": (20, {"pl": 84, "uk": 11, "ru": 2, "en": 3}),
    "orzekanie-o-niepelnosprawnosci": (12, None),
    "odwolania-pup": (8, None),
    "maluch-plus": (4, None),
    "zpchr-zaz": (4, None),
    "integracja-spoleczna": (3, None),
    "nadzor-promocja-zatrudnienia": (3, None),
}
OTHER_MATTER = (4, None)
LANGUAGES = {"pl": 95, "uk": 3, "en": 1.5, "ru": 0.5}
# Whose names people with each language have: at the FAMI points many Ukrainians choose Polish.
ORIGINS = {"pl": {"pl": 1}, "uk": {"ua": 1}, "ru": {"ua": 1, "ru": 1}, "en": {"intl": 1}}
FAMI_ORIGINS = ORIGINS | {"pl": {"pl": 1, "ua": 1}}

CHANNELS = {
    VisitPolicy.ONLINE: {Channel.ONLINE: 80, Channel.INFOLINE: 16, Channel.STAFF: 4},
    VisitPolicy.BY_PHONE: {Channel.INFOLINE: 80, Channel.STAFF: 20},
}
# How visits of the past year ended, by channel (requests that can be declined: staff only).
PAST_ENDS_ONLINE = {S.ATTENDED: 66, S.NO_SHOW: 7, S.CANCELLED: 13, S.EXPIRED: 6, S.DECLINED: 8}
PAST_ENDS_OFFICE = {S.ATTENDED: 74, S.NO_SHOW: 11, S.CANCELLED: 15}
AHEAD_ONLINE = {S.CONFIRMED: 88, S.CANCELLED: 7, S.EXPIRED: 2, S.DECLINED: 3}
AHEAD_OFFICE = {S.CONFIRMED: 93, S.CANCELLED: 7}
# Who called a visit off, by channel; the citizen only where there is an e-mail (its link).
CANCELLED_BY = {
    Channel.ONLINE: {CITIZEN: 70, "operator": 15, "staff": 15},
    Channel.INFOLINE: {CITIZEN: 40, "operator": 45, "staff": 15},
    Channel.STAFF: {CITIZEN: 30, "operator": 10, "staff": 60},
}
# Contact details given, by channel: (share with an e-mail, share with a phone).
CONTACTS = {Channel.ONLINE: (1.0, 0.35), Channel.INFOLINE: (0.6, 1.0), Channel.STAFF: (0.55, 0.85)}

# What staff and operators write as a reason (they write in Polish whatever the visitor's
# language, as the office does).
DECLINE_REASONS = (
    "Sprawę można załatwić bez wizyty: prosimy przesłać dokumenty przez ePUAP lub pocztą.",
    "Najpierw potrzebne są dokumenty; prosimy o kontakt telefoniczny z zespołem.",
    "W tym terminie zespół nie przyjmuje interesantów; prosimy wybrać inny termin.",
)
CANCEL_REASONS = {
    CITIZEN: ("",),
    "operator": ("Na prośbę rozmówcy.", "Rozmówca poinformował, że nie przyjdzie."),
    "staff": (
        "Nieobecność pracownika prowadzącego sprawę; prosimy umówić się na inny termin.",
        "Sprawa została załatwiona korespondencyjnie.",
    ),
}
BOOKED_FOR_CALLER = "booked for a caller"
# Where the seed needs accounts the office has none of: at least this many operators.
OPERATORS = 5
UNUSABLE_PASSWORD = "!"  # not an Argon2 hash: nobody logs in until `flask users set-password`


class SeedError(Exception):
    """The demo data cannot be made here; the message says why."""


@dataclass
class Place:
    """One matter at one of its locations, with its slots behind and ahead of now."""

    matter: Matter
    location: Location
    schedule: Schedule
    weight: float
    past: list[tuple[datetime, datetime]] = field(default_factory=list)
    ahead: list[tuple[datetime, datetime]] = field(default_factory=list)
    recent: list[int] = field(default_factory=list)  # indexes of ``ahead`` a request may take

    @property
    def name(self) -> str:
        return f"{self.matter.slug} at {self.location.slug}"


class Draft:
    """A visit being planned (plain attributes, cheap to make by the hundred thousand)."""

    __slots__ = (
        "place", "ahead", "recent", "channel", "status", "language", "origin", "has_email",
        "has_phone", "start", "end", "desk", "created_at", "person", "fields", "changes",
    )  # fmt: skip

    def __init__(self, place: Place, ahead: bool, channel: Channel, status: VisitStatus):
        self.place, self.ahead, self.channel, self.status = place, ahead, channel, status
        self.recent = status in (S.HELD, S.REQUESTED)
        self.desk = None
        self.person: Person | None = None
        self.fields: dict = {}
        self.changes: list[tuple] = []


@dataclass
class SeedReport:
    visits: Counter = field(default_factory=Counter)  # (status, channel) → count
    past: int = 0
    ahead: int = 0
    requested: int = 0
    erased: int = 0
    people: int = 0
    changes: int = 0
    catalog_loaded: bool = False
    desks_raised: list[str] = field(default_factory=list)
    accounts_created: list[str] = field(default_factory=list)


def seed_demo(
    visits: int, requested: int = 0, now: datetime | None = None, seed: int = DEFAULT_SEED
) -> SeedReport:
    """Fill an empty office with ``visits`` visits, ``requested`` of them waiting for the
    scheduler; deterministic for a given ``seed`` and ``now`` (the manage keys aside, which
    stay secret). Raises ``SeedError``; flushes, the caller commits."""
    now = now or utcnow()
    if visits < 1 or not 0 <= requested <= visits:
        raise SeedError("--visits must be at least 1 and --requested between 0 and --visits")
    held = db.session.scalar(select(func.count()).select_from(Visit))
    if held:
        raise SeedError(
            f"the database already holds {held:,} visits: demo seed fills only a database "
            "without any, so that it never mixes made-up visits into an office's real ones"
        )
    report = SeedReport()
    if not db.session.scalar(select(exists().where(Matter.id.is_not(None)))):
        load_catalog(read_catalog())
        db.session.flush()
        report.catalog_loaded = True
    rng = random.Random(seed)
    places = office_places(now)
    drafts = draft(rng, places, visits, requested)
    size_desks(places, drafts, report)
    place_in_slots(rng, places, drafts, now)
    hold = timedelta(minutes=current_app.config["HOLD_MINUTES"])
    known: dict[tuple[int, date], date] = {}
    for visit in drafts:
        book(rng, visit, now, hold, known)
    report.people = meet_people(rng, drafts)
    operators, staff = office_accounts(places, report)
    for visit in drafts:
        live(rng, visit, now, hold, operators, staff)
        erase_after_retention(rng, visit, now)
    write(rng, drafts, {account.email for account in operators}, report)
    record_the_office(places, drafts, now)
    for visit in drafts:
        report.visits[visit.status, visit.channel] += 1
        report.past += not visit.ahead
        report.ahead += visit.ahead
        report.requested += visit.status is S.REQUESTED
        report.erased += visit.fields["erased_at"] is not None
    return report


# --- The office: which matters are visited where, and their slots ---------------------------


def office_places(now: datetime) -> list[Place]:
    """Every matter with visits at each of its locations, with its slots of the past year and
    of its horizon (inside reception hours, never on a holiday or a closure)."""
    matters = db.session.scalars(
        select(Matter).where(Matter.visit_policy != VisitPolicy.NONE).order_by(Matter.id)
    ).all()
    places = []
    for matter in matters:
        if not matter.locations:
            continue
        weight, _languages = MATTERS.get(matter.slug, OTHER_MATTER)
        by_location = schedules(
            matter, matter.locations, now - PAST - timedelta(days=1),
            now + timedelta(days=matter.horizon_days + 1),
        )  # fmt: skip
        # The first location is the main one: it gets three times the visits of each other.
        parts = [3] + [1] * (len(matter.locations) - 1)
        for location, share in zip(matter.locations, parts, strict=True):
            place = Place(matter, location, by_location[location.id], weight * share / sum(parts))
            find_slots(place, now)
            places.append(place)
    if not any(place.past for place in places):
        raise SeedError("no matter with visits has reception hours: load the catalog first")
    return places


def find_slots(place: Place, now: datetime) -> None:
    schedule = place.schedule
    # A request made in the last hour: after its lead time, within its horizon.
    first_requested = schedule.first_day(now)
    last_requested = schedule.last_day(now - RECENT)
    day = (now - PAST).astimezone(schedule.timezone).date()
    while day <= schedule.last_day(now):
        for start, end in schedule.slots_on(day):
            if schedule.is_closed(start, end):
                continue
            if end <= now and start >= now - PAST:
                place.past.append((start, end))
            elif start > now:
                if first_requested <= day <= last_requested:
                    place.recent.append(len(place.ahead))
                place.ahead.append((start, end))
        day += timedelta(days=1)


# --- What is to be made ----------------------------------------------------------------------


def shares(total: int, weights: list[float]) -> list[int]:
    """``total`` split by ``weights`` in whole numbers (largest remainders)."""
    if total == 0 or not any(weights):
        return [0] * len(weights)
    exact = [total * w / sum(weights) for w in weights]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def draft(rng: random.Random, places: list[Place], visits: int, requested: int) -> list[Draft]:
    """The visits to make, each with its place, channel, state and language."""
    # Requests wait for the scheduler only where it confirms them: online matters, auto.
    waiting = [
        p.recent and p.matter.is_bookable_online and p.matter.confirmation is Confirmation.AUTO
        for p in places
    ]
    if requested and not any(waiting):
        raise SeedError("--requested needs an online matter the scheduler confirms (auto)")
    others = visits - requested
    ahead_total = round(others * FUTURE_SHARE)
    past_total = others - ahead_total
    drafts: list[Draft] = []
    # Spread evenly over the slots they may take: the scheduler's queue is the whole office's.
    recent_weights = [len(p.recent) if w else 0 for p, w in zip(places, waiting, strict=True)]
    for place, count in zip(places, shares(requested, recent_weights), strict=True):
        drafts += [Draft(place, True, Channel.ONLINE, S.REQUESTED) for _ in range(count)]
    # A few online requests made in the last minutes, their e-mail link not opened yet.
    held_weights = [p.weight if p.recent and p.matter.is_bookable_online else 0 for p in places]
    held = min(max(1, round(ahead_total * HELD_SHARE)), ahead_total) if any(held_weights) else 0
    for place, count in zip(places, shares(held, held_weights), strict=True):
        drafts += [Draft(place, True, Channel.ONLINE, S.HELD) for _ in range(count)]
    ahead_total -= held
    past_weights = [p.weight if p.past else 0 for p in places]
    ahead_weights = [p.weight if p.ahead else 0 for p in places]
    if ahead_total and not any(ahead_weights):
        raise SeedError("no matter with visits has reception hours within its horizon")
    past_counts = shares(past_total, past_weights)
    ahead_counts = shares(ahead_total, ahead_weights)
    for place, past, ahead in zip(places, past_counts, ahead_counts, strict=True):
        by_staff = place.matter.confirmation is Confirmation.STAFF
        channels = CHANNELS[place.matter.visit_policy]
        for is_ahead, count in ((False, past), (True, ahead)):
            for _ in range(count):
                channel = pick(rng, channels)
                if channel is Channel.ONLINE:
                    ends = AHEAD_ONLINE if is_ahead else PAST_ENDS_ONLINE
                    if not by_staff:  # the scheduler confirms valid requests at once
                        ends = {s: w for s, w in ends.items() if s is not S.DECLINED}
                    status = pick(rng, ends)
                else:
                    status = pick(rng, AHEAD_OFFICE if is_ahead else PAST_ENDS_OFFICE)
                drafts.append(Draft(place, is_ahead, channel, status))
    for visit in drafts:
        _weight, languages = MATTERS.get(visit.place.matter.slug, OTHER_MATTER)
        visit.language = pick(rng, languages or LANGUAGES)
        origins = FAMI_ORIGINS if visit.place.matter.slug == "fami" else ORIGINS
        visit.origin = pick(rng, origins[visit.language])
        with_email, with_phone = CONTACTS[visit.channel]
        visit.has_email = rng.random() < with_email
        visit.has_phone = rng.random() < with_phone or not visit.has_email
    return drafts


# --- Desks -----------------------------------------------------------------------------------


def size_desks(places: list[Place], drafts: list[Draft], report: SeedReport) -> None:
    """Raise a matter's desks where its visits would not fit: the past year's in at most
    ``PAST_FILL`` of its desk-slots, those ahead in at most half, the requests in the desks
    open online. Never above ``DESKS_MAX``."""
    holding = Counter((id(v.place), v.ahead) for v in drafts if v.status.holds_desk)
    recent = Counter(id(v.place) for v in drafts if v.recent)
    needs: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for place in places:
        matter = place.matter
        past, ahead = holding[id(place), False], holding[id(place), True]
        if past:
            desks = math.ceil(past / (PAST_FILL * len(place.past)))
            needs[matter.id].append(
                (desks, f"{past:,} visits of the past year at {place.location.slug} use at "
                        f"most {PAST_FILL:.0%} of its {len(place.past) * desks:,} desk-slots")
            )  # fmt: skip
        if ahead:
            desks = math.ceil(ahead / (FUTURE_FILL * len(place.ahead)))
            needs[matter.id].append(
                (desks, f"the {ahead:,} visits ahead at {place.location.slug} leave at least "
                        f"half of its {len(place.ahead) * desks:,} desk-slots free")
            )  # fmt: skip
        if recent[id(place)]:
            desks = matter.phone_desks + math.ceil(recent[id(place)] / len(place.recent))
            needs[matter.id].append(
                (desks, f"the {recent[id(place)]:,} fresh requests at {place.location.slug} "
                        "find a desk open online")
            )  # fmt: skip
    for place in places:
        matter = place.matter
        if matter.id not in needs:
            continue
        desks, reason = max(needs.pop(matter.id))
        if desks > DESKS_MAX:
            raise SeedError(
                f"too many visits for the catalog: {matter.slug} would need {desks} desks so "
                f"that {reason} (at most {DESKS_MAX}); ask for fewer visits or requests"
            )
        if desks > matter.desks:
            report.desks_raised.append(
                f"{matter.slug}: desks {matter.desks} → {desks} so that {reason}"
            )
            matter.desks = desks
    db.session.flush()


SEASON = {7: 0.8, 8: 0.75, 12: 0.9}  # summer holidays and Christmas are quieter
WEEKDAY = (1.15, 1.05, 1.0, 1.0, 0.8, 1.0, 1.0)


def demand(place: Place, start: datetime) -> float:
    """How sought-after a slot is: Mondays and mornings more, Fridays, afternoons less."""
    local = start.astimezone(place.schedule.timezone)
    hour = 1.2 if local.hour < 12 else 0.7 if local.hour >= 15 else 1.0
    return WEEKDAY[local.weekday()] * hour * SEASON.get(local.month, 1.0)


def booked_by_now(days_ahead: int) -> float:
    """The share of a day's visits already booked ``days_ahead`` days before it (the chance
    that the lead time is at least that long)."""
    least, most, commonest = LEAD_DAYS
    x = min(max(days_ahead, least), most)
    if x <= commonest:
        below = (x - least) ** 2 / ((most - least) * (commonest - least))
    else:
        below = 1 - (most - x) ** 2 / ((most - least) * (most - commonest))
    return max(1 - below, 0.05)


def sample_desks(
    rng: random.Random, weights: list[float], free: list[int], count: int
) -> list[int]:
    """``count`` desk-slots drawn without replacement, ``free[i]`` of them in slot ``i``,
    likelier where ``weights[i]`` is higher: the slot index of each (weighted reservoir
    sampling, Efraimidis and Spirakis). Without replacement, so no desk is given twice."""
    keys = (
        (rng.random() ** (1 / weight), slot)
        for slot, (weight, n) in enumerate(zip(weights, free, strict=True))
        if weight > 0
        for _ in range(n)
    )
    picked = [slot for _key, slot in heapq.nlargest(count, keys)]
    if len(picked) < count:  # size_desks makes room; this would be a bug, not bad luck
        raise AssertionError(f"{count} visits, {len(picked)} free desks")
    return picked


def place_in_slots(rng: random.Random, places: list[Place], drafts: list[Draft], now: datetime):
    """Give each visit its slot, and a desk to those that hold one: the lowest free number of
    its slot, as a claim would."""
    groups: dict[tuple[int, bool], list[Draft]] = defaultdict(list)
    for visit in drafts:
        groups[id(visit.place), visit.ahead].append(visit)
    for place in places:
        desks = place.matter.desks
        timezone = place.schedule.timezone
        today = place.schedule.today(now)
        for ahead in (False, True):
            slots = place.ahead if ahead else place.past
            visits = groups.get((id(place), ahead), [])
            if not visits:
                continue
            weights = [demand(place, start) for start, _end in slots]
            if ahead:
                days = [(start.astimezone(timezone).date() - today).days for start, _ in slots]
                weights = [w * booked_by_now(d) for w, d in zip(weights, days, strict=True)]
            taken = [0] * len(slots)
            # Fresh requests first, spread over what they may take, on the desks open online.
            recent = [v for v in visits if v.recent]
            if recent:
                open_online = desks - place.matter.phone_desks
                allowed = set(place.recent)
                free = [open_online if i in allowed else 0 for i in range(len(slots))]
                picked = sample_desks(rng, [1.0] * len(slots), free, len(recent))
                settle(recent, picked, slots, taken)
            holders = [v for v in visits if not v.recent and v.status.holds_desk]
            free = [desks - n for n in taken]
            settle(holders, sample_desks(rng, weights, free, len(holders)), slots, taken)
            # Those that let their desk go once had one: any slot will do.
            rest = [v for v in visits if not v.status.holds_desk]
            settle(rest, rng.choices(range(len(slots)), weights=weights, k=len(rest)), slots)


def settle(visits: list[Draft], picked: list[int], slots: list, taken: list[int] | None = None):
    """Put each visit in its picked slot; with ``taken``, on the slot's next free desk."""
    for visit, slot in zip(visits, picked, strict=True):
        visit.start, visit.end = slots[slot]
        if taken is not None:
            taken[slot] += 1
            visit.desk = taken[slot]


# --- When each was booked --------------------------------------------------------------------


def latest_booking_day(place: Place, day: date, known: dict) -> date:
    """The last day on which a visit on ``day`` could be booked (its lead time); ``known``
    keeps the answers (the same few hundred days come up again and again)."""
    key = (place.matter.id, day)
    if key not in known:
        schedule = place.schedule
        booking = day - timedelta(days=1)
        while schedule.first_day(noon(booking, schedule)) > day:
            booking -= timedelta(days=1)
        known[key] = booking
    return known[key]


def noon(day: date, schedule: Schedule) -> datetime:
    return datetime.combine(day, time(12), tzinfo=schedule.timezone)


def between(rng: random.Random, first: datetime, last: datetime) -> datetime:
    return first + (last - first) * rng.random()


# Local hours people book in: online most of the day; the infoline and staff in office hours.
ONLINE_HOURS = (time(6, 30), time(23, 0))
OFFICE_HOURS = {0: (time(9), time(16, 30))} | {d: (time(7, 30), time(15)) for d in range(1, 5)}


def book(rng: random.Random, visit: Draft, now: datetime, hold: timedelta, known: dict) -> None:
    """``created_at``: 1–30 days before the visit, after its lead time and within its horizon
    as of that day; fresh requests in the last hour, unopened links within the hold time."""
    place = visit.place
    schedule = place.schedule
    if visit.recent:
        within = RECENT if visit.status is S.REQUESTED else min(hold, RECENT)
        visit.created_at = now - within * rng.uniform(0.02, 0.98)
        return
    day = visit.start.astimezone(schedule.timezone).date()
    lead = round(rng.triangular(*LEAD_DAYS))
    earliest = day - timedelta(days=place.matter.horizon_days)
    latest = latest_booking_day(place, day, known)
    booked = max(min(day - timedelta(days=lead), latest, schedule.today(now)), earliest)
    if visit.channel is not Channel.ONLINE:  # the infoline and staff work on working days
        before = booked
        while not schedule.is_working_day(before) and before > earliest:
            before -= timedelta(days=1)
        booked = before if schedule.is_working_day(before) else booked
    opens, closes = (
        OFFICE_HOURS.get(booked.weekday(), ONLINE_HOURS)
        if visit.channel is not Channel.ONLINE
        else ONLINE_HOURS
    )
    first = datetime.combine(booked, opens, tzinfo=schedule.timezone).astimezone(UTC)
    last = datetime.combine(booked, closes, tzinfo=schedule.timezone).astimezone(UTC)
    if visit.status is S.EXPIRED:  # its hold ran out before now
        now -= hold + timedelta(minutes=2)
    if last >= now:  # booked today, before now
        last = now - timedelta(seconds=1)
        first = min(first, last - timedelta(minutes=1))
        first = max(first, datetime.combine(booked, time(), tzinfo=schedule.timezone))
    visit.created_at = between(rng, first, last).astimezone(UTC)


# --- People ----------------------------------------------------------------------------------


def meet_people(rng: random.Random, drafts: list[Draft]) -> int:
    """One person per visit, but some come back: chains of 2–4 visits of one person, each
    booked after the previous one ended (never two active at once). Fresh requests and
    unopened links are new people. How many people there are."""
    people = People(rng)
    by_language: dict[str, list[Draft]] = defaultdict(list)
    for visit in drafts:
        if not visit.recent:
            by_language[visit.language].append(visit)
    count = 0
    for pool in by_language.values():
        pool.sort(key=lambda v: v.created_at)
        booked = [v.created_at for v in pool]
        free = [True] * len(pool)
        wanted = int(len(pool) * REPEAT_SHARE)
        chained = 0
        for _attempt in range(wanted * 3):
            if chained >= wanted:
                break
            first = rng.randrange(len(pool))
            if not free[first]:
                continue
            chain = [first]
            free[first] = False
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                after = pool[chain[-1]].end + timedelta(days=rng.randint(1, 90))
                start = bisect_left(booked, after)
                following = next(
                    (j for j in range(start, min(start + 50, len(pool))) if free[j]), None
                )
                if following is None:
                    break
                chain.append(following)
                free[following] = False
            if len(chain) == 1:
                free[first] = True
                continue
            person = people.make(pool[first].origin)
            for index in chain:
                pool[index].person = person
            chained += len(chain)
            count += 1
    for visit in drafts:
        if visit.person is None:
            visit.person = people.make(visit.origin)
            count += 1
    return count


def office_accounts(places: list[Place], report: SeedReport) -> tuple[list[User], dict]:
    """The infoline operators and each unit's staff who booked, decided and marked visits:
    the office's own accounts, and where it has too few, new ones nobody can log in with."""
    operators = list(
        db.session.scalars(
            select(User).where(User.role == Role.OPERATOR, User.active).order_by(User.id)
        )
    )
    for n in range(len(operators) + 1, OPERATORS + 1):
        operators.append(new_account(f"operator{n}@wizyta.example", Role.OPERATOR, [], report))
    units = {place.matter.unit.id: place.matter.unit for place in places}
    staff: dict[int, list[User]] = {}
    for unit in units.values():
        members = [
            user
            for user in db.session.scalars(
                select(User).where(User.role == Role.STAFF, User.active).order_by(User.id)
            )
            if user.has_unit(unit.id)
        ]
        staff[unit.id] = members or [
            new_account(f"{unit.slug}@wizyta.example", Role.STAFF, [unit], report)
        ]
    db.session.flush()
    return operators, staff


def new_account(email: str, role: Role, units: list[Unit], report: SeedReport) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        user = User(email=email, role=role, units=units, password_hash=UNUSABLE_PASSWORD)
        db.session.add(user)
        report.accounts_created.append(f"{role.value} {email}")
    return user


# --- A visit's life --------------------------------------------------------------------------


def live(
    rng: random.Random,
    visit: Draft,
    now: datetime,
    hold: timedelta,
    operators: list[User],
    staff: dict[int, list[User]],
) -> None:
    """The visit's history up to its state, and the columns that history leaves set."""
    matter = visit.place.matter
    person = visit.person
    clerk_account = rng.choice(staff[matter.unit_id])
    clerk = clerk_account.email
    email = person.email if visit.has_email else None
    fields = visit.fields = {
        "name": person.name,
        "email": email,
        "phone": person.phone if visit.has_phone else None,
        "reason": "",
        "sequence": 0,
        "staff_notified_at": None,
        "reminded_at": None,
        "erased_at": None,
        "booked_by_id": None,
    }
    changes = visit.changes
    at = visit.created_at
    until = min(visit.start, now)  # decisions come before the visit, and never after now

    def later(moment: datetime, most: timedelta) -> datetime:
        return moment + min(most * rng.uniform(0.05, 1), (until - moment) * rng.uniform(0.1, 0.9))

    if visit.channel is Channel.ONLINE:
        changes.append((at, CITIZEN, None, S.HELD, ""))
        if visit.status is S.HELD:
            return
        if visit.status is S.EXPIRED:  # the hold ran out; the next minute's job let it go
            changes.append(
                (
                    at + hold + timedelta(seconds=rng.uniform(1, 60)),
                    SCHEDULER,
                    S.HELD,
                    S.EXPIRED,
                    "",
                )
            )
            return
        at = later(at, min(hold, timedelta(minutes=25)))  # the e-mail link's button
        changes.append((at, CITIZEN, S.HELD, S.REQUESTED, ""))
        if visit.status is S.REQUESTED:
            return
        if matter.confirmation is Confirmation.AUTO:
            at, decider = later(at, timedelta(seconds=60)), SCHEDULER
        else:
            fields["staff_notified_at"] = at = later(at, timedelta(seconds=60))
            at, decider = later(at, timedelta(days=2)), clerk
        if visit.status is S.DECLINED:
            fields["reason"] = reason = rng.choice(DECLINE_REASONS)
            changes.append((at, decider, S.REQUESTED, S.DECLINED, reason))
            return
        changes.append((at, decider, S.REQUESTED, S.CONFIRMED, ""))
    else:
        booker = rng.choice(operators) if visit.channel is Channel.INFOLINE else clerk_account
        fields["booked_by_id"] = booker.id
        changes.append((at, booker.email, None, S.CONFIRMED, BOOKED_FOR_CALLER))
    confirmed_at = at
    reminder = visit.start - timedelta(hours=current_app.config["REMINDER_HOURS_BEFORE"])
    reminder += timedelta(minutes=rng.uniform(0, 10))  # the job runs every ten minutes
    if visit.status is S.CANCELLED:
        at = later(at, visit.start - at)
        by = pick(rng, CANCELLED_BY[visit.channel])
        if by == CITIZEN and email is None:
            by = "operator"
        actor = {CITIZEN: CITIZEN, "operator": rng.choice(operators).email, "staff": clerk}[by]
        fields["reason"] = reason = rng.choice(CANCEL_REASONS[by])
        fields["sequence"] = 1
        changes.append((at, actor, S.CONFIRMED, S.CANCELLED, reason))
        if email and confirmed_at < reminder < at:
            fields["reminded_at"] = reminder
        return
    if email and confirmed_at < reminder <= now:
        fields["reminded_at"] = reminder
    if visit.status is S.CONFIRMED:
        return
    slot = visit.end - visit.start
    if visit.status is S.NO_SHOW:
        changes.append(
            (visit.start + slot * rng.uniform(0.5, 1), clerk, S.CONFIRMED, S.NO_SHOW, "")
        )
        return
    came = S.CONFIRMED
    if rng.random() < 0.3:  # checked in at the entrance first
        arrived = visit.start - timedelta(minutes=rng.uniform(0, 10))
        changes.append((arrived, clerk, S.CONFIRMED, S.ARRIVED, ""))
        came = S.ARRIVED
    changes.append((visit.start + slot * rng.uniform(0.3, 1), clerk, came, S.ATTENDED, ""))


def erase_after_retention(rng: random.Random, visit: Draft, now: datetime) -> None:
    """As ``erase_personal_data`` leaves a visit that ended longer ago than its matter keeps
    data: the visit stays for the statistics, who came does not (the job runs hourly)."""
    due = visit.end + timedelta(days=visit.place.matter.retention_days)
    if due >= now:
        return
    fields = visit.fields
    fields |= {"name": "", "email": None, "phone": None, "reason": ""}
    fields["erased_at"] = min(due + timedelta(minutes=rng.uniform(1, 60)), now)


# --- Writing ---------------------------------------------------------------------------------


def references(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct visit references, in the product's format."""
    made: set[str] = set()
    while len(made) < count:
        made.add(PREFIX + "".join(rng.choices(ALPHABET, k=LENGTH)))
    ordered = sorted(made)
    rng.shuffle(ordered)
    return ordered


def chunks(rows: list, size: int = CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def door(actor: str, operators: set[str]) -> Channel | None:
    """The door a change came through, as ``operations.Actor`` records it."""
    if actor == SCHEDULER:
        return None
    if actor == CITIZEN:
        return Channel.ONLINE
    return Channel.INFOLINE if actor in operators else Channel.STAFF


def write(rng: random.Random, drafts: list[Draft], operators: set[str], report: SeedReport) -> None:
    """Insert the visits in the order they were booked, then their history."""
    drafts.sort(key=lambda v: v.created_at)
    rows = []
    for visit, reference in zip(drafts, references(rng, len(drafts)), strict=True):
        fields = visit.fields
        erased = fields["erased_at"] is not None
        email = fields["email"]
        rows.append(
            {
                "reference": reference,
                "matter_id": visit.place.matter.id,
                "location_id": visit.place.location.id,
                "starts_at": visit.start,
                "ends_at": visit.end,
                "desk": visit.desk,
                "status": visit.status,
                "language": visit.language,
                "created_at": visit.created_at,
                "email_key": email_key(email) if email else None,
                "manage_key": None if erased else new_manage_key(),
                "channel": visit.channel,
                "recheck_at": None,
                "attention": "",
                "attention_at": None,
            }
            | fields
        )
    # NULLs written as NULL, not left out: otherwise each pattern of empty columns would
    # start a new batch and the insert would fall back to a statement per few rows.
    bulk = {"render_nulls": True}
    for chunk in chunks(rows):
        db.session.execute(insert(Visit), chunk, execution_options=bulk)
    # Their ids by reference (unique): RETURNING in order would cost SQLite a statement a row.
    ids = {
        reference: id_ for reference, id_ in db.session.execute(select(Visit.reference, Visit.id))
    }
    changes = [
        {"visit_id": ids[row["reference"]], "at": at, "actor": actor,
         "channel": door(actor, operators), "from_status": old, "to_status": new, "note": note}
        for row, visit in zip(rows, drafts, strict=True)
        for at, actor, old, new, note in visit.changes
    ]  # fmt: skip
    for chunk in chunks(changes):
        db.session.execute(insert(VisitChange), chunk, execution_options=bulk)
    report.changes = len(changes)


# --- What the scheduler would have recorded for the statistics ------------------------------


def record_the_office(places: list[Place], drafts: list[Draft], now: datetime) -> None:
    """The offer of every day of the past year (``OfferedDesks``) and each day's free-date
    sample (``FreeDateSample``), as ``record_statistics`` would have written them day by day:
    a day's sample is taken at the time of day of ``now``, seeing the desks held then."""
    holding: dict[int, dict[datetime, list[tuple[datetime, datetime | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for visit in drafts:
        released = next((at for at, _a, _o, new, _n in visit.changes if not new.holds_desk), None)
        holding[id(visit.place)][visit.start].append((visit.created_at, released))
    offers, samples = [], []
    for place in places:
        schedule = replace(place.schedule, desks=place.matter.desks)  # as size_desks left them
        today = schedule.today(now)
        day = (now - PAST).astimezone(schedule.timezone).date() + timedelta(days=1)
        slots = sorted(place.past + place.ahead)
        starts = [start for start, _end in slots]
        keys = {"matter_id": place.matter.id, "location_id": place.location.id}
        while day <= today:
            offers += [
                {"day": day, "hour": hour, "desk_slots": n} | keys
                for hour, n in sorted(offered_by_hour(schedule, day).items())
            ]
            moment = datetime.combine(day, now.astimezone(schedule.timezone).timetz())
            free = first_free_day(place, schedule, slots, starts, holding[id(place)], moment)
            samples.append(
                {"day": day, "days_ahead": None if free is None else (free - day).days} | keys
            )
            day += timedelta(days=1)
    bulk = {"render_nulls": True}
    for chunk in chunks(offers):
        db.session.execute(insert(OfferedDesks), chunk)
    for chunk in chunks(samples):
        db.session.execute(insert(FreeDateSample), chunk, execution_options=bulk)


def first_free_day(
    place: Place, schedule: Schedule, slots: list, starts: list, holding: dict, moment: datetime
) -> date | None:
    """The day of the first slot with a desk open to its visitors at ``moment`` (online, or
    through the infoline for a matter booked by phone): what the free-date sample saw."""
    online = place.matter.is_bookable_online
    first = datetime.combine(schedule.first_day(moment), time(), tzinfo=schedule.timezone)
    last = schedule.last_day(moment)
    for start, _end in slots[bisect_left(starts, first) :]:
        day = start.astimezone(schedule.timezone).date()
        if day > last:
            return None
        held = sum(
            1
            for created, released in holding.get(start, ())
            if created <= moment and (released is None or released > moment)
        )
        if held < schedule.open_desks(day, moment, online):
            return day
    return None
