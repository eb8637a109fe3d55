"""Fixtures of the statistics: a year of seeded visits (the demo seed, on the real catalog)
and an administrator logged in with the interface in English."""

import io

import pytest
from openpyxl import load_workbook

from app.demo.seed import seed_demo
from app.extensions import db

VISITS, REQUESTED = 1500, 10
# The clock stands on Tuesday 1 December 2026: the year up to today.
YEAR = {"first": "2025-12-02", "last": "2026-12-01"}


@pytest.fixture
def seeded(catalog, clock):
    report = seed_demo(VISITS, REQUESTED)
    db.session.commit()
    return report


@pytest.fixture
def admin(make_user, log_in):
    return log_in(make_user("admin", email="szefowa@urzad.example"))


def sheet_rows(client, key: str, query: dict) -> list[tuple]:
    """A table of the statistics as its spreadsheet gives it: the header, then the rows."""
    response = client.get(f"/statistics/{key}.xlsx", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]
