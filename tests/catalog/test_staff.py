"""Course staff: who may choose it, the roles it has, and the course that always keeps an owner."""
from __future__ import annotations

import pytest

from lms.accounts.services import OPERATOR, PermissionDenied
from lms.catalog import services as catalog
from lms.catalog.models import StaffRole
from lms.extensions import db
from tests.factories import make_course, make_user


@pytest.fixture
def course(db_session):
    return make_course("civic-tech")


@pytest.fixture
def owner(course):
    user = make_user(role="trainer", name="Grace Banda", email="grace@example.org")
    catalog.add_staff(OPERATOR, course, user, "owner")
    return user


def _roles(course) -> dict[str, str]:
    return {member.user.email: member.role for member in catalog.staff_of(OPERATOR, course)}


def test_an_owner_adds_an_editor_who_then_runs_the_course(course, owner):
    editor = make_user(role="trainer", name="Joao Silva", email="joao@example.org")
    catalog.add_staff(owner, course, editor, "editor")
    assert _roles(course) == {"grace@example.org": "owner", "joao@example.org": "editor"}
    assert catalog.staff_role(editor, course) is StaffRole.EDITOR
    assert catalog.is_trainer(editor, course) and catalog.manages(editor, course)
    assert not catalog.may_manage_staff(editor, course)
    assert catalog.may_manage_staff(owner, course)


def test_editors_learners_and_other_courses_owners_may_not_change_the_staff(course, owner):
    editor = make_user(role="trainer", email="editor@example.org")
    catalog.add_staff(owner, course, editor, "editor")
    elsewhere = make_user(role="trainer", email="elsewhere@example.org")
    catalog.add_staff(OPERATOR, make_course("other-course"), elsewhere, "owner")
    newcomer = make_user(role="trainer", email="newcomer@example.org")
    learner = make_user(role="learner", email="learner@example.org")
    for actor in (editor, elsewhere, learner, None):
        with pytest.raises(PermissionDenied):
            catalog.add_staff(actor, course, newcomer, "editor")
        with pytest.raises(PermissionDenied):
            catalog.change_role(actor, course, editor, "owner")
        with pytest.raises(PermissionDenied):
            catalog.remove_staff(actor, course, owner)
    assert _roles(course) == {"grace@example.org": "owner", "editor@example.org": "editor"}
    for actor in (elsewhere, learner, None):
        with pytest.raises(PermissionDenied):
            catalog.staff_of(actor, course)
    assert [member.user for member in catalog.staff_of(editor, course)] == [owner, editor]


def test_admins_manage_the_staff_of_every_course(course):
    admin = make_user(role="admin", email="admin@example.org")
    trainer = make_user(role="trainer", email="trainer@example.org")
    catalog.add_staff(admin, course, trainer, "editor")
    catalog.change_role(admin, course, trainer, "owner")
    assert _roles(course) == {"trainer@example.org": "owner"}
    assert catalog.manages(admin, course) and not catalog.is_trainer(admin, course)


def test_only_trainers_join_a_staff_and_only_once(course, owner):
    learner = make_user(role="learner", name="Amina Diallo", email="learner@example.org")
    admin = make_user(role="admin", name="Ada Admin", email="admin@example.org")
    cases = [(learner, "has a learner's account"), (admin, "already runs every course"),
             (owner, "already on this course's staff"), (None, "No account has this email address")]
    for user, message in cases:
        with pytest.raises(catalog.StaffError, match=message) as refused:
            catalog.add_staff(owner, course, user, "editor")
        assert refused.value.field == "email"
    with pytest.raises(catalog.StaffError) as unknown_role:
        catalog.add_staff(owner, course, make_user(role="trainer"), "admin")
    assert unknown_role.value.field == "role"
    assert _roles(course) == {"grace@example.org": "owner"}


