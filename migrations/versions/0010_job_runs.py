"""the scheduler's last run per job

One row per job: when it last succeeded (and how many rows it handled), when it last failed
and with what kind of error. The administrators' start page and /metrics read it to tell that
the scheduler has stopped. Nothing personal; going back drops the table.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:31:21.242313

"""
from alembic import op
import sqlalchemy as sa

import app.database  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_runs',
    sa.Column('job', sa.String(length=64), nullable=False),
    sa.Column('last_success_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('last_done', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_failure_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=120), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('job', name=op.f('pk_job_runs'))
    )


def downgrade():
    op.drop_table('job_runs')
