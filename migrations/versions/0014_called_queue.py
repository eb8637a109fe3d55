"""the called queue: when a visitor who arrived was called, and to which desk

``visits.called_at`` and ``visits.called_to`` (the desk as the waiting room's screen names it).
Going back drops both (the calls of the day are forgotten; the visits keep their states).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 15:25:00

"""
from alembic import op
import sqlalchemy as sa

import app.database  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('called_at', app.database.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column('called_to', sa.String(length=40), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('called_to')
        batch_op.drop_column('called_at')
