"""What the people concerned are told when a visit changes: each message is built here from
the visit, in its language, and handed to the outbox (``app.mail``) in the same transaction.

Only people with a way to be told are told: a visit booked by phone without an e-mail address
gets no e-mail; where text messages are on, a visit with a phone number also gets the
confirmation, the reminder and a cancellation by text message (which does not spare the office
calling a caller who has no e-mail).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.booking import calendar
from app.booking.links import MANAGE, VERIFY, make_token
from app.booking.messages import attendance_rule
from app.booking.models import Visit
from app.booking.schedule import office_timezone
from app.booking.slots import Slot
from app.database import utcnow
from app.extensions import babel
from app.i18n import DEFAULT_LANGUAGE, localized
from app.mail.outbox import enqueue, enqueue_text, mail_domain, sender_address
from app.mail.sms import texts_enabled
from app.matters.models import Location


def public_url(endpoint: str, **values) -> str:
    """An absolute link for a message, also outside a request (the scheduler)."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def mail_language(visit: Visit) -> str:
    """The visit's language where the interface has a translation, Polish otherwise."""
    # English is the language of the message ids, so it needs no catalog.
    translated = {str(locale) for locale in babel.list_translations()} | {"en"}
    return visit.language if visit.language in translated else DEFAULT_LANGUAGE


def visit_url(endpoint: str, visit: Visit, **values) -> str:
    """A link for the visitor: its page opens in the visit's language."""
    return public_url(endpoint, lang=mail_language(visit), **values)


def manage_url(visit: Visit) -> str:
    return visit_url("manage.show", visit, token=make_token(visit, MANAGE))


def matter_url(visit: Visit) -> str:
    return visit_url("matters.matter", visit, slug=visit.matter.slug)


def event_for(visit: Visit, status: str, language: str, manage: str) -> tuple[str, bytes]:
    """The calendar event, its description in ``language`` with the ``manage`` link."""
    location = visit.location
    description = "\n".join(
        filter(
            None,
            [
                _("Reference: %(reference)s", reference=visit.reference),
                attendance_rule(visit),
                localized(location.entrance, language),
                _("Manage or cancel this visit: %(url)s", url=manage),
            ],
        )
    )
    return calendar.visit_calendar(
        visit,
        status=status,
        organizer=sender_address(),
        domain=mail_domain(),
        summary=localized(visit.matter.title, language),
        location=f"{localized(location.name, language)}, {location.address}",
        description=description,
        timezone=office_timezone(),
        now=utcnow(),
    )


# What also goes as a text message to a visit with a phone number, where text messages are on.
TEXTED = {"confirmation", "reminder", "cancellation"}


def tell_visitor(kind: str, visit: Visit, subject, event: str | None = None, **context) -> bool:
    """Queue ``templates/email/<kind>`` for the visitor, with the calendar event as it now
    stands (``event``: one of ``calendar``'s statuses), and ``templates/sms/<kind>.txt`` where
    it goes by text message too; False when they have no e-mail to be told by (a text message
    alone may not arrive, a landline say, and says less: the office then calls them)."""
    texted = kind in TEXTED and visit.phone and texts_enabled(current_app.config)
    if not visit.email and not texted:
        return False
    language = mail_language(visit)
    with force_locale(language):
        context |= {"visit": visit, "language": language}
        if visit.manage_key and kind not in ("verification", "waitlist_offer"):
            context.setdefault("manage_url", manage_url(visit))
        manage = context.get("manage_url", "")
        if visit.email:
            enqueue(
                kind,
                visit.email,
                str(subject) % {"reference": visit.reference},
                render_template(f"email/{kind}.txt", **context),
                render_template(f"email/{kind}.html", **context),
                visit_id=visit.id,
                calendar=event_for(visit, event, language, manage) if event else None,
            )
        if texted:
            text = " ".join(render_template(f"sms/{kind}.txt", **context).split())
            enqueue_text(kind, visit.phone, text, visit_id=visit.id)
    return bool(visit.email)


