"""Trainers' certificate pages: who may see and revoke a course's certificates, through the real forms."""
from __future__ import annotations

import pytest

from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.certificates.models import Certificate
from lms.extensions import db
from tests.factories import csrf_token_from, make_course, make_user, sign_in


@pytest.fixture
def trainer(issued):
    user = make_user(role="trainer", name="Grace Banda", email="grace@example.org")
    catalog.add_staff(OPERATOR, issued.course, user, "editor")
    db.session.commit()
    return user


def _list_page(client, slug="public-service-innovation", **query):
    return client.get(f"/courses/{slug}/certificates", query_string=query)


def _revoke(client, certificate, reason, page=None):
    page = page or _list_page(client, q=certificate.public_id).get_data(as_text=True)
    return client.post(f"/certificates/{certificate.public_id}/revoke",
                       data={"reason": reason, "csrf_token": csrf_token_from(page)})


def _reloaded(certificate) -> Certificate:
    db.session.expire_all()
    return db.session.get(Certificate, certificate.id)


def test_a_trainer_lists_and_revokes_a_certificate_of_their_course(client, issued, trainer):
    sign_in(client, trainer)
    page = _list_page(client).get_data(as_text=True)
    assert "Amina Diallo" in page and issued.public_id in page and "Revoke this certificate" in page
    assert 'required maxlength="1000"' in page

    response = _revoke(client, issued, "Submitted another person's adaptation plan", page)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/courses/public-service-innovation/certificates?q={issued.public_id}")
    revoked = _reloaded(issued)
    assert revoked.revoked and revoked.revoked_by_id == trainer.id
    assert revoked.revoked_reason == "Submitted another person's adaptation plan"

    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Certificate {issued.public_id} has been revoked." in after
    assert "by Grace Banda" in after and "Submitted another person&#39;s adaptation plan" in after
    public = client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    assert "This certificate was revoked on" in public


def test_a_revocation_without_a_valid_csrf_token_changes_nothing(client, issued, trainer):
    sign_in(client, trainer)
    response = client.post(f"/certificates/{issued.public_id}/revoke", data={"reason": "Forged request"})
    assert response.status_code == 400
    assert not _reloaded(issued).revoked


def test_an_empty_reason_is_refused_with_a_message(client, issued, trainer):
    sign_in(client, trainer)
    response = _revoke(client, issued, "   ")
    assert not _reloaded(issued).revoked
    assert "Give the reason for revoking this certificate." in client.get(response.headers["Location"]).get_data(
        as_text=True)


def test_revoking_twice_keeps_the_first_reason(client, issued, trainer):
    sign_in(client, trainer)
    _revoke(client, issued, "First reason")
    response = _revoke(client, issued, "Second reason")
    assert _reloaded(issued).revoked_reason == "First reason"
    assert "already revoked" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_others_may_neither_see_nor_revoke(client, issued):
    outsider = make_user(role="trainer", name="Other Trainer", email="other@example.org")
    catalog.add_staff(OPERATOR, make_course("civic-tech"), outsider, "editor")
    learner = make_user(role="learner", email="learner@example.org")
    db.session.commit()
    anonymous = _list_page(client)
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]

    for user in (outsider, learner):
        sign_in(client, user)
        assert _list_page(client).status_code == 403
        token = csrf_token_from(client.get("/").get_data(as_text=True))
        response = client.post(f"/certificates/{issued.public_id}/revoke",
                               data={"reason": "Not mine to revoke", "csrf_token": token})
        assert response.status_code == 403
        assert not _reloaded(issued).revoked
        client.post("/sign-out", data={"csrf_token": token})


def test_admins_manage_every_course(client, issued):
    admin = make_user(role="admin", name="Admin", email="admin@example.org")
    db.session.commit()
    sign_in(client, admin)
    assert _list_page(client).status_code == 200
    _revoke(client, issued, "Duplicate account")
    revoked = _reloaded(issued)
    assert revoked.revoked and revoked.revoked_by_id == admin.id


def test_search_by_name_email_or_id_treats_wildcards_literally(client, issued, trainer):
    sign_in(client, trainer)
    for query in ("amina", "AMINA@EXAMPLE", issued.public_id):
        assert issued.public_id in _list_page(client, q=query).get_data(as_text=True), query
    for query in ("%", "_", "nobody"):
        page = _list_page(client, q=query).get_data(as_text=True)
        assert issued.public_id not in page and "No certificate matches your search." in page, query


def test_unknown_courses_and_certificates_are_404(client, issued, trainer):
    sign_in(client, trainer)
    assert _list_page(client, slug="no-such-course").status_code == 404
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    assert client.post("/certificates/no-such-id/revoke", data={"reason": "x", "csrf_token": token}).status_code == 404


def test_trainers_find_the_page_from_the_course_and_the_certificate(client, issued, trainer):
    course_page = client.get("/courses/public-service-innovation/").get_data(as_text=True)
    verification = client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    assert "/certificates\"" not in course_page and "trainers only" not in verification

    sign_in(client, trainer)
    course_page = client.get("/courses/public-service-innovation/").get_data(as_text=True)
    assert 'href="/courses/public-service-innovation/certificates"' in course_page
    verification = client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    assert f"/courses/public-service-innovation/certificates?q={issued.public_id}" in verification


def test_the_trainers_command_assigns_lists_and_removes(app, issued):
    make_user(role="trainer", name="Grace Banda", email="grace@example.org")
    make_user(role="learner", email="learner@example.org")
    db.session.commit()
    runner = app.test_cli_runner()
    added = runner.invoke(args=["trainers", "add", "public-service-innovation", "grace@example.org"])
    assert added.exit_code == 0 and "grace@example.org runs public-service-innovation as owner" in added.output
    again = runner.invoke(args=["trainers", "add", "public-service-innovation", "grace@example.org"])
    assert again.exit_code == 0
    listed = runner.invoke(args=["trainers", "list", "public-service-innovation"])
    assert listed.output.splitlines() == ["grace@example.org  owner  Grace Banda"]

    learner = runner.invoke(args=["trainers", "add", "public-service-innovation", "learner@example.org"])
    assert learner.exit_code == 1 and "has a learner's account" in learner.output
    assert runner.invoke(args=["trainers", "add", "no-such-course", "grace@example.org"]).exit_code == 1
    assert runner.invoke(args=["trainers", "add", "public-service-innovation", "nobody@example.org"]).exit_code == 1

    removed = runner.invoke(args=["trainers", "remove", "public-service-innovation", "grace@example.org"])
    assert removed.exit_code == 0 and "no longer runs" in removed.output
    assert runner.invoke(args=["trainers", "list", "public-service-innovation"]).output == ""
