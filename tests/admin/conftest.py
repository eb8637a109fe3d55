"""Fixtures of the admin area: a logged-in administrator and a matter to edit."""

import pytest

from tests.mail.outbox_support import start_server  # noqa: F401  (the outbox page's tests)


@pytest.fixture
def admin(client, make_user, login):
    """An administrator, logged in on the test client."""
    user = make_user("admin", email="admin@urzad.example", name="Anna Admin")
    login(user)
    client.get("/admin/?lang=en")  # messages in English (Polish translations come later)
    return user


@pytest.fixture
def matter(make_matter):
    """A matter with its unit and one location (Mon–Fri 9:00–15:00)."""
    return make_matter()
