"""Studio fixtures: a published course with its staff, and the people who try the studio's pages."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from lms.accounts.models import User
from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.catalog.models import Course
from tests.factories import make_course, make_user


@dataclass(frozen=True)
class Studio:
    """A course run by an owner and an editor, another course with an owner of its own, an admin, a learner."""

    course: Course
    other: Course
    owner: User
    editor: User
    second_editor: User
    other_owner: User
    admin: User
    learner: User
    newcomer: User  # a trainer on no course's staff


@pytest.fixture
def studio(db_session) -> Studio:
    course = make_course("civic-tech")
    other = make_course("other-course")
    owner = make_user("trainer", name="Grace Banda", email="grace@example.org")
    editor = make_user("trainer", name="Joao Silva", email="joao@example.org")
    second_editor = make_user("trainer", name="Fatima Zahra", email="fatima@example.org")
    other_owner = make_user("trainer", name="Ama Owusu", email="ama@example.org")
    catalog.add_staff(OPERATOR, course, owner, "owner")
    catalog.add_staff(OPERATOR, course, editor, "editor")
    catalog.add_staff(OPERATOR, course, second_editor, "editor")
    catalog.add_staff(OPERATOR, other, other_owner, "owner")
    return Studio(
        course=course, other=other, owner=owner, editor=editor, second_editor=second_editor, other_owner=other_owner,
        admin=make_user("admin", name="Ada Admin", email="admin@example.org"),
        learner=make_user("learner", name="Lea Learner", email="lea@example.org"),
        newcomer=make_user("trainer", name="Nia Newcomer", email="nia@example.org"),
    )
