"""matter settings limits: every numeric setting within its range, lead time before the horizon

The matters' CHECK constraints become those of app/matters/settings.py (the loader and the
administrators' form check the same): BETWEEN lowest AND highest for every setting, slot lengths
in 5-minute steps, phone desks at most the desks, the lead time shorter than the horizon.
Autogenerate does not compare CHECK constraints, so this script is written by hand; the
conditions are copied here, not imported, so that the migration keeps meaning what it meant
when later limits change. A matter outside the new limits stops the upgrade before anything
changes and is named, to be corrected first: the admin form already kept to these ranges (not
to the 5-minute step), but ``catalog load`` took any value from 1 (or 0) upwards.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:06:35.131979

"""
from alembic import op
import sqlalchemy as sa

import app.database  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

OLD_CHECKS = {
    'slot_minutes_positive': 'slot_minutes > 0',
    'desks_positive': 'desks > 0',
    'lead_days_not_negative': 'lead_days >= 0',
    'horizon_days_positive': 'horizon_days > 0',
    'retention_days_positive': 'retention_days > 0',
    'phone_desks_in_range': 'phone_desks >= 0 AND phone_desks <= desks',
    'phone_release_days_not_negative': 'phone_release_days >= 0',
}
NEW_CHECKS = {
    'slot_minutes_range': 'slot_minutes BETWEEN 5 AND 240',
    'slot_minutes_step': 'slot_minutes % 5 = 0',
    'desks_range': 'desks BETWEEN 1 AND 50',
    'phone_desks_range': 'phone_desks BETWEEN 0 AND 50',
    'phone_release_days_range': 'phone_release_days BETWEEN 0 AND 365',
    'lead_days_range': 'lead_days BETWEEN 0 AND 364',
    'horizon_days_range': 'horizon_days BETWEEN 1 AND 365',
    'retention_days_range': 'retention_days BETWEEN 1 AND 3650',
    'phone_desks_within_desks': 'phone_desks <= desks',
    'lead_days_before_horizon': 'lead_days < horizon_days',
}


def refuse_matters_outside(checks):
    """Stop (RuntimeError: ``flask db upgrade`` prints it) if a matter breaks a new check."""
    broken = [
        f'{slug} ({condition})'
        for condition in checks.values()
        for slug in op.get_bind().scalars(
            sa.text(f'SELECT slug FROM matters WHERE NOT ({condition}) ORDER BY slug')
        )
    ]
    if broken:
        raise RuntimeError(
            'these matters are outside the new limits; correct them (in /admin/matters) and '
            'upgrade again: ' + ', '.join(broken)
        )


def replace_checks(old, new):
    with op.batch_alter_table('matters', schema=None) as batch_op:
        for name in old:
            batch_op.drop_constraint(op.f(f'ck_matters_{name}'), type_='check')
        for name, condition in new.items():
            batch_op.create_check_constraint(op.f(f'ck_matters_{name}'), condition)


def upgrade():
    refuse_matters_outside(NEW_CHECKS)
    replace_checks(OLD_CHECKS, NEW_CHECKS)


def downgrade():
    # The old checks are looser: every matter that passes the new ones passes them.
    replace_checks(NEW_CHECKS, OLD_CHECKS)
