import pytest

from app.extensions import db
from app.kiosk.devices import new_link_token
from app.kiosk.models import Kiosk
from tests.pages import page
from tests.support import warsaw

TODAY_TEN = warsaw(2026, 12, 1, 10)  # the clock's Tuesday


@pytest.fixture(autouse=True)
def requests_end_their_transactions(client):
    """Every client's requests end their transaction, as the test client's (``client``)."""


@pytest.fixture
def admin(client, make_user, log_in):
    """An administrator, logged in on the test client (in English)."""
    user = make_user("admin", email="admin@urzad.example")
    log_in(user)
    return user


@pytest.fixture
def matter(make_matter):
    return make_matter(desks=3)


def set_up_device(app, location, name="Wejście główne"):
    """A new device (a client of its own) set up as a kiosk of ``location`` through its link,
    as an administrator's tablet would be: the page, then its button."""
    kiosk = Kiosk(location_id=location.id, name=name)
    db.session.add(kiosk)
    token = new_link_token(kiosk)
    db.session.commit()
    device = app.test_client()
    offer = page(device.get(f"/kiosk/pair/{token}?lang=en"), 200)
    form = offer.form(f"/kiosk/pair/{token}")
    response = device.post(form.action, data=form.data())
    assert response.status_code == 303
    return device, kiosk


@pytest.fixture
def kiosk(app, matter):
    """The device at the entrance of the matter's place, set up."""
    device, _kiosk = set_up_device(app, matter.locations[0])
    return device


def type_code(device, code: str, lang: str = "en"):
    """The kiosk's keypad page, then the code sent from it, in ``lang``."""
    keypad = page(device.get(f"/kiosk/?lang={lang}"), 200)
    form = keypad.form("/kiosk/")
    return device.post(form.action, data=form.data(code=code))
