"""Issuing certificates: the sample course's rules, the kind that follows the state, once under races."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import lxml.html
import pytest
from sqlalchemy import func, select

from lms.catalog import services as catalog
from lms.certificates import rules
from lms.certificates import services as certificates
from lms.certificates.models import COMPLETION, PARTICIPATION, Certificate
from lms.courseware.models import Block
from lms.courseware.runtime import AttemptRecord
from lms.courseware.services import LearnerRecords, load_tree
from lms.extensions import db
from tests.certificates.records import POST_TEST, work_through
from tests.concurrency import at_once, signed_in_tabs
from tests.factories import csrf_token_from, make_course, make_user, sign_in

SLUG = "public-service-innovation"


def learner_in(course):
    learner = make_user()
    catalog.enroll(learner, course)
    return learner


def test_the_sample_course_rules_come_from_its_grading_policy(sample):
    built = certificates.rules_for(sample.published_version)
    assert built.pass_mark == 0.7
    assert [(t.type, t.weight) for t in built.assignment_types] == [("Quiz", 0.6), ("Post-test", 0.4)]
    assert [s.title for s in built.graded] == ["Module 1 quiz", "Module 2 quiz", "Module 3 quiz", "Module 4 quiz", "Module 5 quiz",
                                             "Final assessment"]
    assert all(len(s.blocks) == 1 for s in built.graded)
    assert built.post_tests == (POST_TEST,)
    # Every leaf counts, the pre-test and the lessons too: the same measure as progress.
    assert built.leaves == load_tree(sample.published_version).leaves


def test_only_scored_blocks_of_graded_sequentials_count_with_their_weight(db_session):
    course = make_course(slug="graded-course", units={
        "check": [("kuza_markdown", {"markdown": "Read this first."}),
                  ("kuza_quiz", {"display_name": "Check", "weight": 3.0, "questions": []})]})
    version = course.published_version
    version.policy = {"grading_policy": {"GRADER": [{"type": "Quiz", "weight": 1.0, "min_count": 1}]}}
    sequential = db.session.execute(select(Block).filter_by(version_id=version.id, usage_id="sequence-1")).scalar_one()
    sequential.fields = {"display_name": "Lesson one", "graded": True, "format": "Quiz"}
    db.session.flush()
    built = certificates.rules_for(version)
    assert built.graded == (rules.GradedSequential("sequence-1", "Lesson one", "Quiz",
                                                   (rules.ScoredBlock("check-1", 3.0),)),)
    assert built.pass_mark == rules.DEFAULT_PASS_MARK and built.post_tests == ()


def test_completing_the_sample_course_with_a_passing_score_earns_completion(sample):
    learner = learner_in(sample)
    work_through(learner, sample, quiz_fraction=0.75, post_test_passed=True)
    standing = certificates.standing(learner, sample)
    assert standing.state == rules.PASSED and standing.score_percent == 75
    certificate = certificates.issue_if_earned(learner, sample)
    assert certificate.kind == COMPLETION
    assert certificate.version_id == sample.published_version.id and certificate.version_number == 1
    assert certificate.rule["state"] == rules.PASSED and certificate.rule["pass_mark"] == 0.7
    assert len(certificate.public_id) >= 22 and certificate.revoked_at is None


def test_completing_the_sample_course_without_passing_earns_participation(sample):
    learner = learner_in(sample)
    work_through(learner, sample, quiz_fraction=0.5, post_test_passed=False)
    assert certificates.standing(learner, sample).state == rules.COMPLETED
    assert certificates.issue_if_earned(learner, sample).kind == PARTICIPATION


def test_a_high_score_with_a_failed_latest_post_test_is_not_a_pass(sample):
    learner = learner_in(sample)
    work_through(learner, sample, quiz_fraction=1.0, post_test_passed=True)
    # A second, later attempt that failed: the latest attempt is the one that counts.
    LearnerRecords(learner.id, sample.id).record_attempt(POST_TEST, "kuza_quiz", AttemptRecord(
        attempt_id="later", mode="post_test", question_set="course-knowledge",
        submitted_at=datetime.now(UTC) + timedelta(minutes=5), earned=1.0, possible=8.0, passed=False,
        responses={}, results={}))
    standing = certificates.standing(learner, sample)
    assert standing.state == rules.COMPLETED
    assert standing.missing == (rules.Missing("post_test"),)


def test_nothing_is_issued_before_every_lesson_is_done(sample):
    learner = learner_in(sample)
    work_through(learner, sample, quiz_fraction=1.0, post_test_passed=True, skip=1)
    assert certificates.issue_if_earned(learner, sample) is None
    assert certificates.certificates_of(learner) == []


def test_issuing_twice_gives_the_same_certificate_and_passing_later_adds_completion(sample):
    learner = learner_in(sample)
    work_through(learner, sample, quiz_fraction=0.5, post_test_passed=False)
    first = certificates.issue_if_earned(learner, sample)
    assert certificates.issue_if_earned(learner, sample).public_id == first.public_id

    work_through(learner, sample, quiz_fraction=0.9, post_test_passed=True)
    completion = certificates.issue_if_earned(learner, sample)
    assert completion.kind == COMPLETION and completion.public_id != first.public_id
    assert [c.kind for c in certificates.certificates_of(learner, sample)] == [PARTICIPATION, COMPLETION]


def test_a_learner_holding_completion_gets_no_participation_later(sample):
    learner = learner_in(sample)
    work_through(learner, sample, quiz_fraction=0.9, post_test_passed=True)
    completion = certificates.issue_if_earned(learner, sample)
    work_through(learner, sample, quiz_fraction=0.1, post_test_passed=False)
    assert certificates.issue_if_earned(learner, sample).public_id == completion.public_id
    assert len(certificates.certificates_of(learner, sample)) == 1


def test_claiming_again_does_not_undo_a_revocation(sample):
    learner = learner_in(sample)
    work_through(learner, sample, quiz_fraction=0.5, post_test_passed=False)
    certificate = certificates.issue_if_earned(learner, sample)
    certificate.revoked_at, certificate.revoked_reason = datetime.now(UTC), "Plagiarised adaptation plan"
    db.session.flush()
    again = certificates.issue_if_earned(learner, sample)
    assert again.public_id == certificate.public_id and again.revoked


def test_only_enrolled_learners_are_issued(sample):
    with pytest.raises(catalog.NotEnrolled):
        certificates.issue_if_earned(make_user(), sample)


# Through the pages


def test_progress_page_shows_scores_state_and_what_is_still_needed(client, sample):
    learner = learner_in(sample)
    LearnerRecords(learner.id, sample.id).record_score("what-is-innovation-check-quiz", 6.0, 8.0, False)
    db.session.commit()
    sign_in(client, learner)
    page = client.get(f"/courses/{SLUG}/progress").get_data(as_text=True)
    # As the learner reads it: the percentages are isolated in <bdi> elements for right-to-left pages.
    shown = " ".join(lxml.html.fromstring(page).text_content().split())
    assert "Module 1 quiz" in shown and "75 %" in shown and "Not taken yet" in shown
    # The quiz has ordering and matching questions: the page says how part of a point is earned.
    assert "Some questions give part of a point for each part right." in shown
    assert "Ordering questions give part of a point for each item in its right place." in shown
    # 0.6 × (0.75 / 5) = 9 %.
    assert "Your course score: 9 %. Pass mark: 70 %." in shown
    assert "You are still working through this course." in page
    assert "Raise your course score to 70 %" in shown and "Pass the final assessment" in page
    assert "Lessons still to finish in" in page
    assert "Get my certificate" not in page


def test_the_certificate_button_issues_once_and_shows_it(client, sample):
    learner = learner_in(sample)
    work_through(learner, sample, quiz_fraction=1.0, post_test_passed=True)
    db.session.commit()
    sign_in(client, learner)
    page = client.get(f"/courses/{SLUG}/progress").get_data(as_text=True)
    assert "You have passed this course." in page and 'id="still-needed"' not in page
    token = csrf_token_from(page)

    assert client.post(f"/courses/{SLUG}/certificate").status_code == 400  # no CSRF token
    claimed = client.post(f"/courses/{SLUG}/certificate", data={"csrf_token": token})
    assert claimed.status_code == 303 and claimed.headers["Location"] == f"/courses/{SLUG}/progress#certificate"
    page = client.get(f"/courses/{SLUG}/progress").get_data(as_text=True)
    assert "Your certificate has been issued." in page and "Certificate of completion, issued on" in page
    assert "Get my certificate" not in page
    client.post(f"/courses/{SLUG}/certificate", data={"csrf_token": token})
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    assert "Certificate of completion, issued on" in client.get("/my-learning").get_data(as_text=True)


def test_a_learner_who_has_not_finished_is_told_so(client, sample):
    learner = learner_in(sample)
    db.session.commit()
    sign_in(client, learner)
    token = csrf_token_from(client.get(f"/courses/{SLUG}/progress").get_data(as_text=True))
    client.post(f"/courses/{SLUG}/certificate", data={"csrf_token": token})
    assert "You have not earned a certificate" in client.get(f"/courses/{SLUG}/progress").get_data(as_text=True)


def test_a_participation_learner_sees_the_participation_button(client, sample):
    learner = learner_in(sample)
    work_through(learner, sample, quiz_fraction=0.5, post_test_passed=False)
    db.session.commit()
    sign_in(client, learner)
    page = client.get(f"/courses/{SLUG}/progress").get_data(as_text=True)
    assert "You have finished every lesson, but not yet passed the course." in page
    assert "Get my certificate of participation" in page


# Races


@pytest.fixture
def racing_learner(committed_app):
    with committed_app.app_context():
        course = make_course(slug="short-course")
        learner = make_user(email="two-tabs@example.org")
        catalog.enroll(learner, course)
        for leaf in load_tree(course.published_version).leaves:
            LearnerRecords(learner.id, course.id).record_completion(leaf, 1.0)
        db.session.commit()
    return committed_app, signed_in_tabs(committed_app, "two-tabs@example.org")


def test_two_requests_at_once_issue_one_certificate(racing_learner):
    app, tabs = racing_learner
    tokens = [csrf_token_from(tab.get("/courses/short-course/progress").get_data(as_text=True)) for tab in tabs]
    responses = at_once(*(partial(tab.post, "/courses/short-course/certificate", data={"csrf_token": token})
                          for tab, token in zip(tabs, tokens)))
    assert [response.status_code for response in responses] == [303, 303]
    with app.app_context():
        issued = db.session.execute(select(Certificate)).scalars().all()
        # A course without graders or post-test: finishing every lesson is passing.
        assert [c.kind for c in issued] == [COMPLETION]
