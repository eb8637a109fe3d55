"""the day of the visit: kiosks at the entrances, check-in codes, queue numbers

``kiosks``: the devices an administrator sets up at a place (hashes of their one-time link and
of their own token only). ``queue_days``: the last queue number given at a place on a day.
``visits.check_in_code``: six digits typed at the kiosk, given to every visit still ahead (the
confirmations already sent do not carry it; the manage page and the reminder do).
``visits.queue_number``: the number given on arrival. ``locations.waiting_area``: where a
visitor who checked in waits; ``locations.no_show_after_minutes``: after how long a visit not
checked in counts as missed (none: the staff mark it). ``kiosk`` joins the doors of a change.
Going back drops all of it (the kiosks must be set up again; visits keep their states).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 14:33:19

"""
import secrets
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

import app.database  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

DOORS = ['online', 'infoline', 'staff']
STILL_AHEAD = "status IN ('held', 'requested', 'confirmed') AND ends_at > :now"


def doors_check(doors: list[str]) -> str:
    return "channel IN ({})".format(", ".join(f"'{door}'" for door in doors))


def set_doors(doors: list[str]) -> None:
    """The CHECK constraints of the doors (an enum stored as text) with ``doors``."""
    for table, enum_name in [('visits', 'visit_channel'), ('visit_changes', 'visit_change_channel')]:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_{enum_name}'), type_='check')
            batch_op.create_check_constraint(enum_name, doors_check(doors))


def upgrade():
    op.create_table(
        'kiosks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('location_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('pairing_hash', sa.String(length=64), nullable=True),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
        sa.Column('paired_at', app.database.UTCDateTime(), nullable=True),
        sa.Column('last_check_in_at', app.database.UTCDateTime(), nullable=True),
        sa.Column('revoked_at', app.database.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['location_id'], ['locations.id'],
            name=op.f('fk_kiosks_location_id_locations'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosks')),
        sa.UniqueConstraint('pairing_hash', name=op.f('uq_kiosks_pairing_hash')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_kiosks_token_hash')),
    )
    op.create_table(
        'queue_days',
        sa.Column('location_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('last_number', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['location_id'], ['locations.id'],
            name=op.f('fk_queue_days_location_id_locations'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('location_id', 'day', name=op.f('pk_queue_days')),
    )
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('waiting_area', sa.JSON(), nullable=False, server_default='{}')
        )
        batch_op.add_column(sa.Column('no_show_after_minutes', sa.Integer(), nullable=True))
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.alter_column('waiting_area', server_default=None)  # as the model: no default

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('check_in_code', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('queue_number', sa.Integer(), nullable=True))
    set_doors([*DOORS, 'kiosk'])

    connection = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # stored as UTC without a zone
    still_ahead = sa.text(f"SELECT id FROM visits WHERE {STILL_AHEAD}").bindparams(
        sa.bindparam("now", type_=sa.DateTime())
    )
    ahead = connection.execute(still_ahead, {"now": now})
    codes = [{"id": row.id, "code": f"{secrets.randbelow(10**6):06d}"} for row in ahead]
    if codes:
        connection.execute(
            sa.text("UPDATE visits SET check_in_code = :code WHERE id = :id"), codes
        )


def downgrade():
    # A change made at a kiosk had no door of its own before: counted as the visitor's.
    op.execute("UPDATE visit_changes SET channel = 'online' WHERE channel = 'kiosk'")
    set_doors(DOORS)
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_column('queue_number')
        batch_op.drop_column('check_in_code')
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_column('no_show_after_minutes')
        batch_op.drop_column('waiting_area')
    op.drop_table('queue_days')
    op.drop_table('kiosks')
