"""Prometheus metrics at ``/metrics``: what the service does (bookings by channel and outcome,
refusals by reason, how long listing free slots takes) and what state it is in (the outbox's
queue and its oldest due message, each job's last success), for the office's monitor.

Counters live in each process; under gunicorn they are summed across workers through
``PROMETHEUS_MULTIPROC_DIR`` (``make serve`` sets it). The state is read from the database
when scraped, so it is the same whichever machine answers. ``/metrics`` answers only
``METRICS_ALLOWED_NETWORKS`` (loopback by default): nothing in it is personal, but it is
the office's own business.
"""

import ipaddress
import os
from contextlib import contextmanager

from flask import Blueprint, Response, abort, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from app.booking.rules import BookingRefused
from app.database import utcnow
from app.extensions import db
from app.mail.sender import outbox_state

BOOKINGS = Counter(
    "wizyta_bookings", "Visits booked or refused, by channel and outcome.", ["channel", "outcome"]
)
REFUSALS = Counter("wizyta_booking_refusals", "Why bookings were refused.", ["reason"])
SLOT_LISTING = Histogram(
    "wizyta_slot_listing_seconds",
    "Time to list a matter's free slots.",
    buckets=(0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)

bp = Blueprint("metrics", __name__)


@contextmanager
def counted_booking(channel):
    """Count the booking made in the block, or refused, with the reasons it was refused for."""
    label = channel.value if channel else ""
    try:
        yield
    except BookingRefused as refused:
        BOOKINGS.labels(channel=label, outcome="refused").inc()
        for problems in refused.problems.values():
            for problem in problems:
                REFUSALS.labels(reason=problem.value).inc()
        raise
    BOOKINGS.labels(channel=label, outcome="booked").inc()


class ServiceState:
    """Gauges read from the database at each scrape."""

    def collect(self):
        from app.scheduler.runs import last_runs  # the jobs use the booking, which counts here

        now = utcnow()
        outbox = outbox_state(now)
        waiting = GaugeMetricFamily(
            "wizyta_outbox_waiting", "Messages waiting to be sent (or being sent)."
        )
        waiting.add_metric([], outbox.waiting)
        age = GaugeMetricFamily(
            "wizyta_outbox_oldest_due_seconds", "How long the longest-waiting due message waited."
        )
        due_since = outbox.oldest_due_at
        age.add_metric([], (now - due_since).total_seconds() if due_since else 0)
        success = GaugeMetricFamily(
            "wizyta_job_last_success_timestamp_seconds",
            "When each scheduler job last succeeded (0: never).",
            labels=["job"],
        )
        for name, run in last_runs().items():
            stamp = run.last_success_at.timestamp() if run.last_success_at else 0
            success.add_metric([name], stamp)
        db.session.rollback()
        return [waiting, age, success]


def allowed(address: str | None) -> bool:
    networks = current_app.config["METRICS_ALLOWED_NETWORKS"].split(",")
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(net.strip()) for net in networks if net.strip())


@bp.get("/metrics")
def metrics():
    if not allowed(request.remote_addr):
        abort(404)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for metric in (BOOKINGS, REFUSALS, SLOT_LISTING):
            registry.register(metric)
    registry.register(ServiceState())
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
