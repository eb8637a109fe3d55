"""Who sees which statistics, what the filters refuse, and that erasing personal data changes
no figure."""

import pytest
from sqlalchemy import event, func, select

from app.booking.models import Visit
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter, Unit
from app.scheduler.jobs import erase_personal_data
from app.statistics.report import SECTIONS
from tests.pages import page
from tests.statistics.conftest import YEAR, sheet_rows
from tests.support import warsaw


def test_anonymous_people_log_in_and_the_infoline_is_refused(seeded, client, make_user, log_in):
    response = client.get("/statistics/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get("/statistics/outcomes.csv").status_code == 302
    operator = log_in(make_user("operator", email="infolinia@urzad.example"))
    assert operator.get("/statistics/").status_code == 403
    assert operator.get("/statistics/outcomes.xlsx").status_code == 403


def test_a_unit_member_sees_only_the_unit(seeded, make_user, log_in):
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    other = db.session.scalar(select(Matter).where(Matter.unit_id != fami.unit_id))
    staff = log_in(make_user("staff", units=[fami.unit], email="fami@urzad.example"))

    html = page(staff.get("/statistics/", query_string=YEAR), 200)
    unit_matters = db.session.scalars(select(Matter.id).where(Matter.unit_id == fami.unit_id)).all()
    theirs = db.session.scalar(
        select(func.count())
        .select_from(Visit)
        .where(
            Visit.matter_id.in_(unit_matters),
            Visit.starts_at >= warsaw(2025, 12, 2),
            Visit.starts_at < warsaw(2026, 12, 2),
        )
    )
    everyone = db.session.scalar(select(func.count()).select_from(Visit))
    assert 0 < theirs < everyone
    assert f"Visits asked for {theirs:,}" in html.section("summary").text
    matter_select = html.form("/statistics/").options["matter"]
    assert fami.slug in matter_select and other.slug not in matter_select

    refused = staff.get("/statistics/", query_string=YEAR | {"matter": other.slug})
    assert refused.status_code == 400
    assert "Matter: Choose one of the listed options." in page(refused).text
    export = staff.get("/statistics/outcomes.csv", query_string=YEAR | {"matter": other.slug})
    assert export.status_code == 400
    other_unit = db.session.get(Unit, other.unit_id)
    refused = staff.get("/statistics/", query_string={"unit": other_unit.slug})
    assert refused.status_code == 400
    assert "Unit: Choose one of the listed options." in page(refused).text


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"first": "2026-11-30", "last": "2026-11-01"}, "last", "cannot end before it begins"),
        ({"first": "2026-11-01", "last": "2026-12-02"}, "last", "end today at the latest"),
        ({"first": "2025-11-01", "last": "2026-11-30"}, "last", "a year at most"),
        ({"first": "1.11.2026", "last": "2026-11-30"}, "first", "Enter a day as YYYY-MM-DD."),
        ({"first": "", "last": "2026-11-30"}, "first", "Enter a day as YYYY-MM-DD."),
        ({"first": "1999-12-31", "last": "2000-01-02"}, "first", "between the years 2000"),
        ({"location": "nowhere"}, "location", "Choose one of the listed options."),
    ],
)
def test_filters_that_cannot_be_counted_are_explained(seeded, admin, query, field, message):
    response = admin.get("/statistics/", query_string=query)
    assert response.status_code == 400
    shown = page(response)
    assert message in shown.errors_of(field)
    assert "In short" not in shown.text  # no figures for a period that was refused
    export = admin.get("/statistics/hours.xlsx", query_string=query)
    assert export.status_code == 400


def test_the_download_links_keep_only_the_filters(seeded, admin):
    """Whatever else the query string holds, even names the links' own route uses."""
    odd = {"key": "x", "extension": "x", "endpoint": "x", "_method": "POST", "_external": "1"}
    shown = page(admin.get("/statistics/", query_string=YEAR | {"matter": "fami"} | odd), 200)
    downloads = shown.hrefs("/statistics/outcomes.")
    assert downloads == [
        f"/statistics/outcomes.{extension}?matter=fami&first={YEAR['first']}&last={YEAR['last']}"
        for extension in ("csv", "xlsx")
    ]
    assert admin.get(downloads[0]).status_code == 200


def test_unknown_tables_and_formats_are_not_found(seeded, admin):
    assert admin.get("/statistics/visits.csv").status_code == 404
    assert admin.get("/statistics/outcomes.pdf").status_code == 404


def test_erasing_personal_data_changes_no_figure(seeded, clock, make_user, log_in):
    head = make_user("admin", email="szefowa@urzad.example")
    office = log_in(head)
    before = {key: sheet_rows(office, key, YEAR) for key in SECTIONS}
    kept = db.session.scalar(select(func.count()).where(Visit.erased_at.is_(None)))

    clock.move_to(warsaw(2029, 12, 1, 9))  # past every matter's retention time
    assert erase_personal_data(utcnow()) > 0
    assert db.session.scalar(select(func.count()).where(Visit.erased_at.is_(None))) < kept

    office = log_in(head)  # three years on, the session has long expired
    after = {key: sheet_rows(office, key, YEAR) for key in SECTIONS}
    assert after == before


def test_the_page_counts_in_a_bounded_number_of_queries(seeded, admin):
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert admin.get("/statistics/", query_string=YEAR).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= 20  # whatever the number of visits: the database adds them up
