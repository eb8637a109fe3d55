"""Staff accounts (administrators, unit staff, infoline operators) and the audit log."""

import enum
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
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    units: Mapped[list[Unit]] = relationship(secondary=user_units, order_by=Unit.id)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = PASSWORDS.hash(password)

    def check_password(self, password: str) -> bool:
        try:
            PASSWORDS.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if PASSWORDS.check_needs_rehash(self.password_hash):
            self.set_password(password)
        return True

    def has_unit(self, unit_id: int) -> bool:
        return self.role is Role.ADMIN or any(unit.id == unit_id for unit in self.units)


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
