"""A course's other-language versions, as its policy names them: the published ones only."""
from __future__ import annotations

import pytest

from lms.catalog.models import Course
from lms.catalog.services import translations_of
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
