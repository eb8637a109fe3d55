"""the languages a matter is served in, and helplines among its channels

``matters.languages``: the languages the unit serves a matter in besides Polish (a JSON list
of codes, empty for the existing matters until the catalog or an administrator says). The
channel kind ``helpline``: a number outside the office to call at once (112, the national
line for victims of domestic violence). Going back deletes the helpline channels (catalog
data, given again by the catalog) and drops the column.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

KINDS = ['email', 'phone', 'infoline', 'epuap', 'form', 'post']


def kind_check(kinds: list[str]) -> str:
    return "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")"


def upgrade():
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), server_default='[]', nullable=False))
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_channels_channel_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_channels_channel_kind'), kind_check([*KINDS, 'helpline'])
        )


def downgrade():
    op.execute("DELETE FROM channels WHERE kind = 'helpline'")
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_channels_channel_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_channels_channel_kind'), kind_check(KINDS))
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.drop_column('languages')
