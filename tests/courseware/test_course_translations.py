"""The flagship course in English and in French: each imports cleanly, exports to OLX that Open edX accepts and
re-imports to the same export, cites a source on the web for every case, and both have one structure and one set of
quiz questions, so that knowledge gains compare across languages."""
from __future__ import annotations

import filecmp
import json
import re
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest

from lms.catalog.services import get_course, translations_of
from lms.courseware.olx import BlockNode, read_package
from lms.courseware.packages import export_package, import_package
from lms.extensions import db
from tests.courseware.test_packages import olx_errors, rejected
from tests.environment import REPO

ENGLISH, FRENCH = "public-service-innovation", "public-service-innovation-fr"
COURSES = {"en": ENGLISH, "fr": FRENCH}
# Fields that hold words in the course's language. Everything else (ids, answers, flags, numbers, quiz settings,
# countries, years, addresses) is the same in every language version.
TEXT_FIELDS = frozenset({
    "display_name", "language", "markdown", "prompt", "explanation", "feedback", "feedback_true", "feedback_false",
    "text", "left", "right", "answers", "institution", "award", "problem", "innovation", "beneficiaries", "results",
    "partners", "success_factors", "transfer_conditions", "title", "publisher", "hint",
})

pytestmark = pytest.mark.usefixtures("db_session")


def package_path(slug: str) -> Path:
    return REPO / "courses" / slug


def without_words(value: Any) -> Any:
    """``value`` with every text field left out, at any depth."""
    if isinstance(value, dict):
        return {key: without_words(item) for key, item in value.items() if key not in TEXT_FIELDS}
    if isinstance(value, list):
        return [without_words(item) for item in value]
    return value


def shape(node: BlockNode) -> tuple:
    return node.block_type, node.url_name, without_words(node.fields), [shape(child) for child in node.children]


def quizzes(node: BlockNode) -> list[BlockNode]:
    found = [node] if node.block_type == "kuza_quiz" else []
    return found + [quiz for child in node.children for quiz in quizzes(child)]


def kuza_types(node: BlockNode) -> set[str]:
    found = {node.block_type} if node.block_type.startswith("kuza_") else set()
    return found.union(*(kuza_types(child) for child in node.children))


def files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.mark.parametrize("language", COURSES)
def test_each_language_version_imports_without_warnings_and_round_trips_through_olx(language, tmp_path):
    slug = COURSES[language]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        imported = import_package(package_path(slug))
    assert [str(warning.message) for warning in caught] == []
    assert get_course(slug).published_version.language == language

    first = export_package(slug, tmp_path / "first")
    # olxcleaner checks the structure only; re-importing reads every kuza_* block through its own class.
    assert olx_errors(first) == []
    # Studio shows a course's blocks of types its policy lists as advanced modules.
    (policy,) = json.loads((first / "policies" / "2026" / "policy.json").read_text()).values()
    assert set(policy["advanced_modules"]) == kuza_types(read_package(first).root) == {
        "kuza_markdown", "kuza_quiz", "kuza_case_study", "kuza_reflection"}
    again = import_package(first)
    second = export_package(slug, tmp_path / "second")

    assert (again.version_number, again.block_count) == (imported.version_number + 1, imported.block_count)
    assert files_under(first) == files_under(second)
    _, mismatched, errors = filecmp.cmpfiles(first, second, files_under(first), shallow=False)
    assert (mismatched, errors) == ([], [])


WEB_ADDRESS = re.compile(r"https?://[^\s/]+\.[^\s/]+")


@pytest.mark.parametrize("language", COURSES)
def test_every_case_study_cites_a_source_on_the_web(language):
    cases = [node for node, _, _ in read_package(package_path(COURSES[language])).blocks()
             if node.block_type == "kuza_case_study"]
    assert len(cases) >= 8
    for case in cases:
        assert any(WEB_ADDRESS.match(source.get("url", "")) for source in case.fields["sources"]), case.url_name


@pytest.mark.parametrize("language", COURSES)
def test_a_case_study_whose_sources_lose_their_web_address_is_refused(language, tmp_path):
    package = tmp_path / "course"
    shutil.copytree(package_path(COURSES[language]), package)
    case_file = min(path for path in (package / "vertical").glob("*.xml") if "<kuza_case_study" in path.read_text())
    olx = case_file.read_text()
    without = re.sub(r'(<source\b[^>]*?) url="[^"]*"', r"\1", olx)
    assert without != olx and ' url="' not in without[without.index("<sources>"):without.index("</sources>")]
    case_file.write_text(without)

    problems = rejected(package)
    line = without[: without.index("<source ")].count("\n") + 1
    assert problems and problems[0].startswith(f"vertical/{case_file.name}:{line}: <kuza_case_study url_name=")
    assert all("<source> has no url" in problem for problem in problems), problems


def test_the_french_version_has_the_english_structure_url_names_and_settings():
    english, french = read_package(package_path(ENGLISH)), read_package(package_path(FRENCH))

    assert (english.root.fields["language"], french.root.fields["language"]) == ("en", "fr")
    assert shape(french.root) == shape(english.root)
    assert without_words(french.policy) == without_words(english.policy) | {"translations": {"en": ENGLISH}}


def test_the_french_quizzes_ask_the_english_questions_with_the_same_ids_and_answers():
    english, french = read_package(package_path(ENGLISH)), read_package(package_path(FRENCH))
    english_quizzes, french_quizzes = quizzes(english.root), quizzes(french.root)

    assert [quiz.url_name for quiz in french_quizzes] == [quiz.url_name for quiz in english_quizzes]
    for ours, theirs in zip(french_quizzes, english_quizzes, strict=True):
        assert ours.fields.get("question_set") == theirs.fields.get("question_set"), ours.url_name
        assert [q["id"] for q in ours.fields["questions"]] == [q["id"] for q in theirs.fields["questions"]]
        assert without_words(ours.fields["questions"]) == without_words(theirs.fields["questions"]), ours.url_name
        # Every question is in French: none is left as the English text.
        assert not {q["prompt"] for q in ours.fields["questions"]} & {q["prompt"] for q in theirs.fields["questions"]}
    assert {quiz.fields.get("question_set") for quiz in french_quizzes} >= {"course-knowledge"}


def test_the_french_text_is_translated_not_copied():
    english, french = read_package(package_path(ENGLISH)), read_package(package_path(FRENCH))
    english_text = {node.url_name: node.fields.get("display_name") for node, _, _ in english.blocks()}

    copied = [node.url_name for node, _, _ in french.blocks()
              if node.fields.get("display_name") and node.fields["display_name"] == english_text[node.url_name]]
    assert copied == []


def test_each_version_names_the_other_and_the_catalogue_finds_it():
    for slug in COURSES.values():
        import_package(package_path(slug))
    db.session.commit()
    english, french = get_course(ENGLISH), get_course(FRENCH)

    assert translations_of(english) == [french]
    assert translations_of(french) == [english]
