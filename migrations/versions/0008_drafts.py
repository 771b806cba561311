"""Courses' working drafts in the studio: one per course, its content as a package holds it, and a revision.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 00:33:40.333576

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('base_version_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['base_version_id'], ['course_versions.id'], name=op.f('fk_drafts_base_version_id_course_versions')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_drafts_course_id_courses')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_drafts_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts')),
    sa.UniqueConstraint('course_id', name=op.f('uq_drafts_course_id'))
    )


def downgrade():
    op.drop_table('drafts')
