"""The e-mail outbox in the admin area: the start page says whether sending is paused (since
when, why), how many messages wait and how many failed; the outbox page lists the failed ones
and sends one again, logged."""

import html
import re
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.booking.models import Visit, VisitStatus
from app.booking.references import new_reference
from app.database import utcnow
from app.extensions import db
from app.mail.outbox import enqueue
from tests.mail.outbox_support import (
    FAILED,
    PENDING,
    SENT,
    arrived,
    outbox,
    pauses,
    queue_messages,
    send,
)

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def text_of(response) -> str:
    """The page's text without tags, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())


def logged(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def failed_messages(server, count: int = 1, start: int = 0) -> list[int]:
    """``count`` messages the server refuses for good (550 to their recipients); their ids."""
    for n in range(start, start + count):
        server.answers[f"RCPT person{n}@example.org"] = "550 5.1.1 Recipient address rejected"
    queue_messages(count, start=start)
    send()
    return [row.id for row in outbox() if row.status is FAILED]


def test_the_start_page_says_when_and_why_sending_paused_and_when_it_flows_again(
    client, clock, admin, start_server
):
    server = start_server()
    failed_messages(server)
    server.answers["MAIL"] = "530 5.7.0 Authentication required"
    queue_messages(3, start=1)
    assert send().paused

    page = text_of(client.get("/admin/"))
    assert (
        "Sending e-mail is paused Paused since Tuesday, 1 December 2026, 09:00"
        " Why The mail server does not let the service in (greeting, encryption or login)."
        " The server's last answer MAIL FROM refused: 530 5.7.0 Authentication required"
        " Next try Tuesday, 1 December 2026, 09:01 No message is lost or fails meanwhile" in page
    )
    assert "3 messages wait to be sent. 1 message has failed." in page

    server.answers.clear()
    clock.move_to(pauses()[0].probe_at)
    assert send().sent == 3
    page = text_of(client.get("/admin/"))
    assert "paused" not in page
    assert "0 messages wait to be sent. 1 message has failed." in page
    outbox_page = text_of(client.get("/admin/outbox"))
    assert (
        "Tuesday, 1 December 2026, 09:00 Tuesday, 1 December 2026, 09:01 The mail server does"
        " not let the service in" in outbox_page  # the recent pauses: since, until, why
    )


def test_the_outbox_lists_failed_messages_with_their_visit_and_error(
    client, clock, admin, start_server, make_matter
):
    matter = make_matter()
    start = utcnow() + timedelta(days=2)
    visit = Visit(
        reference=new_reference(),
        matter=matter,
        location=matter.locations[0],
        starts_at=start,
        ends_at=start + matter.slot_length,
        desk=1,
        status=VisitStatus.CONFIRMED,
        name="Jan Nowak",
        email="jan.nowak@example.org",
    )
    db.session.add(visit)
    db.session.flush()
    enqueue("confirmation", visit.email, "Wizyta", "Tekst", "<p>Tekst</p>", visit_id=visit.id)
    server = start_server()
    server.answers["RCPT jan.nowak@example.org"] = "550 5.1.1 <jan.nowak@example.org>: unknown"
    failed_messages(server, start=1)  # and one without a visit

    response = client.get("/admin/outbox")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert f'<a href="/staff/visits/{visit.reference}">{visit.reference}</a>' in page
    rows = text_of(response)
    assert (
        "Tuesday, 1 December 2026, 09:00 Confirmation of a visit "
        f"{visit.reference} jan.nowak@example.org 1 RCPT TO refused: 550 5.1.1 <…>: unknown"
        " Send again" in rows
    )
    assert (
        "Tuesday, 1 December 2026, 09:00 test — person1@example.org 1"
        " RCPT TO refused: 550 5.1.1 Recipient address rejected Send again" in rows
    )
    assert "Sending e-mail is paused" not in rows
    assert "0 messages wait to be sent. 2 messages have failed." in rows


def test_a_failed_message_is_sent_again_and_the_log_says_so_without_its_address(
    client, clock, admin, start_server
):
    server = start_server()
    (message_id,) = failed_messages(server)
    clock.shift(timedelta(days=5))

    response = client.post(f"/admin/outbox/{message_id}/send-again", follow_redirects=True)

    assert "The message is back in the queue" in response.get_data(as_text=True)
    (row,) = outbox()
    assert (row.status, row.attempts, row.failed_at) == (PENDING, 0, None)
    assert row.next_attempt_at == row.queued_at == utcnow()  # its retry days start again
    (entry,) = logged("outbox.send_again")
    assert entry.target == f"e-mail {message_id} (test)"
    assert entry.before == {
        "status": "failed",
        "attempts": 1,
        "last_error": "RCPT TO refused: 550 5.1.1 Recipient address rejected",
    }
    assert entry.after == {"status": "pending", "attempts": 0}

    server.answers.clear()  # the recipient's mailbox exists again
    assert send().sent == 1
    assert outbox()[0].status is SENT
    assert "No failed messages." in text_of(client.get("/admin/outbox"))


def test_only_a_failed_message_is_sent_again(client, admin, start_server):
    server = start_server()
    (message_id,) = queue_messages(1)
    send()
    (row,) = outbox()
    assert row.status is SENT

    response = client.post(f"/admin/outbox/{row.id}/send-again", follow_redirects=True)

    assert "This message has not failed: it is waiting or has been sent." in response.get_data(
        as_text=True
    )
    assert logged("outbox.send_again") == []
    assert arrived(server) == [message_id]
    assert client.post("/admin/outbox/999/send-again").status_code == 404


def test_the_failed_messages_are_paged(app, client, admin, start_server):
    app.config["ADMIN_PAGE_SIZE"] = 2
    failed_messages(start_server(), count=3)

    first = client.get("/admin/outbox").get_data(as_text=True)
    second = client.get("/admin/outbox?page=2").get_data(as_text=True)

    button = '<button type="submit" class="button">Send again</button>'
    assert "Page 1 of 2" in first and first.count(button) == 2
    assert "person2@example.org" in first and "person0@example.org" not in first
    assert "person0@example.org" in second and second.count(button) == 1


def test_sending_again_needs_the_forms_token(app, client, make_user, login, start_server):
    login(make_user("admin"))
    client.get("/admin/?lang=en")
    (message_id,) = failed_messages(start_server())
    app.config["WTF_CSRF_ENABLED"] = True

    url = f"/admin/outbox/{message_id}/send-again"
    assert client.post(url).status_code == 400
    assert outbox()[0].status is FAILED
    token = TOKEN.search(client.get("/admin/outbox").get_data(as_text=True))[1]
    assert client.post(url, data={"csrf_token": token}).status_code == 303
    assert outbox()[0].status is PENDING
