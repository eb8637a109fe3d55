"""The infoline books a caller's companion and needs, and reads them out."""

from app.booking.needs import Companion, SignLanguage
from tests.operator.helpers import book
from tests.pages import get, page
from tests.support import visits

DISABILITY = "orzekanie-o-niepelnosprawnosci"  # by phone; its letters carry a case number
WEDNESDAY_7_30 = "olszanska|2026-12-02T07:30:00+01:00"
MONDAY_9 = "olszanska|2026-12-07T09:00:00+01:00"


def test_the_operator_books_with_needs_and_reads_them_out(desk, catalog):
    sent = book(
        desk,
        DISABILITY,
        MONDAY_9,
        companion="assistant",
        sign_language="pjm",
        more_time="y",
        case_reference="WZON.4.2026",
    )
    assert sent.status_code == 303
    (visit,) = visits()
    assert (visit.companion, visit.sign_language, visit.more_time) == (
        Companion.ASSISTANT,
        SignLanguage.PJM,
        True,
    )
    assert visit.case_reference == "WZON.4.2026"

    script = get(desk, sent.location)
    assert "One person may attend the visit, with the companion you declared." in script.text
    assert (
        "We have noted: Companion: An assistant of a visitor who cannot manage alone; "
        "Sign-language interpreter: Polish Sign Language (PJM); More time for the meeting. "
        "The office arranges the sign-language interpreter."
    ) in script.text
    assert "WZON.4.2026" in script.part("Check with the caller", "</dl>")


def test_the_operator_is_told_at_the_field_when_an_interpreter_is_asked_too_late(desk, catalog):
    refused = book(desk, DISABILITY, WEDNESDAY_7_30, sign_language="pjm")
    assert refused.status_code == 422
    assert "at least 3 working days before the visit" in page(refused).errors_of("sign_language")
    assert visits() == []
