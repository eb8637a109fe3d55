"""Staff accounts: created, edited, disabled and enabled, given a new password; all logged."""

import pytest
from sqlalchemy import select

from app.accounts.models import AuditEntry, Role, User
from app.extensions import db
from tests.admin.helpers import logs_in
from tests.support import fresh

PASSWORD = "a long new password"


def account(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def logged(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def new_account(**values) -> dict:
    return {
        "email": "nowa@urzad.example",
        "name": "Nowa Osoba",
        "role": "staff",
        "units": [],
        "password": PASSWORD,
    } | values


def test_a_staff_account_is_created_with_its_units_and_can_log_in(
    app, client, admin, matter, make_matter
):
    other_unit = make_matter().unit
    data = new_account(units=[matter.unit.slug, other_unit.slug])
    response = client.post("/admin/users/new", data=data)

    assert response.status_code == 303 and response.location == "/admin/users"
    user = account("nowa@urzad.example")
    assert user.role is Role.STAFF and user.name == "Nowa Osoba" and user.active
    assert [unit.slug for unit in user.units] == [matter.unit.slug, other_unit.slug]
    assert user.password_hash.startswith("$argon2") and user.check_password(PASSWORD)
    [entry] = logged("user.create")
    assert entry.before is None
    assert entry.after == {
        "email": "nowa@urzad.example",
        "name": "Nowa Osoba",
        "role": "staff",
        "units": [matter.unit.slug, other_unit.slug],
        "active": True,
    }
    assert "password" not in str(entry.after) and "argon2" not in str(entry.after)
    assert "nowa@urzad.example" in client.get("/admin/users").get_data(as_text=True)

    with app.test_client() as newcomer:  # the new account logs in with its password
        response = newcomer.post(
            "/login", data={"email": "nowa@urzad.example", "password": PASSWORD}
        )
        assert response.status_code == 302


def test_an_operator_needs_no_unit_and_units_sent_anyway_are_not_kept(client, admin, matter):
    data = new_account(role="operator", units=[matter.unit.slug])
    assert client.post("/admin/users/new", data=data).status_code == 303
    user = account("nowa@urzad.example")
    assert user.role is Role.OPERATOR and user.units == []


BAD_ACCOUNTS = {
    "duplicate e-mail": ({"email": "admin@urzad.example"}, "email", "already has an account"),
    "duplicate in other case": (
        {"email": "ADMIN@Urzad.Example"},
        "email",
        "already has an account",
    ),
    "no e-mail": ({"email": ""}, "email", "This field is required."),
    "bad e-mail": ({"email": "nowa-at-urzad"}, "email", "Enter an e-mail address"),
    "short password": ({"password": "123456789"}, "password", "Use 10 to 200 characters."),
    "no password": ({"password": ""}, "password", "This field is required."),
    "staff without unit": ({"units": []}, "units", "Unit staff need at least one unit."),
    "unknown unit": ({"units": ["nie-ma"]}, "units", "not a valid choice"),
    "unknown role": ({"role": "superuser"}, "role", "Not a valid choice"),
}


@pytest.mark.parametrize(("values", "field", "message"), BAD_ACCOUNTS.values(), ids=BAD_ACCOUNTS)
def test_a_bad_new_account_is_refused_with_a_message_at_the_field(
    client, admin, matter, values, field, message
):
    data = new_account(units=[matter.unit.slug]) | values
    response = client.post("/admin/users/new", data=data)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message.lower() in page.lower() and f'id="{field}-error"' in page
    assert PASSWORD not in page  # a password is never sent back
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(User.id))) == 1
    assert logged("user.create") == []


def test_role_units_and_name_are_changed_and_logged(client, admin, matter, make_user):
    operator = make_user("operator", name="Olek")
    data = {"name": "Olek Nowak", "role": "staff", "units": [matter.unit.slug]}
    response = client.post(f"/admin/users/{operator.id}", data=data)

    assert response.status_code == 303
    user = fresh(operator)
    assert user.role is Role.STAFF and [u.slug for u in user.units] == [matter.unit.slug]
    [entry] = logged("user.update")
    assert entry.target == f"user {user.email}"
    assert entry.before == {"name": "Olek", "role": "operator", "units": []}
    assert entry.after == {"name": "Olek Nowak", "role": "staff", "units": [matter.unit.slug]}


def test_an_edited_account_shows_its_current_values(client, admin, matter, make_user):
    staff = make_user("staff", units=[matter.unit], name="Stefa")
    page = client.get(f"/admin/users/{staff.id}").get_data(as_text=True)
    assert 'value="Stefa"' in page
    assert f'value="{matter.unit.slug}" checked' in page or "checked" in page
    assert '<option selected value="staff">' in page


