"""Who may use the infoline: operators and administrators; other staff get 403, anonymous
visitors the login page. And every form with CSRF on, as in production."""

import pytest
from sqlalchemy import select

from app.booking.models import Visit, VisitStatus
from app.booking.operations import Visitor
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter
from tests.operator.helpers import CALLER
from tests.pages import get, page
from tests.support import book_by_phone, visits, warsaw

SLOT = "olszanska|2026-12-07T09:00:00+01:00"


@pytest.fixture
def visit(catalog, clock, make_user) -> Visit:
    matter = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    visit = book_by_phone(
        matter,
        "fami-krakow",
        warsaw(2026, 12, 7, 10, 0),
        Visitor("Jan Kowalski", None, "+48600100200"),
        make_user("operator"),
        now=utcnow(),
    )
    db.session.commit()
    return visit


def pages(reference: str) -> list[str]:
    return [
        "/operator/",
        "/operator/?q=fami",
        "/operator/matters/fami",
        "/operator/matters/przeciwdzialanie-przemocy",
        f"/operator/matters/orzekanie-o-niepelnosprawnosci/book?slot={SLOT}",
        f"/operator/visits/{reference}",
        f"/operator/visits/{reference}/script",
        f"/operator/visits/{reference}/cancel",
        f"/operator/visits/{reference}/move",
    ]


def actions(reference: str) -> list[tuple[str, dict]]:
    return [
        ("/operator/matters/orzekanie-o-niepelnosprawnosci/book", CALLER | {"slot": SLOT}),
        (f"/operator/visits/{reference}/move", {"slot": "fami-krakow|2026-12-08T10:00:00+01:00"}),
        (f"/operator/visits/{reference}/cancel", {"reason": "test"}),
    ]


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_operators_and_administrators_use_every_page(client, visit, make_user, login, role):
    login(make_user(role))
    for url in pages(visit.reference):
        assert client.get(url).status_code == 200, url
    assert "/operator/" in get(client, "/operator/").hrefs("/operator/")  # the header's link
    for url, data in actions(visit.reference):
        assert client.post(url, data=data).status_code == 303, url
    assert [v.status for v in visits()] == [VisitStatus.CANCELLED, VisitStatus.CONFIRMED]


def test_unit_staff_get_403_and_change_nothing(client, visit, make_user, login):
    unit = db.session.scalar(select(Matter).where(Matter.slug == "fami")).unit
    login(make_user("staff", units=[unit]))
    for url in pages(visit.reference):
        assert client.get(url).status_code == 403, url
    for url, data in actions(visit.reference):
        assert client.post(url, data=data).status_code == 403, url
    assert client.post("/operator/", data={"visit": "600100200"}).status_code == 403
    assert [(v.status, v.starts_at) for v in visits()] == [
        (VisitStatus.CONFIRMED, warsaw(2026, 12, 7, 10, 0))
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, visit):
    for url in pages(visit.reference):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.location.startswith("/login?next="), url
    for url, data in actions(visit.reference):
        response = client.post(url, data=data)
        assert (response.status_code, response.location.split("?")[0]) == (302, "/login"), url
    search = client.post("/operator/", data={"visit": "600100200"})
    assert (search.status_code, search.location.split("?")[0]) == (302, "/login")
    assert len(visits()) == 1


def test_book_move_and_cancel_through_the_forms_with_csrf_on(app, client, visit, make_user, login):
    login(make_user("operator"))
    app.config["WTF_CSRF_ENABLED"] = True

    (search,) = [form for form in get(client, "/operator/").forms if "visit" in form.fields]
    assert client.post("/operator/", data={"visit": "600100200"}).status_code == 400
    found = page(client.post("/operator/", data=search.fields | {"visit": "600100200"}))
    assert found.hrefs(f"/operator/visits/{visit.reference}")

    book_url = "/operator/matters/orzekanie-o-niepelnosprawnosci/book"
    form = get(client, book_url, query_string={"slot": SLOT})
    assert form.fields["csrf_token"]
    without_token = {name: value for name, value in form.fields.items() if name != "csrf_token"}
    assert client.post(book_url, data=without_token | CALLER).status_code == 400
    assert len(visits()) == 1
    assert client.post(book_url, data=form.fields | CALLER).status_code == 303

    move_url = f"/operator/visits/{visit.reference}/move"
    first_time = get(client, move_url).hrefs(f"{move_url}?slot=")[0]
    confirmation = get(client, first_time).form("")
    new_time = confirmation.fields["slot"]
    assert client.post(move_url, data={"slot": new_time}).status_code == 400
    assert client.post(move_url, data=confirmation.fields).status_code == 303

    cancel_url = f"/operator/visits/{visit.reference}/cancel"
    cancel = get(client, cancel_url)
    assert client.post(cancel_url, data={"reason": "x"}).status_code == 400
    assert client.post(cancel_url, data=cancel.fields).status_code == 303

    assert sorted(v.status.value for v in visits()) == ["cancelled", "confirmed"]
