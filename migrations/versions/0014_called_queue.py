"""the called queue: when a visitor who arrived was called, and to which desk; set-up links
of kiosks expire

``visits.called_at`` and ``visits.called_to`` (the desk as the waiting room's screen names it).
``kiosks.pairing_expires_at``: a set-up link not yet opened works a week from now. Going back
drops them (the calls of the day are forgotten; the visits keep their states).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 15:25:00

"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa

import app.database  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('pairing_expires_at', app.database.UTCDateTime(), nullable=True)
        )
    week = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=7)
    op.get_bind().execute(
        sa.text(
            "UPDATE kiosks SET pairing_expires_at = :week WHERE pairing_hash IS NOT NULL"
        ).bindparams(sa.bindparam("week", type_=sa.DateTime())),
        {"week": week},
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('called_at', app.database.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column('called_to', sa.String(length=40), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('called_to')
        batch_op.drop_column('called_at')
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.drop_column('pairing_expires_at')
