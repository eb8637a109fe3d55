"""The agenda of a day and of a week, the requests waiting for a decision, and a day printed
or exported as CSV: the unit's visits only, in Warsaw wall-clock time order, per location."""

import csv
import io
from datetime import time
from zoneinfo import ZoneInfo

from app.booking.models import VisitStatus
from app.booking.needs import Companion, SignLanguage
from app.extensions import db
from app.matters.models import Confirmation, Location, ReceptionWindow
from tests.pages import get, page
from tests.staff.conftest import TODAY_TEN
from tests.support import warsaw


def second_location(matter) -> Location:
    location = Location(
        slug="nowy-sacz",
        name={"pl": "Nowy Sącz", "en": "Nowy Sącz point"},
        address="ul. Jagiellońska 52, 33-300 Nowy Sącz",
        hours=[ReceptionWindow(weekday=d, opens=time(8), closes=time(16)) for d in range(5)],
    )
    matter.locations.append(location)
    db.session.commit()
    return location


def test_the_day_agenda_lists_the_units_visits_per_place_in_time_order(
    office, matter, make_matter, make_visit
):
    sacz = second_location(matter)
    late = make_visit(matter, TODAY_TEN.replace(hour=14), name="Łucja Żak")
    early = make_visit(matter, TODAY_TEN.replace(hour=9), phone="+48124302973")
    elsewhere = make_visit(matter, TODAY_TEN.replace(hour=8), location=sacz)
    arrived = make_visit(matter, TODAY_TEN, status=VisitStatus.ARRIVED)
    cancelled = make_visit(matter, TODAY_TEN.replace(hour=11), status=VisitStatus.CANCELLED)
    tomorrow = make_visit(matter, TODAY_TEN.replace(day=2))
    other_unit = make_visit(make_matter(), TODAY_TEN)

    response = office.get("/staff/")
    assert response.status_code == 200
    text = page(response).text
    assert "Agenda for Tuesday, 1 December 2026" in text
    # Per place (in the order of the places), in time order within each, Warsaw times.
    order = [
        text.index(ref)
        for ref in (early.reference, arrived.reference, late.reference, elsewhere.reference)
    ]
    assert order == sorted(order)
    assert text.index("Miejsce") < text.index("Nowy Sącz point") < text.index(elsewhere.reference)
    assert "09:00–09:30" in text and "14:00–14:30" in text and "08:00–08:30" in text
    assert "Łucja Żak" in text and "+48124302973" in text and "Matter 1" in text
    assert "confirmed" in text and "arrived" in text
    for absent in (cancelled, tomorrow, other_unit):
        assert absent.reference not in text
    assert "4 visits." in text


def test_the_agenda_moves_by_days_and_shows_a_week(office, matter, make_visit):
    monday = make_visit(matter, warsaw(2026, 11, 30, 9, 0))
    friday = make_visit(matter, warsaw(2026, 12, 4, 12, 30))
    next_week = make_visit(matter, warsaw(2026, 12, 7, 9, 0))

    day = page(office.get("/staff/"))
    links = dict((text, href) for href, text in day.links)
    assert links["← Previous day"] == "/staff/?day=2026-11-30"
    assert links["Next day →"] == "/staff/?day=2026-12-02"
    assert links["Show the week"] == "/staff/?day=2026-12-01&view=week"
    assert monday.reference in page(office.get(links["← Previous day"])).text

    week = page(office.get(links["Show the week"]))
    assert "Week from Monday, 30 November 2026 to Sunday, 6 December 2026" in week.text
    assert monday.reference in week.text and friday.reference in week.text
    assert next_week.reference not in week.text
    assert week.text.index("Monday, 30 November") < week.text.index(monday.reference)
    assert week.text.index("Friday, 4 December") < week.text.index(friday.reference)
    assert "12:30–13:00" in week.text
    links = dict((text, href) for href, text in week.links)
    assert links["Next week →"] == "/staff/?day=2026-12-08&view=week"


def test_wall_clock_times_hold_after_the_change_to_summer_time(office, matter, make_visit):
    visit = make_visit(matter, warsaw(2027, 3, 29, 9, 0))  # the Monday after the clocks change
    text = page(office.get("/staff/?day=2027-03-29")).text
    assert visit.reference in text and "09:00–09:30" in text


def test_staff_of_several_units_filter_by_unit(
    clock, matter, make_matter, make_visit, make_user, log_in
):
    other = make_matter()
    both = log_in(make_user("staff", units=[matter.unit, other.unit]))
    mine = make_visit(matter, TODAY_TEN)
    theirs = make_visit(other, TODAY_TEN)

    agenda = page(both.get("/staff/"))
    assert mine.reference in agenda.text and theirs.reference in agenda.text
    (filter_form,) = [form for form in agenda.forms if form.method == "get"]
    assert filter_form.options["unit"] == ["", matter.unit.slug, other.unit.slug]

    only = page(both.get(f"/staff/?unit={other.unit.slug}"))
    assert theirs.reference in only.text and mine.reference not in only.text


