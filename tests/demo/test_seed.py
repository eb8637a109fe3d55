"""``flask demo seed`` under the fixed clock (Tue 2026-12-01 09:00 in Warsaw), on the real
catalog: what it makes must be what the product itself would have left in the database."""

from collections import Counter, defaultdict
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from sqlalchemy import delete, func, select

from app.accounts.models import Role, User
from app.booking.models import Visit, VisitChange
from app.booking.people import email_key
from app.booking.schedule import schedules
from app.booking.states import Channel, VisitStatus
from app.database import utcnow
from app.demo.seed import DESKS_MAX, SeedError, seed_demo
from app.extensions import db
from app.matters.models import Confirmation, Matter, VisitPolicy
from app.scheduler.jobs import check_requests
from app.statistics.models import FreeDateSample, OfferedDesks
from app.statistics.records import record_offer, sample_free_dates

S = VisitStatus
WARSAW = ZoneInfo("Europe/Warsaw")
VISITS, REQUESTED = 400, 30


@pytest.fixture
def seeded(catalog, clock):
    report = seed_demo(VISITS, REQUESTED)
    db.session.commit()
    return report


def all_visits() -> list[Visit]:
    return db.session.scalars(select(Visit).order_by(Visit.id)).all()


def visited_matters() -> list[Matter]:
    return db.session.scalars(
        select(Matter).where(Matter.visit_policy != VisitPolicy.NONE, Matter.locations.any())
    ).all()


def test_it_makes_the_visits_asked_for_in_every_state_and_channel(seeded):
    visits = all_visits()
    now = utcnow()
    assert len(visits) == VISITS
    statuses = Counter(v.status for v in visits)
    assert statuses[S.REQUESTED] == REQUESTED
    # Arrived is a passing state: by now every past arrival was attended or missed.
    assert set(statuses) == set(S) - {S.ARRIVED}
    assert set(v.channel for v in visits) == set(Channel) - {Channel.KIOSK}  # no booking door
    past = [v for v in visits if v.ends_at <= now]
    ahead = [v for v in visits if v.starts_at > now]
    assert len(past) + len(ahead) == VISITS
    assert len(past) > 0.8 * VISITS
    assert all(v.starts_at >= now - timedelta(days=365) for v in past)
    assert {v.status for v in past} <= {S.ATTENDED, S.NO_SHOW, S.CANCELLED, S.DECLINED, S.EXPIRED}
    assert {v.status for v in ahead} >= {S.CONFIRMED, S.REQUESTED}
    assert not {v.status for v in ahead} & {S.ATTENDED, S.NO_SHOW, S.ARRIVED}
    infoline = sum(v.channel is Channel.INFOLINE for v in visits) / VISITS
    assert 0.1 < infoline < 0.35
    assert (seeded.past, seeded.ahead, seeded.requested) == (len(past), len(ahead), REQUESTED)
    assert sum(seeded.visits.values()) == VISITS
    assert seeded.visits == Counter((v.status, v.channel) for v in visits)
    assert seeded.changes == db.session.scalar(select(func.count()).select_from(VisitChange))


def test_visits_spread_over_the_matters_places_and_languages(seeded):
    visits = all_visits()
    places = {(v.matter_id, v.location_id) for v in visits}
    expected = {(m.id, location.id) for m in visited_matters() for location in m.locations}
    assert places == expected
    fami = next(m for m in visited_matters() if m.slug == "fami")
    languages = Counter(v.language for v in visits if v.matter_id == fami.id)
    others = Counter(v.language for v in visits if v.matter_id != fami.id)
    assert languages["uk"] + languages["ru"] > languages["pl"]
    assert others.most_common(1)[0][0] == "pl"
    assert set(languages) | set(others) == {"pl", "en", "uk", "ru"}
    by_phone = {m.id for m in visited_matters() if m.visit_policy is VisitPolicy.BY_PHONE}
    assert all(v.channel is not Channel.ONLINE for v in visits if v.matter_id in by_phone)


