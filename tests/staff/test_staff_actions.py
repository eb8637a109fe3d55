"""What the unit does to a visit, through the forms of its pages: confirm or decline a request,
cancel, mark the day, move. Each change is audited and committed with the e-mail it causes;
a change the visit's state or the rules refuse leaves it as it was and says why."""

import re
import threading
from datetime import time

from flask_babel import force_locale
from sqlalchemy import update

from app.booking import operations
from app.booking.messages import problem_message
from app.booking.models import Visit, VisitStatus
from app.booking.rules import Problem
from app.database import utcnow
from app.extensions import db
from app.matters.models import Closure, Confirmation, Location, ReceptionWindow
from tests.mails import calendar_method, outbox, text_of
from tests.pages import page
from tests.staff.conftest import TODAY_TEN, TOMORROW_TEN
from tests.support import audit_entries, visit_by, warsaw

S = VisitStatus


def messages(response) -> str:
    return page(response).text


def test_confirm_a_request_from_the_list_of_requests(office, staff, matter, make_visit):
    visit = make_visit(matter, TOMORROW_TEN, status=S.REQUESTED)

    form = page(office.get("/staff/requests")).form(f"/staff/visits/{visit.reference}/confirm")
    # In a list of buttons a screen reader hears which visit each is for.
    assert [button.text for button in form.buttons] == [f"Confirm {visit.reference}"]
    response = office.post(form.action, data=form.data("Confirm"))
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/requests"
    after = office.get(response.headers["Location"])
    assert f"Visit {visit.reference} is confirmed. The visitor gets an e-mail." in messages(after)
    assert "No request is waiting for a decision." in messages(after)

    visit = visit_by(visit.reference)
    assert visit.status is S.CONFIRMED and visit.desk == 1
    assert (visit.changes[-1].actor, visit.changes[-1].to_status) == (staff.email, S.CONFIRMED)
    (entry,) = audit_entries()
    assert (entry.action, entry.target, entry.actor) == (
        "visit.confirm",
        f"visit {visit.reference}",
        staff.email,
    )
    assert (entry.before["status"], entry.after["status"]) == ("requested", "confirmed")
    (mail,) = outbox()
    assert (mail.kind, mail.recipient) == ("confirmation", visit.email)
    history = page(office.get(f"/staff/visits/{visit.reference}")).text
    assert "the visitor waiting for a decision" in history
    assert f"{staff.email} waiting for a decision → confirmed" in history


def test_after_an_action_only_a_page_of_this_site_is_the_way_back(office, matter, make_visit):
    visit = make_visit(matter, TOMORROW_TEN, status=S.REQUESTED)
    response = office.post(
        f"/staff/visits/{visit.reference}/confirm", data={"next": "//evil.example/staff"}
    )
    assert response.headers["Location"] == f"/staff/visits/{visit.reference}"


def test_a_decline_needs_a_reason_and_the_visitor_receives_it(office, matter, make_visit):
    visit = make_visit(matter, TOMORROW_TEN, status=S.REQUESTED)
    form = page(office.get("/staff/requests")).form(f"/staff/visits/{visit.reference}/decline")

    for empty in ("", "   "):
        response = office.post(form.action, data=form.data("Decline", reason=empty))
        assert response.status_code == 400
        assert "Choose a reason or write the reason the visitor will read." in messages(response)
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert visit_by(visit.reference).status is S.REQUESTED
    assert audit_entries() == [] and outbox() == []

    reason = "Prosimy przesłać dokumenty przez ePUAP; wizyta nie jest potrzebna."
    response = office.post(form.action, data=form.data("Decline", reason=f"  {reason} "))
    assert response.status_code == 303
    assert f"Visit request {visit.reference} is declined." in messages(
        office.get(response.headers["Location"])
    )
    visit = visit_by(visit.reference)
    assert (visit.status, visit.reason, visit.desk) == (S.DECLINED, reason, None)
    (entry,) = audit_entries("visit.decline")
    assert entry.after["reason"] == reason
    (mail,) = outbox()
    assert mail.kind == "declined" and reason in text_of(mail)


