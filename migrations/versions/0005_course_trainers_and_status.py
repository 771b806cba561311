"""Course trainers, who revoked a certificate, and each certificate's bit in the revocation status lists.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 08:57:46.930483

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_trainers',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_trainers_course_id_courses')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_trainers_user_id_users')),
    sa.PrimaryKeyConstraint('course_id', 'user_id', name=op.f('pk_course_trainers'))
    )
    with op.batch_alter_table('course_trainers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_trainers_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        # Nullable: credentials signed before they carried a status have no bit in the lists.
        batch_op.add_column(sa.Column('status_index', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_status_index'), ['status_index'])
        batch_op.create_foreign_key(batch_op.f('fk_certificates_revoked_by_id_users'), 'users', ['revoked_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificates_revoked_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_certificates_status_index'), type_='unique')
        batch_op.drop_column('status_index')
        batch_op.drop_column('revoked_by_id')

    with op.batch_alter_table('course_trainers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_trainers_user_id'))

    op.drop_table('course_trainers')
