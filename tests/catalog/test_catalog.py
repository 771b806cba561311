"""Catalogue pages and enrolment."""
from __future__ import annotations

from sqlalchemy import func, select

from lms.catalog.models import Course, Enrollment
from lms.extensions import db
from tests.factories import csrf_token_from, make_course, make_user, sign_in


def enrollment_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrollment).where(Enrollment.user_id == user.id))


def test_catalogue_lists_published_courses_only(client):
    make_course(slug="published-course")
    db.session.add(Course(slug="draft-only"))
    db.session.flush()
    html = client.get("/").get_data(as_text=True)
    assert "Course published-course" in html
    assert "draft-only" not in html
    assert client.get("/courses/draft-only/").status_code == 404
    assert client.get("/courses/nowhere/").status_code == 404


def test_course_page_invites_anonymous_visitors_to_register(client):
    make_course()
    html = client.get("/courses/civic-tech/").get_data(as_text=True)
    assert "Register to enrol" in html
    assert "/register?next=/courses/civic-tech/" in html
    assert "Chapter one" in html


def test_enrolment_is_a_csrf_protected_post_and_counts_once(client):
    make_course()
    learner = make_user()
    sign_in(client, learner)
    page = client.get("/courses/civic-tech/").get_data(as_text=True)
    assert "Enrol in this course" in page
    assert client.post("/courses/civic-tech/enroll").status_code == 400
    assert enrollment_count(learner) == 0
    token = csrf_token_from(page)
    first = client.post("/courses/civic-tech/enroll", data={"csrf_token": token})
    second = client.post("/courses/civic-tech/enroll", data={"csrf_token": token})
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"].endswith("/courses/civic-tech/resume")
    assert enrollment_count(learner) == 1
    assert "Start the course" in client.get("/courses/civic-tech/").get_data(as_text=True)


def test_enrolment_needs_sign_in(client):
    make_course()
    response = client.post("/courses/civic-tech/enroll")
    # CSRF is checked first: an anonymous POST without a token is refused outright.
    assert response.status_code == 400