def test_a_usual_reason_reaches_the_visitor_in_their_language(office, matter, make_visit):
    visit = make_visit(matter, TOMORROW_TEN, status=S.REQUESTED, language="uk")
    form = page(office.get("/staff/requests")).form(f"/staff/visits/{visit.reference}/decline")
    assert form.options["usual"] == ["", "without_visit", "documents_first", "other_unit"] + [
        "time_taken"
    ]
    own = "Proszę dołączyć decyzję starosty."
    data = form.data("Decline", usual="without_visit", reason=own)
    response = office.post(form.action, data=data)
    assert response.status_code == 303
    ukrainian = (
        "Справу можна вирішити без візиту: просимо надіслати документи через ePUAP або поштою."
    )
    assert visit_by(visit.reference).reason == f"{ukrainian} {own}"
    (mail,) = outbox()
    assert ukrainian in text_of(mail) and own in text_of(mail)


def test_an_unknown_usual_reason_is_refused(office, matter, make_visit):
    visit = make_visit(matter, TOMORROW_TEN, status=S.REQUESTED)
    response = office.post(
        f"/staff/visits/{visit.reference}/decline",
        data={"usual": "nonsense", "reason": "Proszę zadzwonić."},  # own words do not help
    )
    assert response.status_code == 400
    assert "Not a valid choice." in page(response).errors_of("decline-reason")
    assert visit_by(visit.reference).status is S.REQUESTED


def test_cancel_a_confirmed_visit_from_its_page(office, matter, make_visit):
    visit = make_visit(matter, TOMORROW_TEN)
    detail = page(office.get(f"/staff/visits/{visit.reference}"))
    assert not detail.has_form(f"/staff/visits/{visit.reference}/decline")
    form = detail.form(f"/staff/visits/{visit.reference}/cancel")

    response = office.post(form.action, data=form.data("Cancel the visit", reason="Choroba"))
    assert response.headers["Location"] == f"/staff/visits/{visit.reference}"
    after = page(office.get(response.headers["Location"]))
    assert f"Visit {visit.reference} is cancelled." in after.text
    assert "confirmed → cancelled" in after.text and "Choroba" in after.text
    assert "Nothing more can be done with this visit." in after.text

    visit = visit_by(visit.reference)
    assert (visit.status, visit.sequence, visit.desk) == (S.CANCELLED, 1, None)
    assert [e.action for e in audit_entries()] == ["visit.cancel"]
    (mail,) = outbox()
    assert (mail.kind, calendar_method(mail)) == ("cancellation", "CANCEL")


def test_without_an_e_mail_the_staff_are_told_to_call(office, matter, make_visit):
    visit = make_visit(matter, TOMORROW_TEN, email=None, phone="+48124302973")
    detail = page(office.get(f"/staff/visits/{visit.reference}"))
    form = detail.form(f"/staff/visits/{visit.reference}/cancel")
    response = office.post(form.action, data=form.data(reason="Awaria"), follow_redirects=True)
    assert "no e-mail address: call them (+48124302973)" in messages(response)
    assert outbox() == []


def mark_buttons(office, visit) -> list[str]:
    detail = page(office.get(f"/staff/visits/{visit.reference}"))
    path = f"/staff/visits/{visit.reference}/mark"
    buttons = [button.text for button in detail.form(path).buttons] if detail.has_form(path) else []
    return buttons + [text for _, text in detail.links if text == "Did not come"]


def test_arrival_from_shortly_before_the_time_attendance_from_the_start(
    office, clock, matter, make_visit
):
    visit = make_visit(matter, TODAY_TEN)  # the clock says 9:00
    assert mark_buttons(office, visit) == []
    response = office.post(
        f"/staff/visits/{visit.reference}/mark", data={"mark": "arrived"}, follow_redirects=True
    )
    assert "It is too early to mark this visit" in messages(response)

    clock.move_to(warsaw(2026, 12, 1, 9, 31))  # check-in opens 30 minutes before
    assert mark_buttons(office, visit) == ["Arrived"]
    response = office.post(
        f"/staff/visits/{visit.reference}/mark", data={"mark": "arrived"}, follow_redirects=True
    )
    assert f"Visit {visit.reference}: arrived." in messages(response)

    clock.move_to(warsaw(2026, 12, 1, 10, 0))
    assert mark_buttons(office, visit) == ["Attended", "Did not come"]
    office.post(f"/staff/visits/{visit.reference}/mark", data={"mark": "attended"})

    visit = visit_by(visit.reference)
    assert visit.status is S.ATTENDED
    assert [e.action for e in audit_entries()] == ["visit.arrived", "visit.attended"]
    assert outbox() == []


