"""Revocation: admins and the course's staff, with a reason, never a deletion, once; by the command line too."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.accounts.services import PermissionDenied
from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.certificates import services as certificates
from lms.certificates.models import Certificate
from lms.extensions import db
from tests.factories import make_course, make_user


@pytest.mark.parametrize("role", ["admin", "owner", "editor"])
def test_admins_and_the_course_staff_revoke_with_a_reason(issued, role):
    actor = make_user(role="admin" if role == "admin" else "trainer", email=f"{role}@example.org")
    if role != "admin":
        catalog.add_staff(OPERATOR, issued.course, actor, role)
    revoked = certificates.revoke(actor, issued, "  Plagiarised adaptation plan ")
    assert revoked.revoked and revoked.revoked_reason == "Plagiarised adaptation plan"
    assert revoked.revoked_by == actor
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_a_trainer_of_another_course_may_not_revoke(issued):
    other = make_course("civic-tech")
    trainer = make_user(role="trainer", email="trainer@example.org")
    catalog.add_staff(OPERATOR, other, trainer, "editor")
    with pytest.raises(PermissionDenied):
        certificates.revoke(trainer, issued, "Not my course")
    assert not issued.revoked


def test_learners_and_anonymous_users_may_not_revoke(issued):
    with pytest.raises(PermissionDenied):
        certificates.revoke(make_user(role="learner"), issued, "Because")
    with pytest.raises(PermissionDenied):
        certificates.revoke(None, issued, "Because")
    assert not issued.revoked


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 1001])
def test_a_reason_is_required(issued, reason):
    with pytest.raises(certificates.RevocationError):
        certificates.revoke(make_user(role="admin"), issued, reason)
    assert not issued.revoked


def test_revoking_again_keeps_the_first_date_and_reason(issued):
    admin = make_user(role="admin")
    first = certificates.revoke(admin, issued, "First reason")
    when = first.revoked_at
    again = certificates.revoke(admin, issued, "Second reason")
    assert again.revoked_at == when and again.revoked_reason == "First reason"


def test_the_command_revokes_and_the_page_and_verifier_show_it(app, client, issued, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["revoke-certificate", issued.public_id, "--reason", "Identity fraud"])
    assert result.exit_code == 0, result.output
    assert f"Revoked certificate {issued.public_id}" in result.output
    db.session.expire_all()
    assert db.session.get(Certificate, issued.id).revoked_reason == "Identity fraud"

    page = client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    assert "This certificate was revoked on" in page

    path = tmp_path / "credential.jwt"
    path.write_text(db.session.get(Certificate, issued.id).credential)
    verified = runner.invoke(args=["verify-certificate", str(path)])
    assert verified.exit_code == 1 and "REVOKED on" in verified.output and "Identity fraud" in verified.output

    again = runner.invoke(args=["revoke-certificate", issued.public_id, "--reason", "Something else"])
    assert again.exit_code == 0 and "already revoked" in again.output and "Identity fraud" in again.output


def test_the_command_needs_a_known_id_and_a_reason(app, issued):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["revoke-certificate", "no-such-id", "--reason", "x"]).exit_code == 1
    assert runner.invoke(args=["revoke-certificate", issued.public_id]).exit_code == 2
    blank = runner.invoke(args=["revoke-certificate", issued.public_id, "--reason", " "])
    assert blank.exit_code == 1 and "Give the reason" in blank.output


def test_public_ids_never_look_like_a_command_line_option():
    assert not any(certificates.new_public_id().startswith("-") for _ in range(2000))
