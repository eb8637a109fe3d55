"""The e-mails of a visit's life, in the visit's language, each queued in the outbox."""

from collections.abc import Sequence

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.booking.links import MANAGE, VERIFY, make_token
from app.booking.models import Visit
from app.booking.schedule import office_timezone
from app.booking.slots import Slot
from app.database import utcnow
from app.extensions import babel
from app.i18n import DEFAULT_LANGUAGE, localized
from app.mail.calendar import visit_calendar
from app.mail.outbox import enqueue, mail_domain, sender_address


def public_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, also outside a request (the scheduler)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)


def mail_language(visit: Visit) -> str:
    """The visit's language where the interface has a translation, Polish otherwise."""
    # English is the language of the message ids, so it needs no catalog.
    translated = {str(locale) for locale in babel.list_translations()} | {"en"}
    return visit.language if visit.language in translated else DEFAULT_LANGUAGE


def manage_url(visit: Visit) -> str:
    return public_url("manage.show", token=make_token(visit, MANAGE))


def calendar_for(visit: Visit, method: str, language: str) -> tuple[str, bytes]:
    location = visit.location
    entrance = localized(location.entrance, language)
    description = "\n".join(
        filter(
            None,
            [
                _("Reference: %(reference)s", reference=visit.reference),
                _("One person may attend the meeting."),
                entrance,
                _("Manage or cancel this visit: %(url)s", url=manage_url(visit)),
            ],
        )
    )
    ics = visit_calendar(
        visit,
        method=method,
        organizer=sender_address(),
        domain=mail_domain(),
        summary=localized(visit.matter.title, language),
        location=f"{localized(location.name, language)}, {location.address}",
        description=description,
        timezone=office_timezone(),
        now=utcnow(),
    )
    return method, ics


def queue(
    kind: str,
    visit: Visit,
    subject: str,
    calendar_method: str | None = None,
    **context,
) -> None:
    """Render ``templates/email/<kind>.txt`` and ``.html`` for the visit and queue them."""
    language = mail_language(visit)
    with force_locale(language):
        context |= {"visit": visit, "language": language, "timezone": office_timezone()}
        if visit.manage_key and kind != "verification":
            context.setdefault("manage_url", manage_url(visit))
        calendar = calendar_for(visit, calendar_method, language) if calendar_method else None
        enqueue(
            kind,
            visit.email,
            str(subject) % {"reference": visit.reference},
            render_template(f"email/{kind}.txt", **context),
            render_template(f"email/{kind}.html", **context),
            visit=visit,
            calendar=calendar,
        )


def send_verification(visit: Visit) -> None:
    queue(
        "verification",
        visit,
        _l("Confirm your visit request %(reference)s"),
        verify_url=public_url("manage.verify", token=make_token(visit, VERIFY)),
        hold_minutes=current_app.config["HOLD_MINUTES"],
    )


def send_confirmation(visit: Visit, changed: bool = False) -> None:
    if changed:
        subject = _l("Your visit %(reference)s has been changed")
    else:
        subject = _l("Your visit %(reference)s is confirmed")
    queue("confirmation", visit, subject, calendar_method="REQUEST", changed=changed)


def send_cancellation(
    visit: Visit, alternatives: Sequence[Slot] = (), calendar: bool = True
) -> None:
    """Tell the citizen; ``calendar`` adds a METHOD:CANCEL for the event they were sent."""
    queue(
        "cancellation",
        visit,
        _l("Your visit %(reference)s is cancelled"),
        calendar_method="CANCEL" if calendar else None,
        alternatives=alternatives,
        matter_url=public_url("matters.matter", slug=visit.matter.slug),
    )


def send_declined(visit: Visit, alternatives: Sequence[Slot] = ()) -> None:
    queue(
        "declined",
        visit,
        _l("We cannot confirm your visit request %(reference)s"),
        alternatives=alternatives,
        matter_url=public_url("matters.matter", slug=visit.matter.slug),
    )


def send_reminder(visit: Visit) -> None:
    queue("reminder", visit, _l("Reminder: your visit %(reference)s"))


def send_staff_request(visit: Visit, recipients: Sequence[str]) -> None:
    """Tell the unit that a request waits for a decision (in Polish: the office's language)."""
    with force_locale(DEFAULT_LANGUAGE):
        context = {"visit": visit, "language": DEFAULT_LANGUAGE, "timezone": office_timezone()}
        subject = _("Visit request %(reference)s waits for a decision", reference=visit.reference)
        for recipient in recipients:
            enqueue(
                "staff_request",
                recipient,
                subject,
                render_template("email/staff_request.txt", **context),
                render_template("email/staff_request.html", **context),
                visit=visit,
            )