def test_did_not_come_from_the_start_only_after_a_confirmation_and_undone_the_same_day(
    office, clock, matter, make_visit
):
    visit = make_visit(matter, TODAY_TEN)
    path = f"/staff/visits/{visit.reference}/mark"
    response = office.post(path, data={"mark": "no_show", "confirmed": "y"}, follow_redirects=True)
    assert "It is too early to mark this visit" in messages(response)  # 9:00, visit at 10:00

    clock.move_to(warsaw(2026, 12, 1, 10, 16))
    unconfirmed = office.post(path, data={"mark": "no_show"})
    assert unconfirmed.headers["Location"] == f"/staff/visits/{visit.reference}/no-show"
    assert visit_by(visit.reference).status is S.CONFIRMED
    confirm = page(office.get(unconfirmed.headers["Location"])).form(path)
    response = office.post(
        path, data=confirm.data("Yes, the visitor did not come"), follow_redirects=True
    )
    assert visit_by(visit.reference).status is S.NO_SHOW
    assert "Undo the mark: did not come" in page(response).text

    clock.move_to(warsaw(2026, 12, 1, 11, 0))  # the visitor turns up late after all
    office.post(f"/staff/visits/{visit.reference}/undo")
    assert visit_by(visit.reference).status is S.CONFIRMED
    office.post(path, data={"mark": "attended"})
    assert visit_by(visit.reference).status is S.ATTENDED
    assert [e.action for e in audit_entries()] == ["visit.no_show", "visit.undo", "visit.attended"]

    clock.move_to(warsaw(2026, 12, 2, 8, 0))  # the next day the mark stands
    assert "Undo the mark" not in page(office.get(f"/staff/visits/{visit.reference}")).text
    response = office.post(f"/staff/visits/{visit.reference}/undo", follow_redirects=True)
    assert "Only a mark made today can be undone." in messages(response)
    assert visit_by(visit.reference).status is S.ATTENDED
    assert office.post(path, data={"mark": "x"}).status_code == 400


def test_a_finished_visit_refuses_every_change_and_stays_as_it_was(office, matter, make_visit):
    visit = make_visit(matter, TODAY_TEN, status=S.ATTENDED)
    base = f"/staff/visits/{visit.reference}"
    assert not [form for form in page(office.get(base)).forms if form.action.startswith(base)]
    for path, data in [
        ("/confirm", {}),
        ("/decline", {"reason": "x"}),
        ("/cancel", {"reason": "x"}),
        ("/mark", {"mark": "no_show"}),
        ("/move", {"slot": "basztowa|2026-12-03T10:00:00+01:00"}),
    ]:
        response = office.post(base + path, data=data)
        assert response.status_code == 303, path
        shown = messages(office.get(response.headers["Location"]))
        assert "This visit is attended: it cannot be changed this way." in shown, path
    visit = visit_by(visit.reference)
    assert (visit.status, visit.reason, visit.starts_at) == (S.ATTENDED, "", TODAY_TEN)
    assert audit_entries() == [] and outbox() == []


def test_a_request_for_a_time_closed_since_cannot_be_confirmed(office, matter, make_visit):
    visit = make_visit(matter, TOMORROW_TEN, status=S.REQUESTED)
    db.session.add(
        Closure(
            location=matter.locations[0],
            starts_at=TOMORROW_TEN,
            ends_at=TOMORROW_TEN.replace(hour=12),
            reason="Awaria",
        )
    )
    db.session.commit()
    response = office.post(f"/staff/visits/{visit.reference}/confirm", follow_redirects=True)
    assert "The office does not receive visitors at this time." in messages(response)
    assert visit_by(visit.reference).status is S.REQUESTED
    assert audit_entries() == [] and outbox() == []


