"""/metrics for the office's monitor: what the service did and the state it is in."""

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from app.database import utcnow
from app.extensions import db
from app.mail.outbox import enqueue
from tests.support import fami_request, fami_slots, run_scheduler_once


def scrape(client) -> dict[tuple[str, tuple], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.get_data(as_text=True))
        for sample in family.samples
    }


def booked(channel: str, outcome: str) -> tuple:
    labels = (("channel", channel), ("outcome", outcome))
    return ("wizyta_bookings_total", labels)


def request_visit(client, start: str, email: str):
    return client.post("/api/v1/visits", json=fami_request(start, email))


def test_bookings_refusals_and_slot_listings_are_counted(client, catalog, clock):
    before = scrape(client)
    listed = before.get(("wizyta_slot_listing_seconds_count", ()), 0)
    start = fami_slots(client)[0]["start"]

    assert request_visit(client, start, "jan@example.pl").status_code == 201
    assert request_visit(client, "2026-11-30T10:00:00+01:00", "ola@example.pl").status_code == 422
    after = scrape(client)

    def grew(key) -> float:
        return after.get(key, 0) - before.get(key, 0)

    assert grew(booked("online", "booked")) == 1
    assert grew(booked("online", "refused")) == 1
    assert grew(("wizyta_booking_refusals_total", (("reason", "in_past"),))) == 1
    assert after[("wizyta_slot_listing_seconds_count", ())] == listed + 1


def test_the_outbox_and_the_jobs_are_read_from_the_database(client, catalog, clock, runner):
    enqueue("test", "person@example.org", "Message", "Text", "<p>Text</p>")
    db.session.commit()
    clock.shift(timedelta(minutes=5))

    state = scrape(client)
    assert state[("wizyta_outbox_waiting", ())] == 1
    assert state[("wizyta_outbox_oldest_due_seconds", ())] == 300
    assert state[("wizyta_job_last_success_timestamp_seconds", (("job", "check_requests"),))] == 0

    run_scheduler_once(runner)  # sends nothing: no mail server, the message is written out
    state = scrape(client)
    ran = state[("wizyta_job_last_success_timestamp_seconds", (("job", "check_requests"),))]
    assert ran == utcnow().timestamp()


def test_only_the_monitors_network_reads_the_metrics(app, client, catalog):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 404
    app.config["METRICS_ALLOWED_NETWORKS"] = "127.0.0.0/8, 203.0.113.0/24"
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 200
