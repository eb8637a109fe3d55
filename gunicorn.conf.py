"""gunicorn's settings for Wizyta (`make serve`, docs/deploy.md); each may be set from the
environment. Behind a TLS proxy on the same machine or the office's network."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Requests wait on the database, not the CPU: two workers a core, and one more.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # the statement time-out's length
graceful_timeout = 30  # a restart lets requests under way finish
max_requests, max_requests_jitter = 5000, 500  # workers are renewed now and then, not all at once
accesslog = "-"
# The path without its query string: nothing a visitor typed reaches the access log.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"


def child_exit(_server, worker) -> None:
    """A worker's metrics stay counted after it exits (``PROMETHEUS_MULTIPROC_DIR``)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