def test_move_onto_a_desk_kept_for_the_phone(clock, make_matter, make_user, make_visit, log_in):
    # Two desks, one kept for the infoline and staff until two days before.
    matter = make_matter(desks=2, phone_desks=1, phone_release_days=2, location_slug="olszanska")
    client = log_in(make_user("staff", units=[matter.unit]))
    visit = make_visit(matter, TOMORROW_TEN, language="en")
    make_visit(matter, warsaw(2026, 12, 10, 11, 0))  # takes the one desk open online

    move_url = f"/staff/visits/{visit.reference}/move"
    tomorrow = [link.text for link in page(client.get(move_url)).links]
    assert "Wednesday, 2 December 2026, 10:00" not in tomorrow  # where it is now
    thursday = page(client.get(move_url, query_string={"day": "2026-12-10"}))
    eleven = thursday.link("Thursday, 10 December 2026, 11:00")  # desk 2, kept for the phone
    form = page(client.get(eleven.href)).form("")
    assert form.fields["slot"] == "olszanska|2026-12-10T11:00:00+01:00"

    response = client.post(move_url, data=form.fields)
    assert response.headers["Location"] == f"/staff/visits/{visit.reference}"
    after = page(client.get(response.headers["Location"]))
    assert f"Visit {visit.reference} is moved. The visitor gets an e-mail." in after.text
    assert "moved from 2026-12-02 10:00" in after.text

    visit = visit_by(visit.reference)
    assert (visit.starts_at, visit.desk, visit.status) == (
        warsaw(2026, 12, 10, 11, 0),
        2,
        S.CONFIRMED,
    )
    (entry,) = audit_entries()
    assert entry.action == "visit.move"
    assert (entry.before["starts_at"], entry.after["starts_at"]) == (
        "2026-12-02T10:00:00+01:00",
        "2026-12-10T11:00:00+01:00",
    )
    (mail,) = outbox()
    assert (mail.kind, calendar_method(mail)) == ("confirmation", "PUBLISH")
    assert mail.subject == f"Your visit {visit.reference} has been changed"


def test_move_to_a_time_taken_meanwhile_says_so(office, matter, make_visit):
    visit = make_visit(matter, TOMORROW_TEN)
    move_url = f"/staff/visits/{visit.reference}/move"
    wanted = "basztowa|2026-12-03T10:00:00+01:00"
    form = page(office.get(move_url, query_string={"slot": wanted})).form("")
    for _ in range(matter.desks):  # somebody else takes every desk of that time
        make_visit(matter, warsaw(2026, 12, 3, 10, 0))

    response = office.post(move_url, data=form.fields)
    assert response.headers["Location"] == f"{move_url}?location=basztowa&day=2026-12-03"
    assert "Somebody has just taken this time." in messages(
        office.get(response.headers["Location"])
    )
    visit = visit_by(visit.reference)
    assert (visit.starts_at, visit.desk) == (TOMORROW_TEN, 1)
    assert audit_entries() == [] and outbox() == []

    for bad in (
        "basztowa|2026-12-05T10:00:00+01:00",
        "basztowa|nonsense",
        "basztowa|0001-01-01T00:30:00+01:00",
        "elsewhere|2026-12-03T11:00:00+01:00",
    ):
        response = office.post(move_url, data={"slot": bad}, follow_redirects=True)
        assert response.status_code == 200 and "error" in response.get_data(as_text=True)
    assert visit_by(visit.reference).starts_at == TOMORROW_TEN
    assert audit_entries() == []


def test_a_move_to_another_place_tells_the_visitor_the_new_address(office, matter, make_visit):
    sacz = Location(
        slug="nowy-sacz",
        name={"pl": "Punkt w Nowym Sączu"},
        address="ul. Jagiellońska 52, 33-300 Nowy Sącz",
        hours=[ReceptionWindow(weekday=day, opens=time(9), closes=time(15)) for day in range(5)],
    )
    matter.locations.append(sacz)
    db.session.commit()
    visit = make_visit(matter, TOMORROW_TEN)
    assert visit.location.slug == "basztowa"  # loaded before the move, as a page would

    office.post(
        f"/staff/visits/{visit.reference}/move",
        data={"slot": "nowy-sacz|2026-12-03T09:00:00+01:00"},
    )
    assert visit_by(visit.reference).location.slug == "nowy-sacz"
    (mail,) = outbox()
    assert "Jagiellońska 52" in text_of(mail) and "Testowa" not in text_of(mail)


