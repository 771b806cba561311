"""Tests that the kuza-xblocks wheel carries everything an Open edX site needs at run time."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # Built from a copy: setuptools writes build/ and *.egg-info/ next to the sources.
    copy = tmp_path_factory.mktemp("source") / "xblocks"
    shutil.copytree(
        SOURCE, copy, ignore=shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", ".*")
    )
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(copy)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("kuza_xblocks-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def test_wheel_ships_templates_css_and_catalogues(wheel):
    names = set(wheel.namelist())
    for required in [
        "kuza_xblocks/markdown/templates/markdown.html",
        "kuza_xblocks/markdown/public/markdown.css",
        "kuza_xblocks/translations/en/LC_MESSAGES/text.po",
        "kuza_xblocks/translations/en/LC_MESSAGES/text.mo",
        "kuza_xblocks/translations/fr/LC_MESSAGES/text.po",
        "kuza_xblocks/translations/fr/LC_MESSAGES/text.mo",
        "kuza_xblocks/markdown/block.py",
        "kuza_xblocks/quiz/block.py",
        "kuza_xblocks/quiz/templates/quiz.html",
        "kuza_xblocks/quiz/public/quiz.css",
        "kuza_xblocks/quiz/public/quiz.js",
        "kuza_xblocks/reflection/block.py",
        "kuza_xblocks/reflection/templates/reflection.html",
        "kuza_xblocks/reflection/public/reflection.css",
        "kuza_xblocks/translations/pt/LC_MESSAGES/text.mo",
        "kuza_xblocks/translations/ar/LC_MESSAGES/text.mo",
        "kuza_xblocks/case_study/block.py",
        "kuza_xblocks/case_study/templates/case_study.html",
        "kuza_xblocks/case_study/public/case_study.css",
    ]:
        assert required in names, required
    assert not [name for name in names if name.startswith("tests/")]


def test_wheel_files_are_the_source_files(wheel):
    for name in [
        "kuza_xblocks/markdown/public/markdown.css",
        "kuza_xblocks/translations/fr/LC_MESSAGES/text.mo",
        "kuza_xblocks/quiz/public/quiz.js",
        "kuza_xblocks/quiz/templates/quiz.html",
        "kuza_xblocks/case_study/templates/case_study.html",
        "kuza_xblocks/case_study/public/case_study.css",
        "kuza_xblocks/translations/ar/LC_MESSAGES/text.mo",
        "kuza_xblocks/translations/pt/LC_MESSAGES/text.po",
        "kuza_xblocks/reflection/templates/reflection.html",
        "kuza_xblocks/reflection/public/reflection.css",
    ]:
        assert wheel.read(name) == (SOURCE / name).read_bytes(), name


def test_wheel_declares_the_entry_point_and_python(wheel):
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    declared = wheel.read(entry_points).decode()
    assert "[xblock.v1]\n" in declared
    assert "kuza_markdown = kuza_xblocks.markdown.block:MarkdownBlock" in declared
    assert "kuza_quiz = kuza_xblocks.quiz.block:QuizBlock" in declared
    assert "kuza_case_study = kuza_xblocks.case_study.block:CaseStudyBlock" in declared
    assert "kuza_reflection = kuza_xblocks.reflection.block:ReflectionBlock" in declared
    meta = wheel.read(metadata).decode()
    assert "Requires-Python: >=3.12" in meta
    for requirement in ["XBlock>=6.3", "Markdown", "nh3", "Jinja2", "Django", "pycountry"]:
        assert f"Requires-Dist: {requirement}" in meta, requirement
