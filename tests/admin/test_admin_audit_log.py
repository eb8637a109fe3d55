"""The audit log page: newest first, before → after, filters by who, action and days, pages."""

import re

import pytest
from sqlalchemy import delete

from app.accounts.models import AuditEntry
from app.extensions import db
from tests.admin.helpers import texts
from tests.support import warsaw

# The actions of ``history`` as the log words them.
ACTION_WORDS = {
    "matter.update": "Changed a matter",
    "visit.confirm": "Confirmed a request",
    "unit.update": "Changed a unit",
    "visit.cancel": "Cancelled a visit",
    "closure.add": "Added a closure",
}


def rows(page: str) -> list[str]:
    """The audit table's body rows as plain text, in order."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split()).replace(" :", ":")
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def history(admin, make_user):
    """Entries by two people on three days (and one by the system), added directly."""
    staff = make_user("staff", email="stefa@urzad.example")
    db.session.execute(delete(AuditEntry))  # the administrator's login

    def entry(day, hour, user, action, target, before=None, after=None):
        return AuditEntry(
            at=warsaw(2026, 11, day, hour),
            user_id=user.id if user else None,
            actor=user.email if user else "system",
            action=action,
            target=target,
            before=before,
            after=after,
        )

    db.session.add_all(
        [
            entry(2, 9, admin, "matter.update", "matter fami", {"desks": 1}, {"desks": 2}),
            entry(3, 10, staff, "visit.confirm", "visit WP-AAAAAA"),
            entry(
                3,
                23,
                admin,
                "unit.update",
                "unit fami",
                {"name": {"pl": "A", "en": "A"}},
                {"name": {"pl": "B", "en": "A"}},
            ),  # noqa: E501
            entry(4, 0, None, "visit.cancel", "visit WP-BBBBBB"),
            entry(
                4, 8, staff, "closure.add", "closure 7", None, {"reason": "Awaria", "location": ""}
            ),  # noqa: E501
        ]
    )
    db.session.commit()
    return staff


def test_entries_are_shown_newest_first_with_who_what_and_before_after(client, history):
    page = client.get("/admin/audit").get_data(as_text=True)
    listed = rows(page)

    assert len(listed) == 5
    assert "stefa@urzad.example Added a closure closure 7" in listed[0]
    assert "Reason: — → Awaria" in listed[0]
    assert "Where:" not in listed[0]  # empty before and after: nothing changed
    assert "system Cancelled a visit visit WP-BBBBBB" in listed[1]
    assert "Changed a unit unit fami Name (polski): A → B" in listed[2]
    assert "English" not in listed[2]  # only the language that changed
    assert "Confirmed a request" in listed[3]
    assert "Changed a matter matter fami Desks (parallel visits per time): 1 → 2" in listed[4]
    assert "Wednesday, 4 November 2026, 08:00" in listed[0]
    assert not any(code in row for code in ACTION_WORDS for row in listed)  # no "visit.cancel"


def test_states_places_and_times_read_as_words_in_local_time(client, admin, make_matter):
    matter = make_matter()
    place = matter.locations[0]
    db.session.execute(delete(AuditEntry))
    db.session.add(
        AuditEntry(
            at=warsaw(2026, 12, 1, 9),
            user_id=admin.id,
            actor=admin.email,
            action="visit.move",
            target="visit WP-CCCCCC",
            # As the infoline stored it: UTC, the state's code, the place's id.
            before={"status": "confirmed", "starts_at": "2026-12-07T09:00:00+00:00"},
            after={
                "status": "requested",
                "starts_at": "2026-12-07T10:30:00+00:00",
                "location_id": place.id,
            },
        )
    )
    db.session.commit()
    [row] = rows(client.get("/admin/audit").get_data(as_text=True))
    assert "Moved a visit visit WP-CCCCCC" in row
    assert "State: confirmed → waiting for a decision" in row
    assert "Start: Monday, 7 December 2026, 10:00 → Monday, 7 December 2026, 11:30" in row
    assert f"Place: — → {place.name['pl']}" in row


def test_an_accounts_units_and_new_password_read_as_words(client, admin, make_matter, make_user):
    unit = make_matter().unit
    user = make_user("staff", email="nowa@urzad.example")
    db.session.execute(delete(AuditEntry))
    db.session.commit()
    client.post(
        f"/admin/users/{user.id}",
        data={"name": "Nowa", "role": "staff", "units": [unit.slug]},
    )
    client.post(
        f"/admin/users/{user.id}/password",
        data={"password": "Długie hasło 2026!", "repeat": "Długie hasło 2026!"},
    )
    shown = rows(client.get("/admin/audit").get_data(as_text=True))
    assert len(shown) == 2
    assert f"Units: — → {unit.name['pl']}" in shown[1]
    assert "New password: — → a new one set" in shown[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "visit.confirm"}, ["visit.confirm"]),
        ({"user": "staff"}, ["closure.add", "visit.confirm"]),
        ({"user": "system"}, ["visit.cancel"]),
        ({"since": "2026-11-03", "until": "2026-11-03"}, ["unit.update", "visit.confirm"]),
        ({"since": "2026-11-04"}, ["closure.add", "visit.cancel"]),
        ({"until": "2026-11-02"}, ["matter.update"]),
        ({"user": "staff", "since": "2026-11-04"}, ["closure.add"]),
        ({"action": "matter.update", "since": "2026-11-03"}, []),
    ],
    ids=["action", "user", "system", "one day", "since", "until", "user and day", "none"],
)
def test_the_log_is_filtered_by_user_action_and_days(client, history, query, expected):
    if query.get("user") == "staff":
        query = query | {"user": str(history.id)}
    response = client.get("/admin/audit", query_string=query)

    assert response.status_code == 200
    listed = rows(response.get_data(as_text=True))
    actions = [code for row in listed for code, name in ACTION_WORDS.items() if name in row]
    assert actions == expected


def test_the_filter_choices_list_people_and_the_actions_in_the_log(client, history):
    page = client.get("/admin/audit").get_data(as_text=True)
    for value in ("matter.update", "visit.confirm", "closure.add", "system", str(history.id)):
        assert f'value="{value}"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "yesterday"}, "Not a valid date value."),
        ({"since": "2026-11-04", "until": "2026-11-03"}, "The end cannot come before the start."),
        ({"action": "drop table"}, "Not a valid choice"),
        ({"user": "999"}, "Not a valid choice"),
        ({"since": "0001-01-01"}, "Enter a day between the years 2000 and 2999."),
        ({"until": "9999-12-31"}, "Enter a day between the years 2000 and 2999."),
    ],
)
def test_a_bad_filter_says_so_and_the_rest_still_applies(client, history, query, message):
    response = client.get("/admin/audit", query_string=query)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_the_log_pages_through_many_entries_and_keeps_the_filter(app, client, admin):
    app.config["ADMIN_PAGE_SIZE"] = 3
    db.session.execute(delete(AuditEntry))  # the administrator's login
    db.session.add_all(
        AuditEntry(
            at=warsaw(2026, 11, 1, 8, minute),
            user_id=admin.id,
            actor=admin.email,
            action="matter.update",
            target=f"matter m{minute}",
        )
        for minute in range(7)
    )
    db.session.commit()

    first = client.get("/admin/audit?action=matter.update").get_data(as_text=True)
    assert [row.split()[-1] for row in rows(first)] == ["m6", "m5", "m4"]
    assert "Page 1 of 3" in first
    assert 'href="/admin/audit?page=2&amp;action=matter.update"' in first
    third = client.get("/admin/audit?action=matter.update&page=3").get_data(as_text=True)
    assert [row.split()[-1] for row in rows(third)] == ["m0"]
    beyond = client.get("/admin/audit?page=99").get_data(as_text=True)
    assert rows(beyond) == []
    for page in ["9" * 30, "-5", "x"]:  # past what a number holds, or none: still a page
        assert client.get(f"/admin/audit?page={page}").status_code == 200


def test_an_admin_change_appears_in_the_log_at_once(client, admin, matter):
    data = texts("name", {"pl": "Zespół zmieniony"}) | {"email": ""}
    client.post(f"/admin/units/{matter.unit.id}", data=data)
    [row, *_] = rows(client.get("/admin/audit").get_data(as_text=True))
    assert f"admin@urzad.example Changed a unit unit {matter.unit.slug}" in row
    assert "Name (polski): Zespół 1 → Zespół zmieniony" in row
