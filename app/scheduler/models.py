"""What the scheduler last did, per job: what tells an administrator (and a monitor) that it
has stopped, wherever it runs."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime
from app.extensions import db


class JobRun(db.Model):
    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Rows the last successful run handled.
    last_done: Mapped[int] = mapped_column(default=0, server_default="0")
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The type of the last failure's exception (never its message: it may hold personal data).
    last_error: Mapped[str] = mapped_column(String(120), default="", server_default="")