def test_every_visit_lies_in_a_real_slot_of_its_place(seeded):
    """Inside the reception hours, never on a holiday or a closure."""
    for matter in visited_matters():
        by_location = schedules(
            matter, matter.locations, utcnow() - timedelta(days=400), utcnow() + timedelta(days=60)
        )
        for visit in db.session.scalars(select(Visit).where(Visit.matter_id == matter.id)):
            schedule = by_location[visit.location_id]
            day = visit.starts_at.astimezone(schedule.timezone).date()
            assert day not in schedule.holidays
            assert (visit.starts_at, visit.ends_at) in set(schedule.slots_on(day))
            assert not schedule.is_closed(visit.starts_at, visit.ends_at)


def test_desks_are_within_the_matter_and_never_shared(seeded):
    desks_of = {m.id: m.desks for m in visited_matters()}
    seen = set()
    for visit in all_visits():
        if not visit.status.holds_desk:
            assert visit.desk is None
            continue
        assert 1 <= visit.desk <= desks_of[visit.matter_id]
        key = (visit.matter_id, visit.location_id, visit.starts_at, visit.desk)
        assert key not in seen
        seen.add(key)


def future_desk_slots(now) -> int:
    """Every desk of every slot ahead, up to each matter's horizon, from the schedules."""
    total = 0
    for matter in visited_matters():
        end = now + timedelta(days=matter.horizon_days + 1)
        for schedule in schedules(matter, matter.locations, now, end).values():
            today = schedule.today(now)
            for offset in range(matter.horizon_days + 1):
                for start, slot_end in schedule.slots_on(today + timedelta(days=offset)):
                    if start > now and not schedule.is_closed(start, slot_end):
                        total += matter.desks
    return total


def test_at_least_half_of_the_future_desk_slots_stay_free(seeded):
    now = utcnow()
    taken = db.session.scalar(
        select(func.count()).where(Visit.desk.is_not(None), Visit.starts_at > now)
    )
    assert taken > REQUESTED
    assert taken <= future_desk_slots(now) / 2


def test_people_have_names_contacts_and_keys_as_the_product_stores_them(seeded):
    visits = [v for v in all_visits() if v.erased_at is None]
    assert visits
    for visit in visits:
        assert len(visit.name.split()) >= 2
        assert visit.email or visit.phone
        assert visit.email_key == (email_key(visit.email) if visit.email else None)
        if visit.phone:
            number = phonenumbers.parse(visit.phone)
            assert phonenumbers.is_valid_number(number)
            assert visit.phone == phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.E164
            )
        assert visit.manage_key
    assert any(v.email is None for v in visits if v.channel is Channel.INFOLINE)
    assert any(v.phone.startswith("+48") for v in visits if v.phone)
    assert any(v.phone.startswith("+380") for v in visits if v.phone)


def test_people_who_came_again_never_held_two_visits_at_once(seeded):
    by_person = defaultdict(list)
    for visit in all_visits():
        if visit.erased_at is None:
            by_person[visit.email_key or visit.phone].append(visit)
    # The phone also identifies a person: no two people share one.
    phones = defaultdict(set)
    for visit in all_visits():
        if visit.phone:
            phones[visit.phone].add(visit.name)
    assert all(len(names) == 1 for names in phones.values())
    for visits in by_person.values():
        visits.sort(key=lambda v: v.created_at)
        assert len({v.name for v in visits}) == 1
        for earlier, later in zip(visits, visits[1:], strict=False):
            assert later.created_at > earlier.ends_at


def test_office_bookings_name_who_booked_them(seeded):
    roles = {user.id: user.role for user in db.session.scalars(select(User))}
    for visit in all_visits():
        if visit.channel is Channel.ONLINE:
            assert visit.booked_by_id is None
        elif visit.channel is Channel.INFOLINE:
            assert roles[visit.booked_by_id] is Role.OPERATOR
            assert visit.phone or visit.erased_at
        else:
            assert roles[visit.booked_by_id] is Role.STAFF


