"""Learner records in the sample course as the runtime writes them, for tests that need a standing."""
from __future__ import annotations

from datetime import UTC, datetime

from lms.courseware.runtime import AttemptRecord
from lms.courseware.services import LearnerRecords, load_tree
from lms.extensions import db

POST_TEST = "post-test-quiz"


def work_through(user, course, quiz_fraction: float, post_test_passed: bool, skip: int = 0) -> None:
    """What the runtime records for a learner who reads every leaf (but ``skip``) and answers every
    quiz at ``quiz_fraction``: completions, latest scores, and the post-test's attempt."""
    tree = load_tree(course.published_version)
    records = LearnerRecords(user.id, course.id)
    leaves = tree.leaves[: len(tree.leaves) - skip]
    for leaf in leaves:
        records.record_completion(leaf, 1.0)
        if tree.nodes[leaf].block_type == "kuza_quiz":
            records.record_score(leaf, 8 * quiz_fraction, 8.0, only_if_higher=False)
    records.record_attempt(POST_TEST, "kuza_quiz", AttemptRecord(
        attempt_id=f"a-{user.id}-{post_test_passed}", mode="post_test", question_set="course-knowledge",
        submitted_at=datetime.now(UTC), earned=8 * quiz_fraction, possible=8.0, passed=post_test_passed,
        responses={}, results={}))
    db.session.flush()
