"""Attempts: append-only record of assessment submissions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 07:10:14.206277

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('usage_id', sa.String(length=255), nullable=False),
    sa.Column('block_type', sa.String(length=100), nullable=False),
    sa.Column('attempt_id', sa.String(length=64), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('question_set', sa.String(length=100), nullable=False),
    sa.Column('earned', sa.Double(), nullable=False),
    sa.Column('possible', sa.Double(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('responses', sa.JSON(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_attempts_course_id_courses')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attempts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempts')),
    sa.UniqueConstraint('user_id', 'course_id', 'usage_id', 'attempt_id', name=op.f('uq_attempts_user_id_course_id_usage_id_attempt_id'))
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index('ix_attempts_course_question_set', ['course_id', 'question_set'], unique=False)



def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_course_question_set')

    op.drop_table('attempts')