def test_a_wrong_day_is_a_clear_error(office):
    for path in (
        "/staff/?day=1.12.2026",
        "/staff/day.csv?day=jutro",
        "/staff/print?day=2026-1-41",
        "/staff/?day=9999-12-31&view=week",  # no next week to link to
        "/staff/?day=0001-01-01",
    ):
        response = office.get(path)
        assert response.status_code == 400, path
        assert "Write the day as YYYY-MM-DD" in response.get_data(as_text=True)


def test_requests_wait_oldest_first_with_confirm_and_decline(
    office, matter, make_matter, make_visit
):
    newer = make_visit(
        matter, TODAY_TEN.replace(day=3), status=VisitStatus.REQUESTED, created_at=TODAY_TEN
    )
    older = make_visit(
        matter,
        TODAY_TEN.replace(day=4),
        status=VisitStatus.REQUESTED,
        created_at=warsaw(2026, 11, 20, 8, 0),
    )
    confirmed = make_visit(matter, TODAY_TEN.replace(day=3, hour=11))
    automatic = make_matter(unit=matter.unit, confirmation=Confirmation.AUTO)
    for_the_scheduler = make_visit(
        automatic, TODAY_TEN.replace(day=3), status=VisitStatus.REQUESTED
    )

    requests = page(office.get("/staff/requests"))
    assert requests.text.index(older.reference) < requests.text.index(newer.reference)
    for absent in (confirmed, for_the_scheduler):
        assert absent.reference not in requests.text
    for visit in (older, newer):
        confirm = requests.form(f"/staff/visits/{visit.reference}/confirm")
        decline = requests.form(f"/staff/visits/{visit.reference}/decline")
        assert confirm.method == decline.method == "post"
        assert confirm.hidden["next"] == decline.hidden["next"] == "/staff/requests"
        assert "reason" in decline.inputs


def local_time(moment) -> str:
    return moment.astimezone(ZoneInfo("Europe/Warsaw")).strftime("%H:%M")


def test_the_day_as_csv_for_a_spreadsheet(office, matter, make_visit):
    second = make_visit(matter, TODAY_TEN.replace(hour=11), name='=HYPERLINK("x")', email=None)
    first = make_visit(
        matter,
        TODAY_TEN,
        name="Łucja Żak-Wójcik",
        phone="+48124302973",
        companion=Companion.ASSISTANT,
        sign_language=SignLanguage.PJM,
        step_free=True,
        case_reference="WPS-II.4.2026",
    )
    make_visit(matter, TODAY_TEN.replace(hour=12), status=VisitStatus.CANCELLED)

    response = office.get("/staff/day.csv?day=2026-12-01")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="wizyta-2026-12-01.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Date", "Start", "End", "Reference", "Full name", "Phone", "E-mail", "Matter", "Place"]
        + ["State", "Case reference", "Declared at booking"],
        [
            "2026-12-01",
            "10:00",
            local_time(first.ends_at),
            first.reference,
            "Łucja Żak-Wójcik",
            "'+48124302973",  # a leading + would be read as a formula (or a number)
            first.email,
            "Matter 1",
            "Miejsce 1",
            "confirmed",
            "WPS-II.4.2026",
            "Companion: An assistant of a visitor who cannot manage alone; Sign-language "
            "interpreter: Polish Sign Language (PJM); A step-free entrance",
        ],
        [
            "2026-12-01",
            "11:00",
            local_time(second.ends_at),
            second.reference,
            '\'=HYPERLINK("x")',  # a formula typed as a name stays text
            "'" + second.phone,
            "",
            "Matter 1",
            "Miejsce 1",
            "confirmed",
            "",
            "",
        ],
    ]


def test_the_printable_day_list(office, matter, make_visit):
    visit = make_visit(matter, TODAY_TEN, name="Łucja Żak")
    response = office.get("/staff/print?day=2026-12-01")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/static/staff.css"' in html  # its @media print rules hide everything else
    text = page(response).text
    assert "Visits on Tuesday, 1 December 2026" in text
    assert visit.reference in text and "Łucja Żak" in text and "10:00–10:30" in text
    assert 'scope="col"' in html and 'scope="row"' in html


def test_the_agenda_and_the_visit_page_show_what_was_declared(office, matter, make_visit):
    visit = make_visit(
        matter,
        TODAY_TEN,
        companion=Companion.GUARDIAN,
        step_free=True,
        case_reference="WPS.1.2026",
    )
    agenda = get(office, "/staff/?day=2026-12-01")
    row = agenda.part(visit.reference, "</tr>")
    assert "Companion: A parent or legal guardian of a visitor under 18" in row
    assert "A step-free entrance" in row
    assert "Case reference: WPS.1.2026" in row

    shown = get(office, f"/staff/visits/{visit.reference}")
    declared = shown.part("Declared at booking", "</dd>")
    assert "A parent or legal guardian" in declared and "A step-free entrance" in declared
    assert "WPS.1.2026" in shown.part("Case reference", "</dd>")
