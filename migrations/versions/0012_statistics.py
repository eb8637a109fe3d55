"""what the statistics need: the offer kept day by day, and who changed a visit

``offered_desks``: the desk-slots each matter offered at each location per hour of a local day,
recorded by the scheduler as the day went (a later change of hours does not rewrite them).
``free_date_samples``: how many days ahead the first free time was, once a day per matter and
location. ``ix_visits_statistics`` and ``ix_visit_changes_endings``: the statistics count
visits from the first alone and find who ended a visit through the second.
``visit_changes.channel``: the door a change came through (NULL: the scheduler),
filled in for the history already kept from its actor: "citizen" came online, an operator's
address through the infoline, any other address through the unit's staff. Going back drops
the tables and the column (the figures recorded are lost; the visits are not).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def place_columns():
    return [
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('matter_id', sa.Integer(), nullable=False),
        sa.Column('location_id', sa.Integer(), nullable=False),
    ]


def place_keys(table: str):
    return [
        sa.ForeignKeyConstraint(
            ['location_id'], ['locations.id'],
            name=op.f(f'fk_{table}_location_id_locations'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['matter_id'], ['matters.id'],
            name=op.f(f'fk_{table}_matter_id_matters'), ondelete='CASCADE',
        ),
    ]


def upgrade():
    op.create_table(
        'offered_desks',
        *place_columns(),
        sa.Column('hour', sa.Integer(), nullable=False),
        sa.Column('desk_slots', sa.Integer(), nullable=False),
        sa.CheckConstraint('hour BETWEEN 0 AND 23', name=op.f('ck_offered_desks_hour_of_day')),
        *place_keys('offered_desks'),
        sa.PrimaryKeyConstraint(
            'day', 'matter_id', 'location_id', 'hour', name=op.f('pk_offered_desks')
        ),
    )
    op.create_table(
        'free_date_samples',
        *place_columns(),
        sa.Column('days_ahead', sa.Integer(), nullable=True),
        *place_keys('free_date_samples'),
        sa.PrimaryKeyConstraint(
            'day', 'matter_id', 'location_id', name=op.f('pk_free_date_samples')
        ),
    )
    with op.batch_alter_table('visit_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.Enum(
            'online', 'infoline', 'staff', name='visit_change_channel', native_enum=False,
            create_constraint=True, length=16,
        ), nullable=True))
    op.create_index(
        'ix_visits_statistics', 'visits',
        ['matter_id', 'location_id', 'status', 'channel', 'language', 'starts_at', 'created_at'],
    )
    op.execute("UPDATE visit_changes SET channel = 'online' WHERE actor = 'citizen'")
    op.execute(
        "UPDATE visit_changes SET channel = 'infoline' WHERE actor IN "
        "(SELECT email FROM users WHERE role = 'operator')"
    )
    op.execute(
        "UPDATE visit_changes SET channel = 'staff' "
        "WHERE channel IS NULL AND actor <> 'scheduler'"
    )
    op.create_index(
        'ix_visit_changes_endings', 'visit_changes', ['to_status', 'visit_id', 'channel']
    )


def downgrade():
    op.drop_index('ix_visit_changes_endings', table_name='visit_changes')
    op.drop_index('ix_visits_statistics', table_name='visits')
    with op.batch_alter_table('visit_changes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_visit_changes_visit_change_channel'), type_='check')
        batch_op.drop_column('channel')
    op.drop_table('free_date_samples')
    op.drop_table('offered_desks')
