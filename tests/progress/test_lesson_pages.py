"""The outline, the unit page and the progress page over HTTP: they count the same lessons (units, done when every
block in them is complete), show each lesson's state, and put the learner's pre-test and post-test side by side."""
from __future__ import annotations

import re

import lxml.html
import pytest

from lms.catalog import services as catalog
from lms.catalog.services import get_course
from lms.courseware.packages import import_package
from lms.courseware.services import load_tree
from lms.extensions import db
from tests.environment import REPO
from tests.factories import make_course, make_user, sign_in

SLUG = "counting"


def question(number: int) -> dict:
    return {"id": f"q{number}", "type": "single_choice", "prompt": f"Question {number}?", "explanation": "",
            "weight": 1.0, "choices": [{"id": "right", "text": f"Right {number}", "correct": True},
                                       {"id": "wrong", "text": f"Wrong {number}", "correct": False}]}


def quiz(mode: str) -> tuple[str, dict]:
    return ("kuza_quiz", {"display_name": {"pre_test": "Before", "post_test": "After"}[mode], "mode": mode,
                          "question_set": "knowledge", "questions": [question(1), question(2)], "max_attempts": 0,
                          "pass_mark": 0.5, "show_answers": "never", "shuffle": False})


UNITS = {
    # A text and the pre-test: one lesson, done only once both are.
    "start": [("kuza_markdown", {"display_name": "Welcome", "markdown": "Welcome."}), quiz("pre_test")],
    "read-one": [("kuza_markdown", {"display_name": "One", "markdown": "One."})],
    "read-two": [("kuza_markdown", {"display_name": "Two a", "markdown": "Two."}),
                 ("kuza_markdown", {"display_name": "Two b", "markdown": "Two again."})],
    "finish": [quiz("post_test")],
}


@pytest.fixture
def learner(client, db_session):
    user = make_user()
    catalog.enroll(user, make_course(slug=SLUG, units=UNITS))
    db.session.commit()
    sign_in(client, user)
    return user


def page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return lxml.html.fromstring(response.get_data(as_text=True))


def words(element) -> str:
    return " ".join(element.text_content().split())


def position(client, unit: str, slug: str = SLUG) -> tuple[int, int]:
    """What the unit page says: "Lesson N of M"."""
    shown = words(page(client, f"/courses/{slug}/learn/{unit}").xpath("//nav[@class='unit-nav']/p")[0])
    number, total = re.fullmatch(r"Lesson (\d+) of (\d+)", shown).groups()
    return int(number), int(total)


def progress_counts(client, slug: str = SLUG) -> tuple[int, int]:
    """What the progress page says: "D of M lessons complete (P %)"."""
    shown = words(page(client, f"/courses/{slug}/progress").get_element_by_id("overall"))
    done, total = re.match(r"(\d+) of (\d+) lessons complete \(\d+ %\)$", shown).groups()
    return int(done), int(total)


def lessons_still_to_finish(client) -> int:
    items = page(client, f"/courses/{SLUG}/progress").xpath("//ul[@id='still-needed']/li")
    return sum(int(re.search(r": (\d+)$", words(item)).group(1)) for item in items
               if words(item).startswith("Lessons still to finish"))


def states(client, path: str) -> dict[str, str]:
    """Each lesson link of the outline or of a unit's course menu, by its address's last part: its state as a
    screen reader reads it, in words after its title."""
    links = page(client, path).xpath("//a[contains(concat(' ', @class, ' '), ' lesson ')]")
    return {link.get("href").rsplit("/", 1)[1]: words(link.xpath("./span[@class='visually-hidden']")[0])
            for link in links}


def submit(client, unit: str, right: int) -> None:
    """Answer the unit's quiz by its plain form: the first ``right`` questions right, the rest wrong."""
    html = page(client, f"/courses/{SLUG}/learn/{unit}")
    [form] = html.xpath("//form[@class='kuza-quiz-form']")
    data = {field.name: field.value for field in form.xpath(".//input[@type='hidden']")}
    for number, fieldset in enumerate(form.xpath(".//fieldset"), start=1):
        wanted = f"Right {number}" if number <= right else f"Wrong {number}"
        [box] = [box for box in fieldset.xpath(".//input[@type='radio']")
                 if words(fieldset.xpath(".//label[@for=$id]", id=box.get("id"))[0]) == wanted]
        data[box.name] = box.get("value")
    assert client.post(form.action, data=data).status_code == 303


