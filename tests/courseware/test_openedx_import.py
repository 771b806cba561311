"""Import of a real Open edX course export: structure, html, problems, what is not available, and bad files.

Expected counts come from the export's own files, read here with lxml and nothing of Kuza's.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from sqlalchemy import select

from lms.catalog import services as catalog
from lms.catalog.models import Course
from lms.courseware.models import Score
from lms.courseware.packages import export_package, import_openedx, import_package
from lms.courseware.services import load_tree
from lms.extensions import db
from tests.factories import make_user, sign_in
from tests.environment import skip_or_fail

pytestmark = pytest.mark.usefixtures("db_session")

SUPPORTED = {"multiplechoiceresponse", "choiceresponse", "numericalresponse", "stringresponse", "optionresponse"}
STRUCTURE = ("chapter", "sequential", "vertical")


@pytest.fixture(scope="module")
def export() -> Path:
    path = os.environ.get("OPENEDX_COURSE_EXPORT")
    if not path:
        skip_or_fail("OPENEDX_COURSE_EXPORT is not set: no Open edX course export to import")
    if not (Path(path) / "course.xml").is_file():
        skip_or_fail(f"OPENEDX_COURSE_EXPORT={path} holds no course.xml")
    return Path(path)


def parse(export: Path, relative: str) -> etree._Element:
    return etree.parse(str(export / relative)).getroot()


def walk(export: Path) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The export's structure in reading order as (tag, url_name, display_name), and every block in a
    unit as (tag, url_name, defining file)."""
    run = parse(export, "course.xml").get("url_name")
    structure, leaves = [], []

    def visit(tag: str, url_name: str) -> None:
        element = parse(export, f"{tag}/{url_name}.xml")
        structure.append((tag, url_name, element.get("display_name", "")))
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if tag != "vertical":
                visit(child.tag, child.get("url_name"))
                continue
            pointer = set(child.attrib) == {"url_name"} and len(child) == 0
            file = f"{child.tag}/{child.get('url_name')}.xml" if pointer else f"vertical/{url_name}.xml"
            leaves.append((child.tag, child.get("url_name"), file))

    for chapter in parse(export, f"course/{run}.xml").iter("chapter"):
        visit("chapter", chapter.get("url_name"))
    return structure, leaves


def convertible(problem: etree._Element) -> bool:
    """Kuza grades a problem as Open edX does when it uses only the five types, no script, no regular
    expression, no partial credit, and plain numbers as numerical answers."""
    responses = [e for e in problem.iter() if isinstance(e.tag, str) and e.tag.endswith("response")]
    return (bool(responses) and {r.tag for r in responses} <= SUPPORTED and problem.find(".//script") is None
            and not any("regexp" in r.get("type", "") or r.get("partial_credit") for r in responses)
            and all(re.fullmatch(r"[+-]?[\d.]+", r.get("answer", "")) for r in responses
                    if r.tag == "numericalresponse"))


@pytest.fixture
def imported(export):
    result, report = import_openedx(export)
    db.session.commit()
    return result, report


def published_tree(slug: str):
    course = db.session.execute(select(Course).filter_by(slug=slug)).scalar_one()
    return load_tree(course.published_version)


def in_reading_order(tree) -> list:
    order = []

    def visit(usage_id: str) -> None:
        order.append(tree.nodes[usage_id])
        for child in tree.nodes[usage_id].children:
            visit(child)

    visit(tree.root)
    return order


def test_every_chapter_sequential_and_vertical_arrives_with_its_name_in_order(export, imported):
    result, report = imported
    structure, _ = walk(export)
    tree = published_tree(result.slug)
    arrived = [(node.block_type, node.usage_id, node.title) for node in in_reading_order(tree)
               if node.block_type in STRUCTURE]
    assert arrived == structure
    assert Counter(t for t, _, _ in structure) == {t: report.count("imported", t) for t in STRUCTURE}


def test_html_and_supported_problems_become_kuza_blocks_and_everything_else_is_in_the_report(export, imported):
    result, report = imported
    _, leaves = walk(export)
    tree = published_tree(result.slug)
    kinds = Counter(node.block_type for node in tree.nodes.values() if node.block_type not in STRUCTURE + ("course",))

    html = [leaf for leaf in leaves if leaf[0] == "html"]
    missing_html = [leaf for leaf in html
                    if not (export / "html" / f"{parse(export, leaf[2]).get('filename')}.html").is_file()]
    assert missing_html, "the export is expected to lack some files, as real exports do"
    assert report.count("imported", "html") == kinds["html"] == len(html) - len(missing_html)
    assert report.count("unreadable", "html") == len(missing_html)

    problems = [leaf for leaf in leaves if leaf[0] == "problem"]
    supported = [leaf for leaf in problems if convertible(parse(export, leaf[2]))]
    assert 0 < len(supported) < len(problems)
    assert report.count("converted", "problem") == kinds["kuza_quiz"] == len(supported)
    assert report.count("not available", "problem") == len(problems) - len(supported)

    others = Counter(tag for tag, _, _ in leaves if tag not in ("html", "problem"))
    assert {row.block_type: row.count for row in report.rows() if row.block_type in others} == dict(others)
    # What did not come across stays in its unit as a notice: one per block of the export's units.
    assert kinds["unavailable"] == sum(others.values()) + len(problems) - len(supported) + len(missing_html)
    assert sum(kinds.values()) == len(leaves)


