"""A course's other-language versions, as its policy names them: the published ones only."""
from __future__ import annotations

import pytest

from lms.catalog.models import Course
from lms.catalog.services import published_courses, translation_families, translations_of
from lms.extensions import db
from tests.factories import make_course

pytestmark = pytest.mark.usefixtures("db_session")


def course_in(slug: str, language: str, translations: dict[str, str] | None = None) -> Course:
    course = make_course(slug)
    course.published_version.language = language
    course.published_version.policy = {"translations": translations} if translations else {}
    db.session.flush()
    return course


def test_the_versions_in_other_languages_come_in_the_order_of_their_language_codes():
    english = course_in("civic-tech", "en", {"pt": "civic-tech-pt", "fr": "civic-tech-fr"})
    french = course_in("civic-tech-fr", "fr", {"en": "civic-tech"})
    portuguese = course_in("civic-tech-pt", "pt")

    assert translations_of(english) == [french, portuguese]
    assert translations_of(french) == [english]
    # Naming is one-way: the Portuguese version names none.
    assert translations_of(portuguese) == []


def test_a_version_not_published_is_left_out():
    english = course_in("civic-tech", "en", {"fr": "civic-tech-fr", "ar": "civic-tech-ar"})
    db.session.add(Course(slug="civic-tech-fr"))  # imported nowhere yet: no published version
    db.session.flush()

    assert translations_of(english) == []


def test_a_version_in_another_language_than_the_policy_says_is_left_out():
    english = course_in("civic-tech", "en", {"fr": "civic-tech-pt", "ar": "civic-tech-ar"})
    course_in("civic-tech-pt", "pt")
    arabic = course_in("civic-tech-ar", "ar")

    assert translations_of(english) == [arabic]


def test_versions_of_one_course_form_one_family_whichever_way_they_are_named():
    english = course_in("civic-tech", "en", {"pt": "civic-tech-pt"})
    course_in("civic-tech-fr", "fr", {"en": "civic-tech"})
    course_in("civic-tech-pt", "pt")  # names none: the English names it
    course_in("open-data", "en", {"fr": "civic-tech-fr"})  # names a version in French of another course
    course_in("open-data-sw", "sw", {"en": "civic-tech"})  # in Swahili, names an English course
    course_in("budgets", "en", {"fr": "civic-tech-pt"})  # the named course is not in French: no link

    families = translation_families(published_courses())

    assert families["civic-tech"] == families["civic-tech-fr"] == families["civic-tech-pt"] == "civic-tech"
    # A link in either direction joins families: open-data names the French version of civic-tech.
    assert families["open-data"] == families["open-data-sw"] == "civic-tech"
    assert families["budgets"] == "budgets"
    assert translations_of(english) == [catalog_course("civic-tech-pt")]


def catalog_course(slug: str) -> Course:
    return db.session.query(Course).filter_by(slug=slug).one()
