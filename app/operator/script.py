"""What the operator reads out: the reference letter by letter, the hour without a leading
zero, the phone number as people say it."""

from datetime import datetime

import phonenumbers
from flask_babel import format_time

from app.booking.phones import DEFAULT_REGION


def spaced_reference(reference: str) -> str:
    """``WP-7K3D9Q`` → ``WP – 7 K 3 D 9 Q``: one sign at a time, for dictation."""
    prefix, _, code = reference.partition("-")
    return f"{prefix} – {' '.join(code)}"


def spoken_hour(start: datetime) -> str:
    """The office's wall-clock hour, e.g. "7:30" (not "07:30")."""
    return format_time(start, "H:mm")


def readable_phone(phone: str | None) -> str:
    """A stored E.164 number as people write it: "600 100 200", or "+380 67 123 4567"."""
    if not phone:
        return ""
    number = phonenumbers.parse(phone, DEFAULT_REGION)
    national = phonenumbers.region_code_for_number(number) == DEFAULT_REGION
    style = phonenumbers.PhoneNumberFormat.NATIONAL if national else None
    return phonenumbers.format_number(number, style or phonenumbers.PhoneNumberFormat.INTERNATIONAL)