def test_the_learner_sees_html_sanitised_and_a_notice_for_what_is_not_available(export, imported, client):
    result, _ = imported
    tree = published_tree(result.slug)
    learner = make_user()
    catalog.enroll(learner, db.session.execute(select(Course).filter_by(slug=result.slug)).scalar_one())
    db.session.commit()
    sign_in(client, learner)
    video = next(node for node in tree.nodes.values()
                 if node.block_type == "unavailable" and node.fields.get("block_type") == "video")
    unit = tree.nodes[video.parent]
    page = client.get(f"/courses/{result.slug}/learn/{unit.usage_id}").get_data(as_text=True)
    assert f"“{video.fields['display_name']}” is not available here." in page
    lesson = next(child for child in tree.children(unit.usage_id) if child.block_type == "html")
    assert 'class="kuza-html"' in page
    # /static/ points at the course's own files, as for Markdown lessons.
    assert "/static/" not in re.sub(r'src="/courses/[^"]+"', "", page.split('class="kuza-html"', 1)[1])
    assert lesson.usage_id


GRADED_ANSWERS = [
    # (problem url_name, responses, the share Open edX gives)
    ("870b16e640d541af94a308caac834d2e", "right", 1.0),
    ("870b16e640d541af94a308caac834d2e", "wrong", 0.0),
    ("0135258373e648f2b57a80ae06bade61", "right", 1.0),
    ("0135258373e648f2b57a80ae06bade61", "wrong", 0.0),  # checkboxes: all or nothing, as in Open edX
    ("3b8100660f3947c198e0a9b35f7c6cf6", "right", 1.0),
    ("3b8100660f3947c198e0a9b35f7c6cf6", "wrong", 0.0),
    ("3e5a945f54374fc7ababadc080660f2d", "right", 1.0),
    ("85f3f7f9b72548af880975112f27817c", "six of eight", 0.75),  # one point per dropdown
]


def words(element: etree._Element, skip=("choicehint", "optionhint")) -> str:
    parts = [element.text or ""] + [("" if child.tag in skip else "".join(child.itertext())) + (child.tail or "")
                                    for child in element]
    return " ".join("".join(parts).split())


def answers_for(export: Path, url_name: str, how: str) -> list[tuple[str, list[str] | str]]:
    """Per question, the choices to tick (by their text) or the text to type, worked out from the Open
    edX problem file itself: ("choose", [texts]) or ("type", text)."""
    problem = parse(export, f"problem/{url_name}.xml")
    answers = []
    for number, response in enumerate((e for e in problem.iter() if isinstance(e.tag, str)
                                       and e.tag.endswith("response")), start=1):
        right = how == "right" or (how == "six of eight" and number <= 6)
        if response.tag in ("multiplechoiceresponse", "choiceresponse"):
            choices = response.findall("*/choice")
            correct = [words(c) for c in choices if c.get("correct") == "true"]
            wrong = [words(c) for c in choices if c.get("correct") != "true"]
            if response.tag == "choiceresponse":
                answers.append(("choose", correct if right else correct[:-1] + wrong[:1]))
            else:
                answers.append(("choose", [correct[0] if right else wrong[0]]))
        elif response.tag == "numericalresponse":
            tolerance = float(response.find("responseparam").get("default"))
            answers.append(("type", str(float(response.get("answer")) + (tolerance if right else tolerance * 2))))
        elif response.tag == "stringresponse":
            # Letter case aside ("ci"), the text as written: any of the accepted ones.
            answers.append(("type", response.findall("additional_answer")[-1].get("answer").upper()))
        else:
            select_ = response.find("optioninput")
            options = re.findall(r"'([^']*)'", select_.get("options"))
            correct = options.index(select_.get("correct"))
            answers.append(("choose", [options[correct if right else (correct + 1) % len(options)]]))
    return answers


def filled_form(page: str, handler: str, answers) -> dict[str, list[str]]:
    """The quiz's plain form (JavaScript off) with the answers given, as a browser would send it."""
    form = next(f for f in lxml.html.fromstring(page).forms if f.action == handler)
    data: dict[str, list[str]] = {}
    for element in form.xpath(".//input[@type='hidden']"):
        data.setdefault(element.name, []).append(element.get("value"))
    fieldsets = form.xpath(".//fieldset[contains(@class, 'kuza-quiz-question')]")
    assert len(fieldsets) == len(answers)
    for fieldset, (kind, answer) in zip(fieldsets, answers, strict=True):
        if kind == "type":
            [field] = fieldset.xpath(".//input[@type='text']")
            data[field.name] = [answer]
            continue
        labels = {" ".join(label.text_content().split()): label.get("for") for label in fieldset.xpath(".//label")}
        for text in answer:
            [choice] = fieldset.xpath(f".//input[@id='{labels[text]}']")
            data.setdefault(choice.name, []).append(choice.get("value"))  # .value is None until ticked
    return data


