"""Certificate services: a learner's standing under a course's rules, and issuing what they earned.

Reads the runtime's tables (scores, completions, attempts) and never calls back into the
runtime. Services flush; views commit.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from xblock.core import XBlock
from xblock.plugin import PluginMissingError

from lms.accounts.models import User
from lms.catalog import services as catalog
from lms.catalog.models import Course, CourseVersion
from lms.certificates import rules
from lms.certificates.keys import default_key_folder
from lms.certificates.models import COMPLETION, PARTICIPATION, Certificate
from lms.courseware import services as courseware
from lms.courseware.models import Attempt, Score
from lms.courseware.structure import STRUCTURE_BLOCKS
from lms.database import utcnow
from lms.extensions import db

POST_TEST = "post_test"
KIND_OF_STATE = {rules.PASSED: COMPLETION, rules.COMPLETED: PARTICIPATION}


def key_folder() -> Path:
    """Where the issuer's keys live: config KUZA_KEYS_DIR, else the instance folder's keys/."""
    configured = current_app.config.get("KUZA_KEYS_DIR")
    return Path(configured) if configured else default_key_folder(current_app.instance_path)


def rules_for(version: CourseVersion) -> rules.CompletionRules:
    """The version's rules, from its policy and its (cached) block tree; both never change."""
    tree = courseware.load_tree(version)
    graded = [
        rules.GradedSequential(
            node.usage_id, node.title, str(node.fields.get("format", "")),
            tuple(rules.ScoredBlock(leaf, float(tree.nodes[leaf].fields.get("weight", 1.0)))
                  for leaf in tree.leaves_under(node.usage_id) if _has_score(tree.nodes[leaf].block_type)),
        )
        for node in _in_reading_order(tree, tree.root)
        if node.block_type == "sequential" and node.fields.get("graded")
    ]
    return rules.rules_from(
        version.policy or {},
        chapters=[(chapter.title, tree.leaves_under(chapter.usage_id)) for chapter in tree.chapters()],
        graded=graded,
        post_tests=[leaf for leaf in tree.leaves if tree.nodes[leaf].fields.get("mode") == POST_TEST],
    )


def _in_reading_order(tree: courseware.CourseTree, usage_id: str) -> list[courseware.Node]:
    found = [tree.nodes[usage_id]]
    for child in tree.nodes[usage_id].children:
        found.extend(_in_reading_order(tree, child))
    return found


def _has_score(block_type: str) -> bool:
    """Whether the block's class says it is scored, as Open edX's grading asks; any installed
    class, so operators' KUZA_EXTRA_XBLOCKS count as well as kuza_* blocks."""
    if block_type in STRUCTURE_BLOCKS:
        return False
    try:
        return bool(getattr(XBlock.load_class(block_type), "has_score", False))
    except PluginMissingError:
        return False


def scores(user_id: int, course_id: int) -> dict[str, rules.Score]:
    rows = db.session.execute(
        select(Score.usage_id, Score.earned, Score.possible).where(Score.user_id == user_id,
                                                                   Score.course_id == course_id)
    )
    return {usage_id: rules.Score(earned, possible) for usage_id, earned, possible in rows}


def post_tests_passed(user_id: int, course_id: int, usage_ids: tuple[str, ...]) -> dict[str, bool]:
    """Whether each post-test's latest attempt passed."""
    if not usage_ids:
        return {}
    rows = db.session.execute(
        select(Attempt.usage_id, Attempt.passed)
        .where(Attempt.user_id == user_id, Attempt.course_id == course_id, Attempt.mode == POST_TEST,
               Attempt.usage_id.in_(usage_ids))
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    # Ordered oldest first, so the latest attempt of each block is the one left in the dict.
    return {usage_id: passed for usage_id, passed in rows}


def standing(user: User, course: Course) -> rules.Standing:
    version = courseware.published_version(course)
    course_rules = rules_for(version)
    return rules.standing(
        course_rules,
        courseware.completions(user.id, course.id),
        scores(user.id, course.id),
        post_tests_passed(user.id, course.id, course_rules.post_tests),
    )


def certificates_of(user: User, course: Course | None = None) -> list[Certificate]:
    query = select(Certificate).where(Certificate.user_id == user.id)
    if course is not None:
        query = query.where(Certificate.course_id == course.id)
    return list(db.session.execute(query.order_by(Certificate.issued_at, Certificate.id)).scalars())


def issue_if_earned(user: User, course: Course) -> Certificate | None:
    """Issue the certificate the learner's standing earns, once; return it, or None if none is earned.

    A learner who already holds a certificate of completion is given nothing more, and a
    revoked certificate is returned as it is: claiming again must not undo a revocation. Two
    requests at once insert one row: the unique key (user, course, kind) and ON CONFLICT DO
    NOTHING make the second insert a no-op on SQLite and PostgreSQL alike.
    """
    catalog.require_enrollment(user, course)
    now = standing(user, course)
    kind = KIND_OF_STATE.get(now.state)
    if kind is None:
        return None
    held = {certificate.kind: certificate for certificate in certificates_of(user, course)}
    if COMPLETION in held:
        return held[COMPLETION]
    if kind in held:
        return held[kind]
    version = courseware.published_version(course)
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(Certificate)
        .values(public_id=secrets.token_urlsafe(16), user_id=user.id, course_id=course.id, version_id=version.id,
                version_number=version.number, kind=kind, issued_at=utcnow(),
                rule={"state": now.state, "course_score": round(now.course_score, 4), "pass_mark": now.pass_mark,
                      "requires_score": now.requires_score})
        .on_conflict_do_nothing(index_elements=["user_id", "course_id", "kind"])
    )
    return db.session.execute(
        select(Certificate).where(Certificate.user_id == user.id, Certificate.course_id == course.id,
                                  Certificate.kind == kind)
    ).scalar_one()
