"""The sample course keeps the promises its description makes: six modules, a quiz for each, pre/post-tests, its effort."""
from __future__ import annotations

import re

import pytest

from lms.catalog.overview import effort_of
from lms.catalog.services import get_course
from lms.courseware.packages import import_package
from lms.courseware.services import CourseTree, load_tree
from lms.extensions import db
from tests.environment import SAMPLE_COURSE


@pytest.fixture
def tree(db_session) -> CourseTree:
    import_package(SAMPLE_COURSE)
    db.session.commit()
    return load_tree(get_course("public-service-innovation").published_version)


def quizzes_under(tree: CourseTree, usage_id: str) -> list:
    return [tree.nodes[leaf] for leaf in tree.leaves_under(usage_id) if tree.nodes[leaf].block_type == "kuza_quiz"]


def test_the_course_has_six_modules(tree):
    assert [chapter.title for chapter in tree.chapters()] == [
        "Public service innovation and the UN awards",
        "Delivering services equitably",
        "A method for transfer and adaptation",
        "Case studies: award-winning initiatives",
        "Planning your own adaptation",
        "Review and final assessment",
    ]


def test_every_module_but_the_last_ends_with_a_graded_quiz(tree):
    *modules, last = tree.chapters()
    for module in modules:
        final = tree.nodes[module.children[-1]]
        assert final.fields.get("graded") and final.fields.get("format") == "Quiz", module.title
        [quiz] = quizzes_under(tree, final.usage_id)
        assert quiz.fields["mode"] == "graded" and len(quiz.fields["questions"]) >= 4, module.title
    # The last module's only quiz is the post-test, which the grading policy weighs on its own.
    assert [quiz.fields["mode"] for quiz in quizzes_under(tree, last.usage_id)] == ["post_test"]


def test_the_pre_test_opens_the_course_and_the_post_test_closes_it_with_the_same_questions(tree):
    quizzes = [tree.nodes[leaf] for leaf in tree.leaves if tree.nodes[leaf].block_type == "kuza_quiz"]
    pre, post = quizzes[0], quizzes[-1]
    assert (pre.fields["mode"], post.fields["mode"]) == ("pre_test", "post_test")
    assert pre.fields["question_set"] and pre.fields["question_set"] == post.fields["question_set"]
    assert [q["id"] for q in pre.fields["questions"]] == [q["id"] for q in post.fields["questions"]]
    assert pre.fields["questions"] == post.fields["questions"]
    # Only graded module quizzes come between them.
    assert {quiz.fields["mode"] for quiz in quizzes[1:-1]} == {"graded"}


def test_the_grading_policy_counts_every_module_quiz_and_the_post_test(tree):
    version = get_course("public-service-innovation").published_version
    graders = {grader["type"]: grader for grader in version.policy["grading_policy"]["GRADER"]}
    graded_quizzes = [node for node in tree.nodes.values()
                      if node.block_type == "sequential" and node.fields.get("graded")]
    assert graders["Quiz"]["min_count"] == sum(1 for s in graded_quizzes if s.fields["format"] == "Quiz") == 5
    assert graders["Post-test"]["min_count"] == sum(1 for s in graded_quizzes if s.fields["format"] == "Post-test")
    assert sum(grader["weight"] for grader in graders.values()) == pytest.approx(1.0)


def test_the_stated_effort_is_three_to_four_hours(tree):
    # The effort the catalogue shows (about/effort.html, as Open edX writes it) and the hours the
    # certificate prints say the same.
    policy = get_course("public-service-innovation").published_version.policy
    effort = effort_of(policy)
    assert policy["effort"] == "03:30" and effort.hours is not None
    assert 3 <= effort.hours <= 4
    assert policy["certificate_hours"] == effort.hours


# Least developed countries on the UN list, as ISO 3166-1 alpha-2 codes: a few, enough for the
# countries the course's cases come from. Source: UN DESA, "LDCs at a Glance",
# https://www.un.org/development/desa/dpad/least-developed-country-category/ldcs-at-a-glance.html
# Bangladesh, Lao PDR and Nepal are left out: the General Assembly decided in 2021 that they leave
# the list in November 2026, so a case from them no longer counts as one from an LDC.
LEAST_DEVELOPED = {"AF", "BF", "BI", "ET", "HT", "MG", "ML", "MW", "MZ", "NE", "RW", "SN", "TZ", "UG", "YE", "ZM"}


def test_module_four_has_eight_case_studies_from_four_regions_and_three_least_developed_countries(tree):
    module = tree.chapters()[3]
    cases = [tree.nodes[leaf] for leaf in tree.leaves_under(module.usage_id)
             if tree.nodes[leaf].block_type == "kuza_case_study"]
    assert len(cases) >= 8
    assert len({case.fields["region"] for case in cases} - {""}) >= 4
    assert len([case for case in cases if case.fields["country"].upper() in LEAST_DEVELOPED]) >= 3


def test_every_case_study_cites_a_source_on_the_web(tree):
    cases = [node for node in tree.nodes.values() if node.block_type == "kuza_case_study"]
    assert cases
    for case in cases:
        urls = [source.get("url", "") for source in case.fields["sources"]]
        assert any(re.match(r"https?://[^\s/]+\.[^\s/]+", url) for url in urls), case.usage_id
