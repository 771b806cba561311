"""Certificate credentials: the signed Open Badges 3.0 credential (VC-JWT) kept with each certificate.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 08:11:46.719458

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: certificates issued before signing existed have no credential.
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credential', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('credential')