def held_for_the_visitor(kind: str, visit: Visit, subject) -> bool:
    """A desk held until the visitor opens the e-mail's link (``HOLD_MINUTES``)."""
    return tell_visitor(
        kind,
        visit,
        subject,
        verify_url=visit_url("manage.verify", visit, token=make_token(visit, VERIFY)),
        hold_minutes=current_app.config["HOLD_MINUTES"],
    )


def verification(visit: Visit) -> bool:
    return held_for_the_visitor(
        "verification", visit, _l("Confirm your visit request %(reference)s")
    )


def waitlist_offer(visit: Visit) -> bool:
    """A desk freed up on the day the visitor waits for: held for them until they take it."""
    return held_for_the_visitor(
        "waitlist_offer", visit, _l("A time has freed up for you: %(reference)s")
    )


@dataclass(frozen=True)
class Previous:
    """Where and when a moved visit was: the message of the move names both times."""

    location: Location
    start: datetime


def confirmation(visit: Visit, previous: Previous | None = None) -> bool:
    """The visit is confirmed, or (``previous``) moved and still confirmed."""
    if previous:
        subject = _l("Your visit %(reference)s has been changed")
    else:
        subject = _l("Your visit %(reference)s is confirmed")
    return tell_visitor("confirmation", visit, subject, event=calendar.CONFIRMED, previous=previous)


def moved_for_decision(visit: Visit, previous: Previous) -> bool:
    """The visitor moved a visit the unit had approved: the new time waits for them."""
    return tell_visitor(
        "moved_for_decision",
        visit,
        _l("Your visit %(reference)s has been moved and waits for confirmation"),
        event=calendar.TENTATIVE,
        previous=previous,
    )


def cancellation(visit: Visit, alternatives: Sequence[Slot] = (), had_event: bool = True) -> bool:
    """``had_event``: the visitor was sent the calendar event, which is now withdrawn."""
    return tell_visitor(
        "cancellation",
        visit,
        _l("Your visit %(reference)s is cancelled"),
        event=calendar.CANCELLED if had_event else None,
        alternatives=alternatives,
        matter_url=matter_url(visit),
    )


def declined(visit: Visit, alternatives: Sequence[Slot] = (), had_event: bool = False) -> bool:
    return tell_visitor(
        "declined",
        visit,
        _l("We cannot confirm your visit request %(reference)s"),
        event=calendar.CANCELLED if had_event else None,
        alternatives=alternatives,
        matter_url=matter_url(visit),
    )


def reminder(visit: Visit) -> bool:
    return tell_visitor("reminder", visit, _l("Reminder: your visit %(reference)s"))


def tell_unit(kind: str, visit: Visit, subject, **context) -> bool:
    """Queue ``templates/email/<kind>`` for the visit's unit (in Polish: the office's language);
    False when the unit has no address."""
    recipient = visit.matter.unit.email
    if not recipient:
        return False
    with force_locale(DEFAULT_LANGUAGE):
        context |= {"visit": visit, "language": DEFAULT_LANGUAGE}
        enqueue(
            kind,
            recipient,
            str(subject) % {"reference": visit.reference},
            render_template(f"email/{kind}.txt", **context),
            render_template(f"email/{kind}.html", **context),
            visit_id=visit.id,
        )
    return True


def staff_request(visit: Visit, moved: bool = False) -> bool:
    """Tell the unit that a request waits for a decision."""
    subject = _l("Visit request %(reference)s waits for a decision")
    return tell_unit("staff_request", visit, subject, moved=moved)


def interpreter(visit: Visit, needed: bool) -> bool:
    """Tell the unit to arrange a sign-language interpreter for the visit's time (``needed``),
    or that the one arranged is no longer needed."""
    if needed:
        subject = _l("Visit %(reference)s: arrange a sign-language interpreter")
    else:
        subject = _l("Visit %(reference)s has been called off: the interpreter is not needed")
    return tell_unit("interpreter", visit, subject, needed=needed)