@pytest.mark.parametrize(("url_name", "how", "share"), GRADED_ANSWERS)
def test_a_converted_problem_grades_as_in_open_edx(export, imported, client, url_name, how, share):
    result, _ = imported
    tree = published_tree(result.slug)
    learner = make_user()
    catalog.enroll(learner, db.session.execute(select(Course).filter_by(slug=result.slug)).scalar_one())
    db.session.commit()
    sign_in(client, learner)
    unit = tree.nodes[tree.nodes[url_name].parent]
    page = client.get(f"/courses/{result.slug}/learn/{unit.usage_id}").get_data(as_text=True)
    handler = f"/courses/{result.slug}/xblock/{url_name}/handler/submit"
    answered = client.post(handler, data=filled_form(page, handler, answers_for(export, url_name, how)))
    assert answered.status_code == 303, answered.get_data(as_text=True)
    score = db.session.execute(select(Score).filter_by(user_id=learner.id, usage_id=url_name)).scalar_one()
    assert score.earned / score.possible == pytest.approx(share)


def test_a_malformed_file_is_reported_with_its_line_and_the_rest_imports(export, tmp_path):
    broken = tmp_path / "export"
    shutil.copytree(export, broken)
    _, leaves = walk(export)
    problem = next(leaf for leaf in leaves if leaf[0] == "problem" and leaf[2].startswith("problem/"))
    (broken / problem[2]).write_text('<problem display_name="Broken">\n  <choiceresponse>\n</problem>\n')
    result, report = import_openedx(broken)
    [entry] = [e for e in report.entries if e.file == problem[2]]
    assert (entry.outcome, entry.line) == ("unreadable", 3)
    assert "malformed XML" in entry.reason
    tree = published_tree(result.slug)
    assert tree.nodes[problem[1]].block_type == "unavailable"
    assert report.count("imported", "html") > 200


def test_the_same_export_twice_changes_nothing_and_a_changed_one_keeps_learner_state(export, tmp_path):
    first, _ = import_openedx(export)
    again, _ = import_openedx(export)
    assert (again.unchanged, again.version_number) == (True, first.version_number)

    course = db.session.execute(select(Course).filter_by(slug=first.slug)).scalar_one()
    learner = make_user()
    catalog.enroll(learner, course)
    db.session.add(Score(user_id=learner.id, course_id=course.id, usage_id="870b16e640d541af94a308caac834d2e",
                         earned=1.0, possible=1.0))
    db.session.commit()
    changed = tmp_path / "export"
    shutil.copytree(export, changed)
    chapter = next((changed / "chapter").glob("*.xml"))
    chapter.write_text(chapter.read_text().replace('display_name="', 'display_name="Revised: ', 1))
    third, _ = import_openedx(changed)
    assert (third.unchanged, third.version_number) == (False, first.version_number + 1)
    assert db.session.execute(select(Score).filter_by(user_id=learner.id)).scalar_one().earned == 1.0
    assert published_tree(first.slug).nodes["870b16e640d541af94a308caac834d2e"].block_type == "kuza_quiz"


def test_the_command_prints_the_report_as_a_table_or_as_json(app, export):
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["import-course", "--from-openedx", str(export)])
    assert shown.exit_code == 0, shown.output
    assert re.search(r"video\s+\d+\s+not available", shown.output)
    assert re.search(r"problem/\w+\.xml:\d+: <problem> not available: <customresponse> cannot be graded here",
                     shown.output)
    assert "Published DemoX version" in shown.output or "DemoX: unchanged" in shown.output
    as_json = runner.invoke(args=["import-course", "--from-openedx", "--json", str(export)])
    document = json.loads(as_json.output)
    assert document["unchanged"] is True
    assert document["summary"]["converted"] == sum(r["count"] for r in document["rows"] if r["outcome"] == "converted")
    assert {"block_type", "outcome", "file", "line", "display_name", "reason"} <= set(document["blocks"][0])


def test_an_imported_course_exports_as_a_kuza_package_that_imports_to_the_same_course(export, imported, tmp_path):
    result, _ = imported
    before = published_tree(result.slug)
    out = export_package(result.slug, tmp_path / "out")
    again = import_package(out)
    assert again.version_number == result.version_number + 1
    after = published_tree(result.slug)
    assert [(n.block_type, n.usage_id, n.fields) for n in in_reading_order(after)] == \
        [(n.block_type, n.usage_id, n.fields) for n in in_reading_order(before)]
