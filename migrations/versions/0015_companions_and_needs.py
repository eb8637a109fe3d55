"""companions and needs declared at booking, and the case's reference

``visits.companion`` (a parent or guardian, an assistant, an interpreter: the one person the
rules allow besides the visitor), ``visits.sign_language`` (PJM, SJM or SKOGN: the office
arranges the interpreter), ``visits.step_free`` and ``visits.more_time``; ``visits.case_reference``
("znak sprawy"), asked for where ``matters.asks_case_reference`` says so. Visits booked before
declared nothing; no matter asks until the catalog or an administrator says so. Going back drops
all of it (what visitors declared is lost; their visits stand).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 19:56:10

"""
from alembic import op
import sqlalchemy as sa

import app.database  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def stored_enum(name: str, *values: str) -> sa.Enum:
    """As ``app.database.enum_column`` stores an enum: text with a CHECK constraint."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=16)


def upgrade():
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('asks_case_reference', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'companion',
                stored_enum('visit_companion', 'guardian', 'assistant', 'interpreter'),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                'sign_language',
                stored_enum('visit_sign_language', 'pjm', 'sjm', 'skogn'),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column('step_free', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('more_time', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column('case_reference', sa.String(length=40), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        # SQLite copies the table with its CHECK constraints: those of the columns go first.
        batch_op.drop_constraint(batch_op.f('ck_visits_visit_companion'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_visits_visit_sign_language'), type_='check')
        batch_op.drop_column('case_reference')
        batch_op.drop_column('more_time')
        batch_op.drop_column('step_free')
        batch_op.drop_column('sign_language')
        batch_op.drop_column('companion')
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.drop_column('asks_case_reference')