def test_staff_edited_without_units_is_refused(client, admin, matter, make_user):
    staff = make_user("staff", units=[matter.unit])
    data = {"name": "", "role": "staff", "units": []}
    response = client.post(f"/admin/users/{staff.id}", data=data)
    assert "Unit staff need at least one unit." in response.get_data(as_text=True)
    assert [unit.id for unit in fresh(staff).units] == [matter.unit.id]


def test_an_administrator_cannot_demote_themselves(client, admin):
    for role in ("staff", "operator"):
        response = client.post(f"/admin/users/{admin.id}", data={"name": "A", "role": role})

        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "You cannot take the administrator role from yourself." in page
        assert 'id="role-error"' in page
    assert fresh(admin).role is Role.ADMIN and fresh(admin).name == "Anna Admin"
    assert logged("user.update") == []


def test_an_administrator_may_demote_another_administrator(client, admin, make_user):
    other = make_user("admin")
    response = client.post(f"/admin/users/{other.id}", data={"name": "", "role": "operator"})
    assert response.status_code == 303 and fresh(other).role is Role.OPERATOR


def test_an_account_is_disabled_and_enabled_again_and_both_are_logged(
    app, client, admin, make_user
):
    operator = make_user("operator")

    assert client.post(f"/admin/users/{operator.id}/disable").status_code == 303
    assert fresh(operator).active is False
    assert not logs_in(app, operator.email, "correct horse battery")
    assert "disabled" in client.get("/admin/users").get_data(as_text=True)

    assert client.post(f"/admin/users/{operator.id}/enable").status_code == 303
    assert fresh(operator).active is True
    assert logs_in(app, operator.email, "correct horse battery")
    [disabled] = logged("user.disable")
    [enabled] = logged("user.enable")
    assert (disabled.before, disabled.after) == ({"active": True}, {"active": False})
    assert (enabled.before, enabled.after) == ({"active": False}, {"active": True})


def test_an_administrator_cannot_disable_themselves(client, admin):
    response = client.post(f"/admin/users/{admin.id}/disable", follow_redirects=True)

    assert "You cannot disable your own account." in response.get_data(as_text=True)
    assert fresh(admin).active is True and logged("user.disable") == []


def test_a_new_password_is_set_ends_the_sessions_and_is_logged_without_the_hash(
    app, client, admin, make_user
):
    staff = make_user("operator")
    old_hash, old_sessions = staff.password_hash, staff.session_version
    data = {"password": PASSWORD, "repeat": PASSWORD}
    response = client.post(f"/admin/users/{staff.id}/password", data=data)

    assert response.status_code == 303
    user = fresh(staff)
    assert user.password_hash != old_hash and user.check_password(PASSWORD)
    assert user.session_version > old_sessions
    [entry] = logged("user.password")
    assert entry.before is None and entry.after == {"password": "(new)"}
    assert user.password_hash not in str(entry.after) and PASSWORD not in str(entry.after)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "short", "repeat": "short"}, "Use 10 to 200 characters."),
        ({"password": PASSWORD, "repeat": PASSWORD + "!"}, "The passwords differ."),
    ],
    ids=["short", "different"],
)
def test_a_bad_new_password_is_refused(client, admin, make_user, data, message):
    staff = make_user("operator")
    old_hash = staff.password_hash
    response = client.post(f"/admin/users/{staff.id}/password", data=data)
    assert message in response.get_data(as_text=True)
    assert fresh(staff).password_hash == old_hash and logged("user.password") == []


def test_an_e_mail_taken_between_the_check_and_the_save_is_refused_by_the_database(
    client, admin, matter, monkeypatch
):
    monkeypatch.setattr("app.admin.forms.email_taken", lambda *_: False)  # as if in a race
    data = new_account(email=admin.email, units=[matter.unit.slug])
    response = client.post("/admin/users/new", data=data)

    assert response.status_code == 200
    assert "This e-mail already has an account." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(User.id))) == 1
    assert logged("user.create") == []


def test_a_staff_member_made_an_operator_keeps_no_units(client, admin, matter, make_user):
    staff = make_user("staff", units=[matter.unit])
    data = {"name": "", "role": "operator", "units": [matter.unit.slug]}
    assert client.post(f"/admin/users/{staff.id}", data=data).status_code == 303
    user = fresh(staff)
    assert user.role is Role.OPERATOR and user.units == []
    [entry] = logged("user.update")
    assert entry.before == {"role": "staff", "units": [matter.unit.slug]}
    assert entry.after == {"role": "operator", "units": []}
