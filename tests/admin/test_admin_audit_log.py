"""The audit log page: newest first, before → after, filters by who, action and days, pages."""

import re

import pytest
from sqlalchemy import delete

from app.accounts.models import AuditEntry
from app.extensions import db
from tests.admin.helpers import texts
from tests.support import warsaw


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
    assert "stefa@urzad.example closure.add closure 7" in listed[0]
    assert "reason: — → Awaria" in listed[0]
    assert "location:" not in listed[0]  # empty before and after: nothing changed
    assert "system visit.cancel visit WP-BBBBBB" in listed[1]
    assert "unit.update unit fami name.pl: A → B" in listed[2]
    assert "name.en" not in listed[2]  # only the language that changed
    assert "visit.confirm" in listed[3]
    assert "matter.update matter fami desks: 1 → 2" in listed[4]
    assert "Wednesday, 4 November 2026, 08:00" in listed[0]


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
    actions = [row.split()[row.split().index("2026,") + 3] for row in listed]  # after the actor
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
    assert f"admin@urzad.example unit.update unit {matter.unit.slug}" in row
    assert "name.pl: Zespół 1 → Zespół zmieniony" in row