def test_with_csrf_on_every_action_needs_the_pages_token(
    app, client, clock, staff, matter, make_visit
):
    app.config["WTF_CSRF_ENABLED"] = True
    visit = make_visit(matter, TOMORROW_TEN, status=S.REQUESTED)
    # English from the first request: buttons are found by their English text.
    login = page(client.get("/login?lang=en"))
    (form,) = [f for f in login.forms if f.action in ("", "/login")]
    client.post("/login", data=form.data(email=staff.email, password="correct horse battery"))

    requests = page(client.get("/staff/requests"))
    confirm = requests.form(f"/staff/visits/{visit.reference}/confirm")
    assert confirm.hidden["csrf_token"]

    refused = client.post(confirm.action, data={"next": "/staff/requests"})
    assert refused.status_code == 400
    assert visit_by(visit.reference).status is S.REQUESTED

    response = client.post(confirm.action, data=confirm.data("Confirm"))
    assert response.status_code == 303
    assert visit_by(visit.reference).status is S.CONFIRMED
    assert [e.action for e in audit_entries()] == ["visit.confirm"]


def test_automatic_matters_can_be_confirmed_by_staff_too(office, make_matter, staff, make_visit):
    automatic = make_matter(unit=staff.units[0], confirmation=Confirmation.AUTO)
    visit = make_visit(automatic, TOMORROW_TEN, status=S.REQUESTED)
    office.post(f"/staff/visits/{visit.reference}/confirm")
    assert visit_by(visit.reference).status is S.CONFIRMED
    assert re.fullmatch(r"visit WP-\w{6}", audit_entries()[0].target)


def test_two_people_acting_on_one_visit_take_turns(app, office, matter, make_visit):
    """The visitor cancels while a staff member confirms: the confirmation waits for the
    cancellation to commit, then sees it, instead of overwriting it."""
    visit = make_visit(matter, TOMORROW_TEN, status=S.REQUESTED)
    visit_id, reference = visit.id, visit.reference
    db.session.commit()  # the test's session lets go of the database (SQLite: one writer)
    responses = []
    with db.engine.connect() as other:
        other.begin()  # on SQLite this takes the write lock; on PostgreSQL the row lock follows
        other.execute(
            update(Visit).where(Visit.id == visit_id).values(status=S.CANCELLED, desk=None)
        )
        staff_member = threading.Thread(
            target=lambda: responses.append(
                office.post(f"/staff/visits/{reference}/confirm", follow_redirects=True)
            )
        )
        staff_member.start()
        staff_member.join(timeout=1)
        assert staff_member.is_alive()  # waiting for the row
        other.commit()
    staff_member.join(timeout=30)

    (response,) = responses
    assert "This visit is cancelled: it cannot be changed this way." in messages(response)
    assert visit_by(reference).status is S.CANCELLED
    assert audit_entries() == [] and outbox() == []


def test_a_rule_the_scheduler_applied_is_given_in_the_readers_language(office, matter, make_visit):
    """The visitor (in English) is told in English; the unit reads the same reason in Polish."""
    visit = make_visit(matter, TOMORROW_TEN, status=S.REQUESTED, language="en")
    reason = operations.reason_for(visit, Problem.CLOSED)
    operations.decline_locked(visit, operations.SCHEDULER, reason, utcnow(), note=Problem.CLOSED)
    db.session.commit()

    shown = page(office.get(f"/staff/visits/{visit.reference}?lang=pl"))

    assert visit_by(visit.reference).reason == reason  # English, for the e-mails
    with office.application.test_request_context(), force_locale("pl"):
        polish = problem_message(Problem.CLOSED, matter)
    assert f"Powód {polish}" in shown.text
    assert reason not in shown.text
