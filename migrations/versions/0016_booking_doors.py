"""a booking's door in the history is its visit's

0012 filled in the door of the history already kept from each change's actor, so a visit an
administrator booked at the infoline counted its booking as the unit's. A booking (the first
change, from no state) came through the door its visit records: this sets it so, for databases
that ran 0012 before it said so (for the others it changes nothing). The later changes keep the
door of their actor's account. Going back keeps the corrected doors (they are the true ones).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 20:35:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE visit_changes SET channel = "
        "(SELECT visits.channel FROM visits WHERE visits.id = visit_changes.visit_id) "
        "WHERE from_status IS NULL AND actor <> 'scheduler'"
    )


def downgrade():
    pass