def test_the_unit_position_and_the_progress_page_count_the_same_lessons(client, learner):
    assert progress_counts(client) == (0, 4)
    # Opening a unit completes its texts: the lesson of two texts is done, and the menu shows it at once.
    assert position(client, "read-two") == (3, 4)
    assert progress_counts(client) == (1, 4)
    assert states(client, f"/courses/{SLUG}/learn/read-two")["read-two"] == "(Done)"
    # Its text read but its pre-test not answered: the first lesson is in progress, not done.
    assert position(client, "start") == (1, 4)
    assert progress_counts(client) == (1, 4) and lessons_still_to_finish(client) == 3
    submit(client, "start", right=1)
    assert progress_counts(client) == (2, 4) and lessons_still_to_finish(client) == 2
    # The outline says the same, lesson by lesson, with the pre-test's score.
    outline = states(client, f"/courses/{SLUG}/learn/")
    assert outline == {"start": "(Done)", "read-one": "(Not started)", "read-two": "(Done)", "finish": "(Not started)"}
    assert words(page(client, f"/courses/{SLUG}/learn/").xpath("//a[contains(@href, '/start')]")[0]) == (
        "Start (Done) Score: 50 %")
    assert "2 of 4 lessons done" in words(page(client, f"/courses/{SLUG}/learn/").xpath("//details[@class='chapter']/summary")[0])
    for unit in ("read-one", "finish"):
        position(client, unit)
    submit(client, "finish", right=2)
    assert position(client, "finish") == (4, 4) and progress_counts(client) == (4, 4)
    assert lessons_still_to_finish(client) == 0


def test_the_progress_page_shows_pre_test_post_test_and_gain(client, learner):
    gain = page(client, f"/courses/{SLUG}/progress").xpath("//ul[contains(@class, 'gain')]")[0]
    assert words(gain.xpath(".//li[@class='pre-test']")[0]) == "Pre-test Not taken yet Before"
    submit(client, "start", right=1)
    shown = page(client, f"/courses/{SLUG}/progress")
    assert words(shown.xpath("//ul[contains(@class, 'gain')]/li[@class='pre-test']")[0]) == "Pre-test 50 % Before"
    assert words(shown.xpath("//p[@class='gain-says']")[0]) == "Take the post-test to see your gain."
    submit(client, "finish", right=2)
    shown = page(client, f"/courses/{SLUG}/progress")
    gain = shown.xpath("//ul[contains(@class, 'gain')]")[0]
    assert [words(item) for item in gain.xpath("./li")] == [
        "Pre-test 50 % Before", "Post-test 100 % After", "Your gain +50 percentage points"]
    assert words(shown.xpath("//p[@class='gain-says']")[0]) == (
        "Your post-test score is 50 percentage points higher than your pre-test score.")
    # A second, worse post-test: the latest attempt is the one compared, the first pre-test stays.
    submit(client, "finish", right=0)
    gain = page(client, f"/courses/{SLUG}/progress").xpath("//ul[contains(@class, 'gain')]")[0]
    assert words(gain.xpath("./li[@class='gain-points']")[0]) == "Your gain −50 percentage points"


def test_the_flagship_course_counts_its_units_everywhere(client, db_session):
    import_package(REPO / "courses" / "public-service-innovation")
    user = make_user()
    course = get_course("public-service-innovation")
    catalog.enroll(user, course)
    db.session.commit()
    sign_in(client, user)
    tree = load_tree(course.published_version)
    slug = course.slug
    units = len(tree.units)
    # The second unit is text only: opening it completes it. The first holds the pre-test, still to answer.
    assert position(client, tree.units[1], slug) == (2, units)
    assert position(client, tree.units[0], slug) == (1, units)
    assert progress_counts(client, slug) == (1, units)
    outline = states(client, f"/courses/{slug}/learn/")
    assert list(outline) == list(tree.units)
    assert outline[tree.units[0]] == "(In progress)" and outline[tree.units[1]] == "(Done)"
    assert sum(state == "(Done)" for state in outline.values()) == 1
    # The menu of a unit lists its chapter's lessons and links every other chapter.
    menu = page(client, f"/courses/{slug}/learn/{tree.units[0]}").xpath("//details[@class='course-menu']")[0]
    first_chapter = tree.units_under(tree.chapters()[0].usage_id)
    assert [a.get("href").rsplit("/", 1)[1] for a in menu.xpath(".//a[contains(@class, 'lesson')]")] == first_chapter
    assert len(menu.xpath(".//ol[@class='menu-chapters']/li")) == len(tree.chapters()) - 1
