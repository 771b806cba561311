"""Tests that the kuza-xblocks wheel carries everything an Open edX site needs at run time."""

import io
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo

SOURCE = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(wheel_path):
    with zipfile.ZipFile(wheel_path) as archive:
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


def test_wheel_ships_every_file_of_the_package(wheel):
    # What the blocks read at run time is whatever sits beside their code: a template, stylesheet or
    # script added without a package-data pattern to match it would be missing only on installed sites.
    # The catalogue template (text.pot) is for translators, and nothing reads it at run time.
    package = SOURCE / "kuza_xblocks"
    source = {
        str(path.relative_to(SOURCE))
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.name != "text.pot"
    }
    shipped = {name for name in wheel.namelist() if name.startswith("kuza_xblocks/")}
    assert shipped == source


def marked_strings(folder):
    """The msgids marked for translation in kuza_xblocks/<folder>/, as pybabel extracts the text catalogue."""
    with (SOURCE / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {
        message if isinstance(message, str) else message[0]
        for name, _, message, _, _ in extract_from_dir(
            str(SOURCE), method_map, options_map, keywords={**DEFAULT_KEYWORDS, "N_": None}
        )
        if name.startswith(f"kuza_xblocks/{folder}/")
    }
    assert found, folder
    return found


def translated(catalogue, msgid):
    """Whether the compiled ``catalogue`` holds a translation of ``msgid`` (each of its plural forms, if any)."""
    message = catalogue.get(msgid)
    if message is None:
        return False
    return all(message.string) if isinstance(message.string, tuple) else bool(message.string)


@pytest.mark.parametrize("folder", ["case_study", "reflection"])
@pytest.mark.parametrize("language", ["fr", "pt", "ar"])
def test_the_wheels_compiled_catalogues_translate_each_content_block(wheel, folder, language):
    compiled = wheel.read(f"kuza_xblocks/translations/{language}/LC_MESSAGES/text.mo")
    catalogue = read_mo(io.BytesIO(compiled))
    assert sorted(msgid for msgid in marked_strings(folder) if not translated(catalogue, msgid)) == []


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
