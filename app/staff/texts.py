"""Names of states and actions as the office says them (the citizen's pages say them
differently, see ``app.booking.messages.STATUS_NAMES``)."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "held": _l("waiting for the visitor's e-mail"),
    "requested": _l("waiting for a decision"),
    "confirmed": _l("confirmed"),
    "arrived": _l("arrived"),
    "attended": _l("attended"),
    "no_show": _l("did not come"),
    "expired": _l("expired"),
    "declined": _l("declined"),
    "cancelled": _l("cancelled"),
}

ACTION_LABELS = {
    "confirm": _l("Confirm"),
    "decline": _l("Decline"),
    "cancel": _l("Cancel the visit"),
    "arrived": _l("Arrived"),
    "attended": _l("Attended"),
    "no_show": _l("Did not come"),
    "move": _l("Move to another time"),
    "undo": _l("Undo the mark"),
}

# Who changed a visit, where it was not a member of the office (they appear by e-mail).
ACTOR_NAMES = {
    "citizen": _l("the visitor"),
    "scheduler": _l("the scheduler"),
}

# What the scheduler could not do with a visit (``Visit.attention`` starts with the job's name).
ATTENTION_TEXTS = {
    "call_visitor": _l(
        "The scheduler called this visit off (the office no longer receives at its time) and "
        "the visitor has no e-mail address: call them and tell them why."
    ),
    "check_requests": _l("The scheduler could not decide this request: decide it yourself."),
    "recheck_marked": _l(
        "After a change of hours, closures, desks or places the scheduler could not check "
        "whether this visit still fits: check it, and cancel or move it if it does not."
    ),
    "send_reminders": _l("The scheduler could not send the reminder: call the visitor."),
    "expire_held": _l("The scheduler could not release this unconfirmed request."),
    "erase_personal_data": _l("The scheduler could not erase this visit's personal data."),
}

# The usual reasons for declining a request, offered as a choice: the visitor reads the chosen
# one in their own language (whatever the staff member's), followed by any words of the office.
DECLINE_REASONS = {
    "without_visit": _l(
        "The matter can be handled without a visit: please send the documents through ePUAP or "
        "by post."
    ),
    "documents_first": _l(
        "Documents are needed before a visit: please call the unit, which will tell you which."
    ),
    "other_unit": _l(
        "Another unit handles this matter: please call the infoline, which will tell you where "
        "to turn."
    ),
    "time_taken": _l("The unit cannot receive you at this time: please choose another time."),
}
