"""Course staff with roles: course_trainers becomes course_staff, every trainer an owner.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_staff',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('owner', 'editor')", name=op.f('ck_course_staff_role')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_staff_course_id_courses')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_staff_user_id_users')),
    sa.PrimaryKeyConstraint('course_id', 'user_id', name=op.f('pk_course_staff'))
    )
    with op.batch_alter_table('course_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_staff_user_id'), ['user_id'], unique=False)

    # Every trainer so far could do all a trainer can: they become owners, so nobody loses a right
    # and every course that had trainers has someone to choose its staff.
    op.execute("INSERT INTO course_staff (course_id, user_id, role, added_at) "
               "SELECT course_id, user_id, 'owner', added_at FROM course_trainers")

    with op.batch_alter_table('course_trainers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_trainers_user_id'))
    op.drop_table('course_trainers')


def downgrade():
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

    # Owners and editors alike ran the course: all stay its trainers.
    op.execute("INSERT INTO course_trainers (course_id, user_id, added_at) "
               "SELECT course_id, user_id, added_at FROM course_staff")

    with op.batch_alter_table('course_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_staff_user_id'))
    op.drop_table('course_staff')
