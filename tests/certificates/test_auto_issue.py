"""Certificates issued the moment progress earns them: once, only on new progress, never at the cost of an answer."""
from __future__ import annotations

import logging
from functools import partial

import pytest
from sqlalchemy import func, select

from lms.catalog import services as catalog
from lms.certificates.models import COMPLETION, Certificate
from lms.courseware.models import Completion
from lms.courseware.services import LearnerRecords, load_tree
from lms.courseware.signals import progress_recorded
from lms.extensions import db
from tests.concurrency import at_once, signed_in_tabs
from tests.factories import csrf_token_from, make_course, make_user, sign_in

# make_course's default course: two units of one lesson each, no graders, no post-test, so
# finishing every lesson is passing.
SLUG = "civic-tech"
LAST_UNIT = f"/courses/{SLUG}/learn/unit-two"


@pytest.fixture
def nearly_done(client, db_session, key_folder):
    """A signed-in learner who has read every lesson but the last."""
    course = make_course(SLUG)
    learner = make_user(email="nearly@example.org")
    catalog.enroll(learner, course)
    LearnerRecords(learner.id, course.id).record_completion("unit-one-0", 1.0)
    db.session.commit()
    sign_in(client, learner)
    return learner


def _certificates(learner) -> list[Certificate]:
    db.session.expire_all()
    return list(db.session.execute(select(Certificate).filter_by(user_id=learner.id)).scalars())


def test_reading_the_last_lesson_issues_the_certificate_and_says_so(client, nearly_done):
    page = client.get(LAST_UNIT).get_data(as_text=True)
    [certificate] = _certificates(nearly_done)
    assert certificate.kind == COMPLETION and certificate.credential
    assert "Congratulations! You have earned a certificate of completion." in page
    # Said once: the next page has nothing more to announce, and nothing more is issued.
    again = client.get(LAST_UNIT).get_data(as_text=True)
    assert "Congratulations" not in again
    assert len(_certificates(nearly_done)) == 1


def test_only_new_progress_is_announced(app, client, nearly_done):
    announced = []

    def listen(_app, **progress):
        announced.append(progress)

    progress_recorded.connect(listen, sender=app)
    try:
        client.get(f"/courses/{SLUG}/learn/unit-one")  # read already: nothing new
        assert announced == []
        client.get(LAST_UNIT)
        course_id = catalog.get_course(SLUG).id
        assert announced == [{"user_id": nearly_done.id, "course_id": course_id}]
        client.get(LAST_UNIT)  # read again: nothing new
        assert len(announced) == 1
    finally:
        progress_recorded.disconnect(listen, sender=app)


def test_a_certificate_problem_never_costs_the_learner_their_progress(app, client, nearly_done, tmp_path, caplog):
    # A key folder that cannot be made: signing fails at issuance.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the key folder should be")
    app.config["KUZA_KEYS_DIR"] = str(blocker / "keys")
    with caplog.at_level(logging.ERROR, logger="lms.certificates.views"):
        response = client.get(LAST_UNIT)
    assert response.status_code == 200
    assert "Could not issue a certificate" in caplog.text
    assert _certificates(nearly_done) == []
    # The lesson read is kept: the request committed without the certificate.
    assert db.session.scalar(select(func.count()).select_from(Completion).filter_by(user_id=nearly_done.id)) == 2

    # Once the operator fixes the folder, the progress page offers the certificate to claim.
    app.config["KUZA_KEYS_DIR"] = str(tmp_path / "keys")
    page = client.get(f"/courses/{SLUG}/progress").get_data(as_text=True)
    assert "Get my certificate" in page
    client.post(f"/courses/{SLUG}/certificate", data={"csrf_token": csrf_token_from(page)})
    assert [certificate.kind for certificate in _certificates(nearly_done)] == [COMPLETION]


@pytest.fixture
def racing_reader(committed_app, tmp_path):
    committed_app.config["KUZA_KEYS_DIR"] = str(tmp_path / "keys")
    with committed_app.app_context():
        course = make_course(SLUG)
        learner = make_user(email="two-tabs@example.org")
        catalog.enroll(learner, course)
        LearnerRecords(learner.id, course.id).record_completion("unit-one-0", 1.0)
        db.session.commit()
        assert len(load_tree(course.published_version).leaves) == 2
    return committed_app, signed_in_tabs(committed_app, "two-tabs@example.org")


def test_two_tabs_reading_the_last_lesson_at_once_get_one_certificate(racing_reader):
    app, tabs = racing_reader
    responses = at_once(*(partial(tab.get, LAST_UNIT) for tab in tabs))
    assert [response.status_code for response in responses] == [200, 200]
    with app.app_context():
        assert [c.kind for c in db.session.execute(select(Certificate)).scalars()] == [COMPLETION]
