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


def normalize_reference(text: str) -> str:
    """What a person typed or said, as stored: upper case, with the prefix, no spaces."""
    cleaned = "".join(text.split()).upper().replace("_", "-")
    if not cleaned.startswith(PREFIX):
        cleaned = PREFIX + cleaned.removeprefix("WP")
    return cleaned
