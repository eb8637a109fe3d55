"""Phone numbers: Polish numbers written any usual way, or international ones with +."""

import phonenumbers

DEFAULT_REGION = "PL"


def normalize_phone(text: str) -> str | None:
    """The number in E.164 form (+48123456789), or None if it is not a valid number."""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
