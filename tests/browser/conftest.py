import pytest


@pytest.fixture
def engine_name() -> str:
    """Browser tests run on SQLite only (overrides the engine parametrization)."""
    return "sqlite"
