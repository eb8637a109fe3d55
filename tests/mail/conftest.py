"""Fixtures of the mail tests."""

from tests.mail.outbox_support import start_server  # noqa: F401
