"""A learner is in one cohort of a course at a time; moving them keeps every record they have in the course."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.certificates.models import Certificate
from lms.cohorts import services as cohorts
from lms.cohorts.models import Membership
from lms.courseware.models import Attempt, Completion, LearnerState, Plan, Score
from lms.extensions import db
from tests.cohorts.conftest import new_cohort
from tests.cohorts.test_cohort_page import text_of
from tests.factories import csrf_token_from

RECORDS = (LearnerState, Score, Completion, Attempt, Plan, Certificate)


def records_of(user_id: int) -> dict[str, list[tuple]]:
    """Every row the learner has in the runtime's and certificates' tables, as plain values."""
    found = {}
    for model in RECORDS:
        columns = [column for column in model.__table__.columns]
        rows = db.session.execute(select(*columns).where(model.user_id == user_id).order_by(model.id)).all()
        found[model.__tablename__] = [tuple(row) for row in rows]
    return found


@pytest.fixture
def busy_learner(learner, course):
    """Amina, with a lesson done, a quiz answered twice, a plan submitted and a certificate."""
    key = {"user_id": learner.user.id, "course_id": course.id}
    when = datetime(2027, 3, 2, 9, 30, tzinfo=UTC)
    db.session.add_all([
        LearnerState(**key, usage_id="unit-one-0", block_type="kuza_markdown", state={"seen": True}),
        Completion(**key, usage_id="unit-one-0", completion=1.0),
        Score(**key, usage_id="unit-two-0", earned=3, possible=4),
        *(Attempt(**key, usage_id="unit-two-0", block_type="kuza_quiz", attempt_id=f"a{n}", mode="pre_test",
                  question_set="m1", earned=n, possible=4, passed=False, submitted_at=when) for n in (1, 3)),
        Plan(**key, usage_id="unit-two-0", block_type="kuza_reflection", version=1, submission_id="s1",
             prompts=[{"name": "p", "text": "Problem"}], answers={"p": "Queues"}, submitted_at=when),
        Certificate(**key, public_id="c-amina", version_id=course.published_version.id, version_number=1,
                    kind="participation", rule={}),
    ])
    db.session.commit()
    return learner


def test_moving_a_learner_keeps_all_their_records(trainer, course, cohort, busy_learner):
    second = new_cohort(trainer.user, course, "Thiès follow-up")
    before = records_of(busy_learner.user.id)
    page = trainer.client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "1 of 2 lessons done" in text_of(page)
    moved = trainer.client.post(f"/cohorts/{cohort.id}/learners/{busy_learner.user.id}/move",
                                data={"target": str(second.id), "csrf_token": csrf_token_from(page)})
    assert moved.status_code == 303
    assert cohorts.membership_of(busy_learner.user, course).cohort_id == second.id
    assert records_of(busy_learner.user.id) == before
    assert all(before.values()), "the fixture gave the learner a row in every table"

    old_page = trainer.client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    new_page = trainer.client.get(f"/cohorts/{second.id}").get_data(as_text=True)
    assert "amina@example.org" not in old_page
    assert "amina@example.org" in new_page and "1 of 2 lessons done" in text_of(new_page)
    assert "75" in new_page  # the latest pre-test attempt, 3 of 4
    assert "Certificate of participation" in new_page


def test_one_cohort_per_course_at_a_time_is_kept_by_the_database(learner, course, trainer):
    second = new_cohort(trainer.user, course, "Thiès follow-up")
    assert cohorts.add_member(second, learner.user, "roster") is None
    db.session.add(Membership(cohort_id=second.id, course_id=course.id, user_id=learner.user.id, joined_by="code"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_membership_cannot_name_a_cohort_of_another_course(learner, trainer, course):
    from tests.factories import make_course

    elsewhere = make_course(slug="elsewhere")
    catalog.add_staff(OPERATOR, elsewhere, trainer.user, "editor")
    foreign = new_cohort(trainer.user, elsewhere, "Elsewhere group", kind="online", place=None)
    # The cohort is of another course than the membership says: the (cohort, course) key refuses it.
    db.session.add(Membership(cohort_id=foreign.id, course_id=course.id, user_id=learner.user.id + 1000,
                              joined_by="code"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_removing_a_learner_keeps_them_enrolled_with_their_records(trainer, course, cohort, busy_learner):
    before = records_of(busy_learner.user.id)
    page = trainer.client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    answer = trainer.client.post(f"/cohorts/{cohort.id}/learners/{busy_learner.user.id}/remove",
                                 data={"csrf_token": csrf_token_from(page)})
    assert answer.status_code == 303
    assert cohorts.membership_of(busy_learner.user, course) is None
    assert catalog.enrollment_for(busy_learner.user, course) is not None
    assert records_of(busy_learner.user.id) == before


def test_a_cohort_cannot_end_before_it_starts_and_a_workshop_needs_a_place(trainer, course):
    for details in (
        cohorts.CohortDetails("Late", "online", date(2027, 3, 5), date(2027, 3, 1)),
        cohorts.CohortDetails("Nowhere", "workshop", date(2027, 3, 1), date(2027, 3, 5), place=" "),
        cohorts.CohortDetails(" ", "online", date(2027, 3, 1), date(2027, 3, 5)),
        cohorts.CohortDetails("Odd", "party", date(2027, 3, 1), date(2027, 3, 5)),
    ):
        with pytest.raises(cohorts.CohortError):
            cohorts.create_cohort(trainer.user, course, details)
    online = cohorts.create_cohort(trainer.user, course, cohorts.CohortDetails(
        "Online group", "online", date(2027, 3, 1), date(2027, 3, 5), place="Ignored"))
    assert online.place is None and [t.user_id for t in online.trainers] == [trainer.user.id]
