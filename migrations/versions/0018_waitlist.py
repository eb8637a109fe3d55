"""the waitlist: places in the line of a matter's full day at one place

``waitlist_entries``: who waits (name, e-mail, language), for which matter, place and day, since
when, in which state (unconfirmed until their e-mail's link is opened, waiting, offered a desk
held by ``visit_id``, taken, lapsed, left), the key of their links and the Message-ID of the
e-mail that told them they joined. Entries of days gone by are deleted by the scheduler, with
that e-mail. Going back drops the table (the lines are lost; the offered visits stand).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 20:50:00

"""
from alembic import op
import sqlalchemy as sa

import app.database  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

STATES = ('unconfirmed', 'waiting', 'offered', 'taken', 'lapsed', 'left')


def upgrade():
    op.create_table(
        'waitlist_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('matter_id', sa.Integer(), nullable=False),
        sa.Column('location_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column(
            'status',
            sa.Enum(
                *STATES, name='waitlist_status', native_enum=False, create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('email_key', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('message_id', sa.String(length=250), nullable=True),
        sa.Column('visit_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['location_id'], ['locations.id'],
            name=op.f('fk_waitlist_entries_location_id_locations'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['matter_id'], ['matters.id'],
            name=op.f('fk_waitlist_entries_matter_id_matters'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['visit_id'], ['visits.id'],
            name=op.f('fk_waitlist_entries_visit_id_visits'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_waitlist_entries')),
    )
    with op.batch_alter_table('waitlist_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_waitlist_entries_email_key'), ['email_key'])
        batch_op.create_index(
            'ix_waitlist_line', ['matter_id', 'location_id', 'day', 'status', 'id']
        )
        batch_op.create_index('ix_waitlist_status_day', ['status', 'day'])


def downgrade():
    op.drop_table('waitlist_entries')