def test_each_history_leads_from_the_booking_to_the_state_in_time(seeded):
    now = utcnow()
    for visit in all_visits():
        changes = visit.changes
        assert changes[0].from_status is None
        assert changes[0].at == visit.created_at
        first = S.HELD if visit.channel is Channel.ONLINE else S.CONFIRMED
        assert changes[0].to_status is first
        for before, after in zip(changes, changes[1:], strict=False):
            assert before.to_status.may_become(after.to_status)
            assert after.from_status is before.to_status
            assert before.at <= after.at
        assert changes[-1].to_status is visit.status
        assert changes[-1].at <= now
        marks = [c for c in changes if c.to_status in (S.ATTENDED, S.NO_SHOW)]
        assert all(visit.starts_at <= c.at <= visit.ends_at for c in marks)
        decided = [c for c in changes if c.to_status in (S.CONFIRMED, S.DECLINED, S.CANCELLED)]
        assert all(c.at < visit.starts_at for c in decided)


def test_bookings_were_made_one_to_thirty_days_ahead(seeded):
    now = utcnow()
    for visit in all_visits():
        if visit.status in (S.REQUESTED, S.HELD):
            assert now - timedelta(hours=1) <= visit.created_at < now
            continue
        day, booked = (
            moment.astimezone(WARSAW).date() for moment in (visit.starts_at, visit.created_at)
        )
        assert 1 <= (day - booked).days <= visit.matter.horizon_days, visit.reference


def test_visits_past_their_retention_carry_no_personal_data(seeded):
    now = utcnow()
    retention = {m.id: timedelta(days=m.retention_days) for m in visited_matters()}
    visits = all_visits()
    erased = [v for v in visits if v.erased_at is not None]
    assert erased
    assert len(erased) == seeded.erased
    for visit in visits:
        assert (visit.erased_at is not None) == (visit.ends_at < now - retention[visit.matter_id])
    for visit in erased:
        assert visit.ends_at + retention[visit.matter_id] <= visit.erased_at <= now
        assert (visit.name, visit.email, visit.email_key, visit.phone) == ("", None, None, None)
        assert (visit.reason, visit.manage_key) == ("", None)


def test_the_scheduler_confirms_every_request(seeded):
    now = utcnow()
    requested = db.session.scalars(select(Visit).where(Visit.status == S.REQUESTED)).all()
    for visit in requested:
        assert visit.matter.is_bookable_online
        assert visit.matter.confirmation is Confirmation.AUTO
        assert visit.staff_notified_at is None
        assert visit.starts_at > now
    ids = [visit.id for visit in requested]

    assert check_requests(now) == REQUESTED
    db.session.expire_all()

    statuses = db.session.scalars(select(Visit.status).where(Visit.id.in_(ids))).all()
    assert statuses == [S.CONFIRMED] * REQUESTED
    assert check_requests(now) == 0


def test_it_is_the_same_for_the_same_seed(catalog, clock):
    def snapshot(seed: int) -> list[tuple]:
        seed_demo(120, 10, seed=seed)
        rows = db.session.execute(
            select(
                Visit.reference, Visit.name, Visit.email, Visit.phone, Visit.status,
                Visit.starts_at, Visit.desk, Visit.created_at, Visit.channel,
            ).order_by(Visit.id)
        ).all()  # fmt: skip
        db.session.rollback()
        return rows

    first = snapshot(7)
    assert first == snapshot(7)
    assert first != snapshot(8)


def test_a_second_seed_is_refused(seeded):
    with pytest.raises(SeedError, match="already holds 400 visits"):
        seed_demo(10)


def test_desks_are_raised_where_the_visits_need_them(make_matter, clock):
    # Two half-hour slots on Mondays only: about a hundred a year, nine in the next month.
    matter = make_matter(hours={0: [(time(9), time(10))]})
    report = seed_demo(400, 30)
    db.session.commit()

    assert matter.desks > 1
    (line,) = report.desks_raised
    assert line.startswith(f"{matter.slug}: desks 1 → {matter.desks} so that ")
    assert future_desk_slots(utcnow()) >= 2 * db.session.scalar(
        select(func.count()).where(Visit.desk.is_not(None), Visit.starts_at > utcnow())
    )
    assert db.session.scalar(select(func.max(Visit.desk))) <= matter.desks
    assert check_requests(utcnow()) == 30


