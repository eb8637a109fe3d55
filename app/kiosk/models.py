"""The devices at the entrances: each a tablet bound to one place, with no staff login on it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, transaction_memo, utcnow
from app.extensions import db
from app.matters.models import Location


class Kiosk(db.Model):
    """A kiosk is set up by opening its one-time link (``pairing_hash``) on the device, which
    then keeps a token of its own in a cookie (``token_hash``). Only hashes are stored: the
    database read by somebody else sets up no device."""

    __tablename__ = "kiosks"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))  # "Entrance A", as the office calls it
    pairing_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pairing_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_check_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # is it in use?
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    location: Mapped[Location] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def kiosks_since() -> dict[int, datetime]:
    """The places where visitors check in at a kiosk, each with when its first kiosk now in
    use was set up (one not set up yet, or withdrawn, does not count). Read once a
    transaction."""
    memo = transaction_memo(db.session)
    if "kiosk places" not in memo:
        query = (
            select(Kiosk.location_id, func.min(Kiosk.paired_at))
            .where(Kiosk.revoked_at.is_(None), Kiosk.token_hash.is_not(None))
            .group_by(Kiosk.location_id)
        )
        memo["kiosk places"] = dict(db.session.execute(query).all())
    return memo["kiosk places"]
