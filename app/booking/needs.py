"""What a visitor declares at booking besides themselves (PRODUCT.md, "The day of the visit"): the
one companion the rules allow, and what the office prepares for them. Otherwise one person comes.
Plain Python; their names in the reader's language are in ``app.booking.messages``.

Needs can reveal a disability (RODO art. 9): they are shown only to the office and the visitor,
and erased with the visitor's other data (``app.booking.retention``).
"""

import enum
from dataclasses import dataclass


class Companion(enum.StrEnum):
    """Who may come with the visitor: the rules allow no one else."""

    GUARDIAN = "guardian"  # the visitor is a minor
    ASSISTANT = "assistant"  # of a visitor who cannot manage alone
    INTERPRETER = "interpreter"  # of a spoken language


class SignLanguage(enum.StrEnum):
    """The means of communication whose interpreter the office must provide (the Act of
    19 August 2011 on sign language and other means of communication)."""

    PJM = "pjm"  # polski język migowy
    SJM = "sjm"  # system językowo-migowy
    SKOGN = "skogn"  # sposób komunikowania się osób głuchoniewidomych


# The same Act, art. 12: an interpreter is asked for at least three working days ahead.
SIGN_LANGUAGE_NOTICE_DAYS = 3


@dataclass(frozen=True)
class Needs:
    """What the visitor declared: nothing, by default."""

    companion: Companion | None = None
    sign_language: SignLanguage | None = None
    step_free: bool = False
    more_time: bool = False

    @classmethod
    def of(cls, visit) -> "Needs":
        return cls(visit.companion, visit.sign_language, visit.step_free, visit.more_time)


NO_NEEDS = Needs()
