"""The e-mail's verification link opened again later says what became of the visit."""

import pytest

from app.booking.links import VERIFY, make_token
from app.booking.models import VisitStatus
from tests.pages import page
from tests.support import warsaw

S = VisitStatus
pytestmark = pytest.mark.usefixtures("clock")  # Tuesday 1 December 2026, 9:00


@pytest.mark.parametrize("status", [S.CANCELLED, S.DECLINED])
def test_a_called_off_visit_does_not_say_the_request_was_sent(
    client, make_matter, make_visit, status
):
    visit = make_visit(make_matter(), warsaw(2026, 12, 3, 10), status=status, reason="Urlop.")
    shown = page(client.get(f"/visits/verify/{make_token(visit, VERIFY)}?lang=en"))

    assert "your request has been sent" not in shown.text
    assert status.value in shown.text and "Reason: Urlop." in shown.text
    assert shown.link("Choose a time").href == f"/matters/{visit.matter.slug}"


def test_a_request_waiting_for_the_unit_says_it_was_sent(client, make_matter, make_visit):
    visit = make_visit(make_matter(), warsaw(2026, 12, 3, 10), status=S.REQUESTED)
    shown = page(client.get(f"/visits/verify/{make_token(visit, VERIFY)}?lang=en"))

    assert "Thank you, your request has been sent" in shown.text
    assert not [link for link in shown.links if "Choose a time" in link.text]
