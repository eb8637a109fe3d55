"""Visit references: short, readable aloud over the phone, hard to guess, e.g. ``WP-7K3D9Q``."""

import secrets

from sqlalchemy import exists, select

from app.booking.models import Visit
from app.extensions import db

PREFIX = "WP-"
# No 0/O, 1/I/L or U/V pairs that people confuse when reading or dictating.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 6


def generate_reference() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_reference() -> str:
    """A reference no visit has yet (the column's unique constraint backs this up)."""
    while True:
        reference = generate_reference()
        if not db.session.scalar(select(exists().where(Visit.reference == reference))):
            return reference


def parse_reference(text: str) -> str | None:
    """What a person typed or said as a stored reference (any case, with or without "WP",
    spaces or dashes of any kind: "wp 7k3d9q", "WP – 7 K 3 D 9 Q"), or None if it is none.
    Six characters are the code alone, even one that begins with "WP"."""
    compact = "".join(char for char in text.upper() if char.isalnum())
    if len(compact) == LENGTH + len("WP") and compact.startswith("WP"):
        compact = compact.removeprefix("WP")
    if len(compact) == LENGTH and all(char in ALPHABET for char in compact):
        return PREFIX + compact
    return None