def test_more_than_the_desks_can_take_is_refused(make_matter, clock):
    matter = make_matter(hours={0: [(time(9), time(10))]})
    with pytest.raises(SeedError, match=f"{matter.slug} would need .* desks .*at most {DESKS_MAX}"):
        seed_demo(20_000)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 0


def test_requests_need_a_matter_the_scheduler_confirms(make_matter, clock):
    make_matter(confirmation=Confirmation.STAFF)
    with pytest.raises(SeedError, match="--requested needs"):
        seed_demo(100, 10)


def test_the_command_seeds_and_reports_then_refuses_a_second_run(runner, catalog, clock):
    result = runner.invoke(args=["demo", "seed", "--visits", "400", "--requested", "30"])

    assert result.exit_code == 0, result.output
    assert "400 visits (" in result.output
    assert "30 requested" in result.output
    for word in ("attended", "no_show", "cancelled", "expired", "declined", "requested"):
        assert word in result.output
    assert "infoline" in result.output
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 400

    again = runner.invoke(args=["demo", "seed", "--visits", "400"])
    assert again.exit_code == 1
    assert "already holds 400 visits" in again.output


def test_the_command_loads_an_empty_catalog_first(runner, app_context, clock):
    result = runner.invoke(args=["demo", "seed", "--visits", "50"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("catalog loaded")
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 50


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param(["--visits", "0"], "--visits", id="no visits"),
        pytest.param(["--visits", "10", "--requested", "11"], "--requested", id="too many"),
        pytest.param([], "Missing option '--visits'", id="missing"),
    ],
)
def test_the_command_refuses_bad_numbers(runner, catalog, arguments, message):
    result = runner.invoke(args=["demo", "seed", *arguments])
    assert result.exit_code != 0
    assert message in result.output


def recorded_offer(day) -> set[tuple]:
    rows = db.session.scalars(select(OfferedDesks).where(OfferedDesks.day == day))
    return {(r.matter_id, r.location_id, r.hour, r.desk_slots) for r in rows}


def test_it_records_what_the_scheduler_would_have_recorded(seeded):
    """The statistics' records of the past year are what the scheduler's job writes."""
    now = utcnow()
    today = now.astimezone(WARSAW).date()
    for day in (today, today - timedelta(days=1), today - timedelta(days=200)):
        seeded_offer = recorded_offer(day)
        db.session.execute(delete(OfferedDesks).where(OfferedDesks.day == day))
        record_offer(day)
        assert recorded_offer(day) == seeded_offer
    assert recorded_offer(today - timedelta(days=365)) == set()  # the seed's year ends there

    def sampled() -> dict:
        rows = db.session.scalars(select(FreeDateSample).where(FreeDateSample.day == today))
        return {(s.matter_id, s.location_id): s.days_ahead for s in rows}

    seeded_sample = sampled()
    db.session.execute(delete(FreeDateSample).where(FreeDateSample.day == today))
    sample_free_dates(now)
    assert sampled() == seeded_sample
    assert len(seeded_sample) == sum(len(m.locations) for m in visited_matters())
    days = db.session.scalars(select(FreeDateSample.day).distinct()).all()
    assert len(days) == 365


def test_each_change_records_the_door_it_came_through(seeded):
    operators = set(db.session.scalars(select(User.email).where(User.role == Role.OPERATOR)))
    for actor, channel in db.session.execute(
        select(VisitChange.actor, VisitChange.channel).distinct()
    ):
        if actor == "scheduler":
            assert channel is None
        elif actor == "citizen":
            assert channel is Channel.ONLINE
        else:
            assert channel is (Channel.INFOLINE if actor in operators else Channel.STAFF)