def test_an_owner_may_not_remove_or_demote_the_last_owner(course, owner):
    with pytest.raises(catalog.StaffError, match="A course needs an owner"):
        catalog.remove_staff(owner, course, owner)
    with pytest.raises(catalog.StaffError, match="A course needs an owner"):
        catalog.change_role(owner, course, owner, "editor")
    assert _roles(course) == {"grace@example.org": "owner"}

    second = make_user(role="trainer", email="second@example.org")
    catalog.add_staff(owner, course, second, "owner")
    catalog.change_role(owner, course, owner, "editor")
    assert _roles(course) == {"second@example.org": "owner", "grace@example.org": "editor"}
    # Now an editor, Grace no longer chooses the staff.
    with pytest.raises(PermissionDenied):
        catalog.remove_staff(owner, course, second)
    catalog.remove_staff(second, course, owner)
    assert _roles(course) == {"second@example.org": "owner"}


def test_an_admin_may_remove_the_last_owner(course, owner):
    catalog.remove_staff(make_user(role="admin"), course, owner)
    db.session.flush()
    assert _roles(course) == {}
    assert not catalog.manages(owner, course)


def test_changing_or_removing_someone_not_on_the_staff_is_refused(course, owner):
    stranger = make_user(role="trainer", name="Nadia Haddad", email="nadia@example.org")
    with pytest.raises(catalog.StaffError, match="Nadia Haddad is not on this course's staff"):
        catalog.change_role(owner, course, stranger, "owner")
    with pytest.raises(catalog.StaffError):
        catalog.remove_staff(owner, course, stranger)


def test_the_courses_a_user_runs(course, owner):
    other = make_course("other-course")
    catalog.add_staff(OPERATOR, other, owner, "editor")
    make_course("third-course")
    assert [(c.slug, role) for c, role in catalog.courses_run_by(owner)] == [
        ("civic-tech", StaffRole.OWNER), ("other-course", StaffRole.EDITOR)]
    assert catalog.runs_any_course(owner)

    admin = make_user(role="admin")
    assert [(c.slug, role) for c, role in catalog.courses_run_by(admin)] == [
        ("civic-tech", None), ("other-course", None), ("third-course", None)]
    assert catalog.runs_any_course(admin)

    idle = make_user(role="trainer")
    assert catalog.courses_run_by(idle) == [] and not catalog.runs_any_course(idle)
    learner = make_user(role="learner")
    assert not catalog.runs_any_course(learner)
    with pytest.raises(PermissionDenied):
        catalog.courses_run_by(learner)


def test_a_trainer_who_became_a_learner_runs_nothing(course, owner):
    owner.role = "learner"
    db.session.flush()
    assert catalog.staff_role(owner, course) is None and not catalog.manages(owner, course)


def test_enrolment_counts(course):
    other = make_course("other-course")
    for _ in range(2):
        catalog.enroll(make_user(), course)
    assert catalog.enrollment_counts([course, other]) == {course.id: 2, other.id: 0}


def test_the_trainers_command_sets_roles_and_keeps_working(app, db_session):
    make_course("civic-tech")
    make_user(role="trainer", name="Grace Banda", email="grace@example.org")
    make_user(role="trainer", name="Joao Silva", email="joao@example.org")
    db.session.commit()
    runner = app.test_cli_runner()

    def run(*args):
        return runner.invoke(args=["trainers", *args])

    assert run("add", "civic-tech", "grace@example.org").output.strip() == "grace@example.org runs civic-tech as owner."
    editor = run("add", "civic-tech", "joao@example.org", "--role", "editor")
    assert editor.exit_code == 0 and "as editor" in editor.output
    assert run("list", "civic-tech").output.splitlines() == [
        "grace@example.org  owner  Grace Banda", "joao@example.org  editor  Joao Silva"]

    # Adding again with another role changes it, as an operator may.
    assert run("add", "civic-tech", "joao@example.org", "--role", "owner").exit_code == 0
    assert run("add", "civic-tech", "grace@example.org", "--role", "editor").exit_code == 0
    assert run("list", "civic-tech").output.splitlines() == [
        "joao@example.org  owner  Joao Silva", "grace@example.org  editor  Grace Banda"]
    assert run("add", "civic-tech", "grace@example.org", "--role", "admin").exit_code == 2

    # The command acts as an administrator: it may remove the last owner.
    assert run("remove", "civic-tech", "joao@example.org").exit_code == 0
    assert run("remove", "civic-tech", "joao@example.org").output.strip() == "joao@example.org did not run civic-tech."
    assert run("list", "civic-tech").output.splitlines() == ["grace@example.org  editor  Grace Banda"]
