"""Course packages with quizzes: a good quiz round-trips; a malformed one is refused with file and line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lms.courseware.packages import export_package, import_package
from tests.courseware.test_packages import FIXTURE, SLUG, olx_errors, rejected

QUIZ = """<vertical display_name="Check">
  <kuza_quiz url_name="check-quiz" display_name="Check" mode="graded" max_attempts="2" pass_mark="0.7" xblock-family="xblock.v1">
    <single_choice id="where">
      <prompt>Where is the Isange One Stop Centre?</prompt>
      <choice id="kigali" correct="true" feedback="Yes.">Kigali</choice>
      <choice id="dhaka" feedback="No.">Dhaka</choice>
      <explanation>It opened in Kigali in 2009.</explanation>
    </single_choice>
    <numeric id="year" answer="2009" tolerance="0">
      <prompt>In which year did it open?</prompt>
    </numeric>
  </kuza_quiz>
</vertical>
"""


def package_with(tmp_path: Path, quiz: str) -> Path:
    """The fixture package with one more unit holding ``quiz``."""
    package = tmp_path / "package"
    shutil.copytree(FIXTURE, package)
    sequential = package / "sequential" / "seq-one.xml"
    text = sequential.read_text()
    sequential.write_text(text.replace("</sequential>", '  <vertical url_name="v-quiz"/>\n</sequential>'))
    (package / "vertical" / "v-quiz.xml").write_text(quiz)
    return package


def test_a_quiz_round_trips_through_import_and_export(db_session, tmp_path):
    first = import_package(package_with(tmp_path, QUIZ))
    export_package(SLUG, tmp_path / "export")
    exported = (tmp_path / "export" / "vertical" / "v-quiz.xml").read_text()
    assert '<kuza_quiz url_name="check-quiz"' in exported and 'answer="2009"' in exported
    assert olx_errors(tmp_path / "export") == []
    assert import_package(tmp_path / "export").block_count == first.block_count


@pytest.mark.parametrize(("change", "reason"), [
    (('correct="true" ', ""), "no choice is marked correct"),
    (("<numeric ", "<essay "), "essay"),
    (('tolerance="0"', 'tolerance="a little"'), "tolerance"),
])
def test_a_malformed_quiz_is_refused_with_file_line_and_reason(db_session, tmp_path, change, reason):
    broken = QUIZ.replace(*change)
    if change[0] == "<numeric ":
        broken = broken.replace("</numeric>", "</essay>")
    problems = rejected(package_with(tmp_path, broken))
    assert len(problems) == 1
    assert problems[0].startswith("vertical/v-quiz.xml:")
    line = int(problems[0].split(":")[1])
    assert 2 <= line <= 13
    assert reason in problems[0]
