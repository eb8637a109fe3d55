"""text messages in the outbox

``outbox_messages.medium``: how a message goes, "email" (every message so far) or "sms" (a text
message through the SMS gateway). ``outbox_pauses.medium``: which medium a pause stops; one pause
open at a time per medium (``uq_outbox_pauses_medium_current``, where one for all was before).
Going back deletes the text messages and their pauses (an e-mail sender would take them for
e-mails to a phone number), then drops the columns.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 20:40:00

"""
from alembic import op
import sqlalchemy as sa

import app.database  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def medium(name: str) -> sa.Column:
    """As ``app.database.enum_column`` stores an enum: text with a CHECK constraint."""
    kind = sa.Enum('email', 'sms', name=name, native_enum=False, create_constraint=True, length=16)
    return sa.Column('medium', kind, server_default='email', nullable=False)


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(medium('message_medium'))
    with op.batch_alter_table('outbox_pauses', schema=None) as batch_op:
        batch_op.add_column(medium('pause_medium'))
        batch_op.drop_constraint(batch_op.f('uq_outbox_pauses_current'), type_='unique')
        batch_op.create_unique_constraint('uq_outbox_pauses_medium_current', ['medium', 'current'])


def downgrade():
    op.execute("DELETE FROM outbox_messages WHERE medium = 'sms'")
    op.execute("DELETE FROM outbox_pauses WHERE medium = 'sms'")
    with op.batch_alter_table('outbox_pauses', schema=None) as batch_op:
        batch_op.drop_constraint('uq_outbox_pauses_medium_current', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_pauses_current'), ['current'])
        batch_op.drop_constraint(batch_op.f('ck_outbox_pauses_pause_medium'), type_='check')
        batch_op.drop_column('medium')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_message_medium'), type_='check')
        batch_op.drop_column('medium')
