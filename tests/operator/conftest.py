"""Fixtures for the infoline tests: an operator, logged in, the interface in English."""

import pytest


@pytest.fixture
def operator(make_user):
    return make_user("operator", email="anna.operator@urzad.example", name="Anna")


@pytest.fixture
def desk(client, clock, operator, login):
    """The test client logged in as an infoline operator, the interface in English."""
    login(operator)
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client
