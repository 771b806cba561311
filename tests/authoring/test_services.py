"""The studio's rules: who sees and edits which course, new courses, drafts and their revisions, publishing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.accounts.services import PermissionDenied
from lms.authoring import services
from lms.authoring.models import Draft
from lms.catalog import services as catalog
from lms.catalog.models import CourseVersion
from lms.courseware import services as courseware
from lms.extensions import db
from tests.authoring.conftest import Studio


def versions(course) -> int:
    return db.session.scalar(select(func.count()).select_from(CourseVersion).where(CourseVersion.course_id == course.id))


def test_a_trainer_sees_and_edits_only_the_courses_whose_staff_they_are_on(studio: Studio):
    assert [item.slug for item in services.my_courses(studio.editor)] == ["civic-tech"]
    assert [item.slug for item in services.my_courses(studio.other_owner)] == ["other-course"]
    assert {item.slug for item in services.my_courses(studio.admin)} == {"civic-tech", "other-course"}
    assert services.my_courses(studio.newcomer) == []
    for nobody in (studio.learner, None):
        with pytest.raises(PermissionDenied):
            services.my_courses(nobody)
    assert services.studio_course(studio.editor, "civic-tech") == studio.course
    for outsider in (studio.other_owner, studio.learner, studio.newcomer, None):
        with pytest.raises(PermissionDenied):
            services.studio_course(outsider, "civic-tech")
        with pytest.raises(PermissionDenied):
            services.rename_block(outsider, studio.course, 0, "unit-one", "Mine now")
        with pytest.raises(PermissionDenied):
            services.publish(outsider, studio.course, 0)
    with pytest.raises(catalog.CourseNotFound):
        services.studio_course(studio.admin, "no-such-course")
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_my_courses_says_what_each_course_has_waiting(studio: Studio):
    [item] = services.my_courses(studio.editor)
    assert (item.role, item.published.number, item.has_changes, item.enrolled) == ("editor", 1, False, 0)
    catalog.enroll(studio.learner, studio.course)
    services.rename_block(studio.editor, studio.course, 0, "unit-one", "A better title")
    [item] = services.my_courses(studio.editor)
    assert item.has_changes and item.enrolled == 1


def test_admins_alone_create_courses_which_start_as_empty_unpublished_drafts(studio: Studio):
    for trainer in (studio.owner, studio.editor, studio.learner):
        with pytest.raises(PermissionDenied):
            services.create_course(trainer, "Open budgets", "open-budgets", "en", "")
    course = services.create_course(studio.admin, "  Budgets   ouverts ", "open-budgets", "fr", "Pour les communes.")
    current = services.working_copy(studio.admin, course)
    assert (current.title, current.language, current.revision) == ("Budgets ouverts", "fr", 1)
    assert current.content["short_description"] == "Pour les communes." and current.outline.root["children"] == []
    assert course.published_version is None and course not in catalog.published_courses()
    [item] = [item for item in services.my_courses(studio.admin) if item.slug == "open-budgets"]
    assert item.published is None and item.has_changes


@pytest.mark.parametrize(("slug", "language", "field"), [
    ("civic-tech", "en", "slug"), ("Open Budgets", "en", "slug"), ("ab", "en", "slug"), ("open--budgets", "en", "slug"),
    ("-open", "en", "slug"), ("open-budgets", "xx", "language")])
def test_a_new_course_needs_a_free_well_formed_address_and_a_language_on_offer(studio, slug, language, field):
    with pytest.raises(services.CourseDetailsError) as refused:
        services.create_course(studio.admin, "Open budgets", slug, language, "")
    assert refused.value.field == field


def test_the_first_edit_makes_the_draft_from_the_published_version(studio: Studio):
    before = services.working_copy(studio.editor, studio.course)
    assert before.draft is None and before.revision == 0
    assert [unit for unit in before.outline.units()] == ["unit-one", "unit-two"]
    services.move_block(studio.editor, studio.course, 0, "unit-two", -1)
    after = services.working_copy(studio.editor, studio.course)
    assert after.revision == 1 and after.draft.base_version == studio.course.published_version
    assert after.outline.units() == ["unit-two", "unit-one"]
    assert after.draft.updated_by == studio.editor
    # The published version, and so what learners see, is unchanged.
    assert courseware.load_tree(studio.course.published_version).units == ("unit-one", "unit-two")


def test_an_edit_made_on_an_older_revision_is_refused_and_the_newer_one_kept(studio: Studio):
    opened_by_editor = services.working_copy(studio.editor, studio.course).revision
    opened_by_owner = services.working_copy(studio.owner, studio.course).revision
    services.rename_block(studio.owner, studio.course, opened_by_owner, "unit-one", "The owner's title")
    with pytest.raises(services.StaleDraft):
        services.rename_block(studio.editor, studio.course, opened_by_editor, "unit-one", "The editor's title")
    with pytest.raises(services.StaleDraft):
        services.add_block(studio.editor, studio.course, opened_by_editor, "sequence-1", "vertical", "Another")
    current = services.working_copy(studio.editor, studio.course)
    assert current.revision == 1 and current.outline.get("unit-one")["fields"]["display_name"] == "The owner's title"
    assert current.outline.units() == ["unit-one", "unit-two"]
    services.rename_block(studio.editor, studio.course, current.revision, "unit-two", "Now it works")
    assert services.working_copy(studio.editor, studio.course).revision == 2


def test_new_leaf_blocks_start_with_content_the_importer_accepts(studio: Studio):
    added = [services.add_block(studio.editor, studio.course, revision, "unit-two", block_type)
             for revision, block_type in enumerate(("kuza_markdown", "kuza_quiz", "kuza_case_study", "kuza_reflection"))]
    outline = services.working_copy(studio.editor, studio.course).outline
    assert [outline.get(url_name)["type"] for url_name in added] == [
        "kuza_markdown", "kuza_quiz", "kuza_case_study", "kuza_reflection"]
    assert outline.get(added[0])["fields"]["markdown"].startswith("Write the lesson here")
    assert outline.get(added[1])["fields"]["questions"][0]["type"] == "single_choice"
    plan = services.publish_plan(studio.editor, studio.course)
    assert plan.problems == () and plan.publishable
    published = services.publish(studio.editor, studio.course, 4)
    assert published.version.number == 2
    tree = courseware.load_tree(published.version)
    assert tree.nodes["unit-two"].children == ("unit-two-0", *added)


def test_new_blocks_never_take_a_url_name_an_earlier_version_used(studio: Studio, monkeypatch):
    services.delete_block(studio.editor, studio.course, 0, "unit-two")
    services.publish(studio.editor, studio.course, 1)
    # The random part first comes out so that the name is that of the deleted unit, then not.
    draws = iter(["two", "two", "fresh1"])
    monkeypatch.setattr("lms.authoring.drafts.secrets.token_hex", lambda _n: next(draws))
    url_name = services.add_block(studio.editor, studio.course, 2, "sequence-1", "vertical", "Unit")
    assert url_name == "unit-fresh1"


def test_a_new_course_in_french_gets_its_starting_content_in_french(studio: Studio):
    course = services.create_course(studio.admin, "Budgets ouverts", "budgets-ouverts", "fr", "")
    run = services.working_copy(studio.admin, course).content["run"]
    chapter = services.add_block(studio.admin, course, 1, run, "chapter", "Module 1")
    sequential = services.add_block(studio.admin, course, 2, chapter, "sequential", "Leçon")
    unit = services.add_block(studio.admin, course, 3, sequential, "vertical", "Page")
    lesson = services.add_block(studio.admin, course, 4, unit, "kuza_markdown")
    fields = services.working_copy(studio.admin, course).outline.get(lesson)["fields"]
    assert fields["display_name"] == "Nouvelle leçon"


def test_publishing_makes_a_new_version_through_the_importer_and_restarts_the_draft_from_it(studio: Studio):
    services.move_block(studio.editor, studio.course, 0, "unit-two", -1)
    services.rename_block(studio.editor, studio.course, 1, "unit-one", "Unit one again")
    plan = services.publish_plan(studio.editor, studio.course)
    assert [block.usage_id for block in plan.changes.moved] == ["unit-two"]
    assert [block.usage_id for block in plan.changes.changed] == ["unit-one"]
    published = services.publish(studio.editor, studio.course, 2)
    assert published.version.number == 2 and studio.course.published_version == published.version
    assert published.version.package_sha256  # a package digest: it came in through import_package
    tree = courseware.load_tree(published.version)
    assert tree.units == ("unit-two", "unit-one") and tree.nodes["unit-one"].title == "Unit one again"
    current = services.working_copy(studio.editor, studio.course)
    assert current.revision == 3 and current.draft.base_version == published.version
    assert not services.has_changes(current)
    with pytest.raises(services.PublishRefused, match="Nothing to publish"):
        services.publish(studio.editor, studio.course, 3)
    with pytest.raises(services.StaleDraft):
        services.publish(studio.editor, studio.course, 2)
    assert versions(studio.course) == 2


def test_a_draft_the_importer_refuses_is_not_published_and_nothing_is_stored(studio: Studio):
    services.add_block(studio.editor, studio.course, 0, "unit-one", "kuza_quiz")
    draft = db.session.execute(select(Draft)).scalar_one()
    quiz = draft.content["root"]["children"][0]["children"][0]["children"][0]["children"][-1]
    quiz["fields"]["pass_mark"] = 5  # as a broken editor might save it
    draft.content = {**draft.content}
    db.session.flush()
    plan = services.publish_plan(studio.editor, studio.course)
    assert not plan.publishable and any("vertical/unit-one.xml:" in problem for problem in plan.problems)
    with pytest.raises(services.PublishRefused) as refused:
        services.publish(studio.editor, studio.course, 1)
    assert refused.value.problems == list(plan.problems)
    assert versions(studio.course) == 1 and studio.course.published_version.number == 1


def test_a_course_with_nothing_to_read_cannot_be_published(studio: Studio):
    course = services.create_course(studio.admin, "Open budgets", "open-budgets", "en", "")
    run = services.working_copy(studio.admin, course).content["run"]
    services.add_block(studio.admin, course, 1, run, "chapter", "Module")
    with pytest.raises(services.PublishRefused, match="at least one unit"):
        services.publish(studio.admin, course, 2)
    assert course.published_version is None
