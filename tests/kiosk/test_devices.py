"""Kiosks are set up by an administrator's one-time link, opened on the tablet; nothing else
makes a device a kiosk, and a kiosk withdrawn stops at once."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import AuditEntry
from app.extensions import db
from app.kiosk.devices import new_link_token
from app.kiosk.models import Kiosk
from tests.kiosk.conftest import TODAY_TEN, type_code
from tests.pages import get, page


def add_kiosk(client, location, name="Wejście od Basztowej"):
    """The administrator adds a kiosk: the page showing its link, and the link."""
    listing = page(client.get("/admin/kiosks"), 200)
    form = listing.form("/admin/kiosks")
    added = client.post(form.action, data=form.data(location=str(location.id), name=name))
    assert added.status_code == 303
    shown = get(client, added.location)
    (link,) = re.findall(r"<code>([^<]+)</code>", shown.html)
    return shown, link


def test_an_administrator_adds_a_kiosk_and_the_tablet_opens_its_link(
    app, client, clock, admin, matter, make_visit
):
    place = matter.locations[0]
    shown, link = add_kiosk(client, place)
    assert "<svg" in shown.html  # the QR code, for the tablet's camera
    path = link.removeprefix(app.config["PUBLIC_URL"].rstrip("/"))
    assert path.startswith("/kiosk/pair/")
    kiosk = db.session.scalar(select(Kiosk))
    assert kiosk.token_hash is None and path.rsplit("/", 1)[1] not in (kiosk.pairing_hash or "")

    tablet = app.test_client()
    assert tablet.get("/kiosk/").status_code == 403  # not yet a kiosk
    offer = page(tablet.get(path + "?lang=en"), 200)
    assert "Set up this device as a kiosk" in offer.text
    assert page(tablet.get(path + "?lang=en"), 200)  # looking at it does not use it up
    form = offer.form(path)
    response = tablet.post(form.action, data=form.data())
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/kiosk" in cookie

    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN - timedelta(minutes=5))
    assert type_code(tablet, visit.check_in_code).status_code == 200

    used = app.test_client()
    assert used.get(path).status_code == 404  # the link works once
    listing = page(client.get("/admin/kiosks"), 200)
    assert "Wejście od Basztowej" in listing.text and "set up " in listing.text
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "kiosk.add" in actions


def test_a_new_link_moves_the_kiosk_to_another_device(app, client, admin, matter):
    place = matter.locations[0]
    _shown, first_link = add_kiosk(client, place)
    base = app.config["PUBLIC_URL"].rstrip("/")
    old_tablet = app.test_client()
    form = page(old_tablet.get(first_link.removeprefix(base)), 200).forms[0]
    old_tablet.post(form.action, data=form.data())
    assert old_tablet.get("/kiosk/").status_code == 200

    kiosk = db.session.scalar(select(Kiosk))
    listing = page(client.get("/admin/kiosks"), 200)
    renew = listing.form(f"/admin/kiosks/{kiosk.id}/link")
    renewed = client.post(renew.action, data=renew.data(), follow_redirects=True)
    (second_link,) = re.findall(r"<code>([^<]+)</code>", renewed.get_data(True))
    assert old_tablet.get("/kiosk/").status_code == 200  # until the new link is opened

    new_tablet = app.test_client()
    form = page(new_tablet.get(second_link.removeprefix(base)), 200).forms[0]
    new_tablet.post(form.action, data=form.data())
    assert new_tablet.get("/kiosk/").status_code == 200
    assert old_tablet.get("/kiosk/").status_code == 403


def test_reloading_the_link_page_adds_no_kiosk_and_shows_no_link(client, admin, matter):
    shown, _link = add_kiosk(client, matter.locations[0])
    kiosk = db.session.scalar(select(Kiosk))
    again = client.get(f"/admin/kiosks/{kiosk.id}/link", follow_redirects=True)
    assert again.request.path == "/admin/kiosks"
    assert "<code>" not in again.get_data(as_text=True)
    assert "A set-up link is shown only once." in page(again).messages
    assert db.session.scalar(select(func.count()).select_from(Kiosk)) == 1


def test_a_withdrawn_kiosk_stops_at_once(app, client, admin, matter):
    _shown, link = add_kiosk(client, matter.locations[0])
    tablet = app.test_client()
    path = link.removeprefix(app.config["PUBLIC_URL"].rstrip("/"))
    form = page(tablet.get(path), 200).forms[0]
    tablet.post(form.action, data=form.data())
    kiosk = db.session.scalar(select(Kiosk))

    listing = page(client.get("/admin/kiosks"), 200)
    withdraw = listing.form(f"/admin/kiosks/{kiosk.id}/withdraw")
    response = client.post(withdraw.action, data=withdraw.data(), follow_redirects=True)
    assert "The kiosk is withdrawn" in response.get_data(as_text=True)
    refused = tablet.get("/kiosk/?lang=en")
    assert refused.status_code == 403
    assert "This device is not a kiosk" in page(refused).text
    assert not page(client.get("/admin/kiosks"), 200).has_form(f"/admin/kiosks/{kiosk.id}/withdraw")


def test_a_kiosk_needs_a_place_and_a_name(client, admin, matter):
    listing = page(client.get("/admin/kiosks"), 200)
    form = listing.form("/admin/kiosks")
    response = client.post(form.action, data=form.data(location=str(matter.locations[0].id)))
    assert response.status_code == 400
    assert "This field is required." in page(response).errors_of("name")
    response = client.post(form.action, data=form.data(location="999", name="X"))
    assert response.status_code == 400
    assert db.session.scalar(select(Kiosk)) is None


def test_a_made_up_cookie_or_link_is_no_kiosk(app, matter):
    device = app.test_client()
    device.set_cookie("wizyta_kiosk", "made-up", path="/kiosk")
    assert device.get("/kiosk/").status_code == 403
    assert device.post("/kiosk/", data={"code": "123456"}).status_code == 403
    assert device.get("/kiosk/pair/made-up").status_code == 404
    assert device.post("/kiosk/pair/made-up").status_code == 404


def test_a_set_up_link_expires_after_a_week(app, clock, matter):
    kiosk = Kiosk(location_id=matter.locations[0].id, name="Wejście")
    db.session.add(kiosk)
    token = new_link_token(kiosk)
    db.session.commit()
    clock.shift(timedelta(days=7, seconds=1))
    assert app.test_client().get(f"/kiosk/pair/{token}").status_code == 404


def test_the_keypad_keeps_the_devices_cookie(kiosk):
    cookie = kiosk.get("/kiosk/").headers["Set-Cookie"]
    assert "wizyta_kiosk=" in cookie and "Max-Age=34560000" in cookie
