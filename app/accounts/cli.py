"""``flask users …``: create accounts, set passwords, disable them, make the demo accounts."""

import secrets

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.extensions import db
from app.matters.models import Unit

users_cli = AppGroup("users", help="Staff, operator and administrator accounts.")


def find_user(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None:
        raise click.ClickException(f"no account {email}")
    return user


def units_by_slug(slugs: tuple[str, ...]) -> list[Unit]:
    units = list(db.session.scalars(select(Unit).where(Unit.slug.in_(slugs))))
    missing = set(slugs) - {unit.slug for unit in units}
    if missing:
        raise click.ClickException(f"unknown units: {', '.join(sorted(missing))}")
    return units


def check_password(password: str) -> None:
    if len(password) < 10:
        raise click.ClickException("the password must have at least 10 characters")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--unit", "units", multiple=True, help="A unit slug (staff); repeat for more.")
@click.option("--name", default="")
def create(email: str, password: str, role: str, units: tuple[str, ...], name: str) -> None:
    """Create an account."""
    if db.session.scalar(select(User).where(func.lower(User.email) == email.lower())):
        raise click.ClickException(f"{email} already has an account")
    if Role(role) is Role.STAFF and not units:
        raise click.ClickException("staff accounts need at least one --unit")
    check_password(password)
    user = User(email=email, name=name, role=Role(role), units=units_by_slug(units))
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {role} {email}")


@users_cli.command("set-password")
@click.option("--email", required=True)
@click.option("--password", required=True)
def set_password(email: str, password: str) -> None:
    """Set a new password (the account's sessions end)."""
    check_password(password)
    user = find_user(email)
    user.set_password(password)
    db.session.commit()
    click.echo(f"password set for {email}")


@users_cli.command("disable")
@click.option("--email", required=True)
def disable(email: str) -> None:
    """Stop an account from logging in and end its sessions (its history stays)."""
    find_user(email).set_active(False)
    db.session.commit()
    click.echo(f"disabled {email}")


DEMO_ACCOUNTS = [
    ("admin@wizyta.example", Role.ADMIN, (), "Administrator (demo)"),
    ("fami@wizyta.example", Role.STAFF, ("integracja-cudzoziemcow",), "Pracownik FAMI (demo)"),
    ("koordynacja@wizyta.example", Role.STAFF, ("koordynacja",), "Pracownik koordynacji (demo)"),
    ("infolinia@wizyta.example", Role.OPERATOR, (), "Operator infolinii (demo)"),
]


@users_cli.command("demo")
def demo() -> None:
    """Create the demo accounts (or give them fresh passwords) and print them."""
    for email, role, unit_slugs, name in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, role=role, name=name, units=units_by_slug(unit_slugs))
            db.session.add(user)
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.set_active(True)
        click.echo(f"{role.value:9} {email:30} {password}")
    db.session.commit()
