"""The create-user command, and PermissionDenied answered as 403."""
from __future__ import annotations

from lms import create_app
from lms.accounts import services
from lms.accounts.models import Role
from tests.accounts.conftest import PASSWORD


def test_create_user_reads_the_password_from_stdin(app, db_session):
    result = app.test_cli_runner().invoke(args=["create-user", "Trainer@Example.org", "--role", "trainer"],
                                          input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Created trainer trainer@example.org." in result.output
    user = services.authenticate("trainer@example.org", PASSWORD)
    assert user is not None and user.role == Role.TRAINER and user.name == "Trainer"


def test_create_user_explains_a_refusal(app, make_user):
    make_user(email="taken@example.org")
    runner = app.test_cli_runner()
    duplicate = runner.invoke(args=["create-user", "taken@example.org"], input=f"{PASSWORD}\n")
    assert duplicate.exit_code == 1
    assert "An account with this email already exists." in duplicate.output
    weak = runner.invoke(args=["create-user", "new@example.org", "--name", "New"], input="short\n")
    assert weak.exit_code == 1
    assert "Use at least 10 characters for your password." in weak.output
    assert services.find_user("new@example.org") is None


def test_permission_denied_is_answered_with_403():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")

    @app.get("/trainers-only")
    def trainers_only():
        services.require_role(None, Role.TRAINER)

    response = app.test_client().get("/trainers-only")
    assert response.status_code == 403
    assert "You cannot open this page" in response.get_data(as_text=True)
