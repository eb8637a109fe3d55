"""The page after the request is sent: the address the e-mail went to, until when the time is
held (a clock time), and a button to have the e-mail sent again, at most three times in all
and a minute apart, while the time is held."""

import pytest

from tests.mails import outbox
from tests.pages import get, page

FORM_URL = "/matters/fami/book?location=fami-krakow&start=2026-12-02T10:00:00%2B01:00"


@pytest.fixture
def sent(client, catalog, clock):
    """A FAMI request sent through the form at Tuesday 9:00 (held for 30 minutes)."""
    form = page(client.get(FORM_URL)).form("/matters/fami/book")
    response = client.post(form.action, data=form.data(name="Jan Nowak", email="jan@example.pl"))
    assert response.status_code == 303
    return get(client, response.location)


def send_again(client, held):
    response = client.post("/booking/sent/again", data=held.form("/booking/sent/again").fields)
    assert response.status_code == 303
    return get(client, response.location)


def test_the_page_says_where_the_mail_went_and_until_when_the_time_is_held(sent):
    assert "Wysłaliśmy wiadomość na adres jan@example.pl." in sent.text
    assert "aby potwierdzić zgłoszenie do godziny 09:30." in sent.text
    assert [b.label for b in sent.form("/booking/sent/again").buttons] == [
        "Wyślij wiadomość ponownie"
    ]


def test_the_mail_goes_again_at_most_three_times_a_minute_apart(client, clock, sent):
    assert len(outbox("verification")) == 1

    too_soon = send_again(client, sent)
    assert "Nie można teraz ponownie wysłać wiadomości" in too_soon.messages
    clock.move_to("2026-12-01T09:01:00+01:00")
    again = send_again(client, sent)
    assert "Wysłaliśmy wiadomość ponownie." in again.messages
    clock.move_to("2026-12-01T09:02:00+01:00")
    send_again(client, sent)
    clock.move_to("2026-12-01T09:05:00+01:00")
    fourth = send_again(client, sent)

    assert "Nie można teraz ponownie wysłać wiadomości" in fourth.messages
    assert [row.recipient for row in outbox("verification")] == ["jan@example.pl"] * 3


def test_once_the_hold_is_over_there_is_no_button_and_no_mail(client, clock, sent):
    clock.move_to("2026-12-01T09:31:00+01:00")

    later = get(client, "/booking/sent")
    assert [form for form in later.forms if form.action == "/booking/sent/again"] == []
    assert "Nie można" in send_again(client, sent).messages
    assert len(outbox("verification")) == 1
