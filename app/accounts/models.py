"""Staff accounts (administrators, unit staff, infoline operators) and the audit log."""

import enum
import functools
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import JSON, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.matters.models import Unit

PASSWORDS = PasswordHasher()  # Argon2id with the library's current recommended parameters


class Role(enum.StrEnum):
    ADMIN = "admin"
    STAFF = "staff"  # of one or more units
    OPERATOR = "operator"  # the infoline


user_units = Table(
    "user_units",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    active: Mapped[bool] = mapped_column(default=True)
    # Raised to end every session of the account (see ``app.accounts.sessions``).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    units: Mapped[list[Unit]] = relationship(secondary=user_units, order_by=Unit.id)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:  # what the session cookie keeps
        return f"{self.id}.{self.session_version}"

    def set_password(self, password: str) -> None:
        """A new password: the sessions opened with the old one end."""
        self.password_hash = PASSWORDS.hash(password)
        self.end_sessions()

    def set_active(self, active: bool) -> None:
        """Enable or disable the account; a disabled account's sessions end for good."""
        self.active = active
        if not active:
            self.end_sessions()

    def end_sessions(self) -> None:
        """Every session of the account, on every device, ends with its next request."""
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        if not password_matches(self.password_hash, password):
            return False
        if PASSWORDS.check_needs_rehash(self.password_hash):
            self.password_hash = PASSWORDS.hash(password)  # the same password, stronger
        return True

    def has_unit(self, unit_id: int) -> bool:
        return self.role is Role.ADMIN or any(unit.id == unit_id for unit in self.units)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return PASSWORDS.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def unknown_account_hash() -> str:
    """Checked against for an address with no account, so that the answer takes as long."""
    return PASSWORDS.hash(secrets.token_urlsafe(16))


class AuditEntry(db.Model):
    """Who did what to which record, with the values before and after."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(254))  # kept if the account goes
    action: Mapped[str] = mapped_column(String(64), index=True)  # e.g. "visit.confirm"
    target: Mapped[str] = mapped_column(String(120), default="")  # e.g. "visit WP-7K3D9Q"
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()
