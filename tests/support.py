"""Helpers shared by the test folders."""

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_or_skip(reason: str):
    """Skip a test whose service or browser is missing, except under CI, where it fails."""
    if IN_CI:
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)
