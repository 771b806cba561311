"""The flagship course over HTTP, in English and in French: enrol, read every unit, submit every quiz's plain form, and
get the certificate earned. Each language version is walked by a learner who reads the site in its language."""
from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files

import lxml.html
import pytest
from flask_babel import force_locale
from flask_babel import gettext as lms_gettext
from sqlalchemy import select

from lms.catalog.services import get_course
from lms.certificates.models import COMPLETION, PARTICIPATION, Certificate
from lms.certificates.services import check_credential
from lms.courseware.packages import import_package
from lms.courseware.services import load_tree
from lms.extensions import db
from tests.environment import REPO
from tests.factories import make_user, sign_in

# Each language version of the course, and the language its learner reads the site in.
COURSES = {"en": "public-service-innovation", "fr": "public-service-innovation-fr"}
POST_TEST = "post-test-quiz"
MODULE_QUIZZES = ("what-is-innovation-check-quiz", "equitable-services-check-quiz",
                  "transfer-and-adaptation-check-quiz", "award-winning-cases-check-quiz",
                  "your-adaptation-check-quiz")
# What HTML collapses: ASCII whitespace, not the no-break spaces that str.split() would also take.
HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass(frozen=True)
class Walk:
    """One language version of the course, and the words the site and its blocks show its learner."""

    slug: str
    locale: str

    def site(self, message: str, **values) -> str:
        """A sentence of the site (the lms catalogue) as this learner reads it."""
        with force_locale(self.locale):
            return lms_gettext(message, **values)

    def block(self, message: str) -> str:
        """A sentence of the blocks (kuza_xblocks' own catalogue, the text domain) as this learner reads it."""
        folder = files("kuza_xblocks") / "translations"
        return gettext.translation("text", str(folder), [self.locale], fallback=True).gettext(message)

    def prefix(self, message: str) -> str:
        """What a sentence ending in a %(date)s says before the date."""
        return self.site(message, date="\0").split("\0")[0]

    def every_lesson_complete(self) -> str:
        """How the progress page's count of lessons ends once every one is complete."""
        return self.site("%(done)s of %(total)s lessons complete (%(percent)s %%)",
                         done="\0", total="\0", percent=100).split("\0")[-1]

    def handler(self, action: str) -> str | None:
        match = re.fullmatch(rf"/courses/{re.escape(self.slug)}/xblock/([^/]+)/handler/submit", action)
        return match and match.group(1)


def words(value: str) -> str:
    """``value`` with its whitespace collapsed, as a browser shows it: no-break spaces (French puts them before
    ":" and "%") are kept, as a browser keeps them."""
    return re.sub(HTML_WHITESPACE, " ", value).strip(" \t\n\r\f")


def text(element) -> str:
    return words(element.text_content())


def form_posting_to(page, action: str):
    [form] = page.xpath("//form[@action=$action]", action=action)
    return form


def hidden_fields(form) -> dict[str, str]:
    return {field.name: field.value for field in form.xpath('.//input[@type="hidden"]')}


def label_of(fieldset, element) -> str:
    [label] = fieldset.xpath(".//label[@for=$id]", id=element.get("id"))
    return text(label)


def ticked(fieldset, wanted: list[str]) -> dict[str, list[str]]:
    """The radio or checkbox values whose labels read ``wanted``, under the name the page gives them."""
    boxes = {label_of(fieldset, box): box for box in fieldset.xpath(".//input[@type='radio' or @type='checkbox']")}
    chosen = [boxes[words(label)] for label in wanted]
    return {chosen[0].name: [box.get("value") for box in chosen]}


def selected(fieldset, rows: list[str], choose) -> dict[str, str]:
    """For each <select> whose label is one of ``rows`` (in that order), the option ``choose(index, options)``
    picks, where options maps each option's text to its value."""
    selects = {label_of(fieldset, select): select for select in fieldset.xpath(".//select")}
    assert len(selects) == len(rows)
    fields = {}
    for index, row in enumerate(rows):
        select = selects[words(row)]
        options = {text(option): option.get("value") for option in select.xpath("./option[@value!='']")}
        fields[select.name] = choose(index, options)
    return fields


def answer(walk: Walk, fieldset, question: dict, right: bool) -> dict:
    """The fields a learner sends for ``question``: its correct answer, or a wrong one that earns nothing.

    The right answer is read from the block's content, as the author wrote it; the page's own
    names, values and labels say where it goes, so shuffled options are found by their text.
    """
    kind = question["type"]
    if kind in ("single_choice", "multiple_response"):
        picked = [c["text"] for c in question["choices"] if bool(c.get("correct")) == right]
        return ticked(fieldset, picked if kind == "multiple_response" else picked[:1])
    if kind == "true_false":
        return ticked(fieldset, [walk.block("True" if question["answer"] == right else "False")])
    if kind in ("numeric", "short_text"):
        [box] = fieldset.xpath(".//input[@type='text']")
        if kind == "numeric":
            typed = f"{question['answer'] if right else question['answer'] + 1:g}"
        else:
            typed = question["answers"][0] if right else "no idea"
        return {box.name: typed}
    if kind == "ordering":
        items = question["items"]
        # Wrongly: every item one place later, the last first, so none is in its place.
        return selected(fieldset, [item["text"] for item in items],
                        lambda index, options: str((index if right else index + 1) % len(items) + 1))
    if kind == "matching":
        pairs = question["pairs"]
        # Wrongly: each left side matched with the next pair's right side.
        return selected(fieldset, [pair["left"] for pair in pairs], lambda index, options: options[
            words(pairs[index if right else (index + 1) % len(pairs)]["right"])])
    raise AssertionError(f"no answer for a {kind} question")


def take_the_course(client, walk: Walk, right_share: Mapping[str, float]) -> list[str]:
    """Enrol on the course page, open every unit from the outline in reading order, and submit each quiz's
    plain form (JavaScript off) once, and submit the adaptation plan; the messages the pages showed on the way.

    ``right_share`` gives a quiz's share of questions answered right (its first ones); the rest are
    answered wrongly, and a quiz not named is answered right throughout.
    """
    slug = walk.slug
    course_page = lxml.html.fromstring(client.get(f"/courses/{slug}/").get_data(as_text=True))
    enrol = form_posting_to(course_page, f"/courses/{slug}/enroll")
    assert client.post(enrol.action, data=hidden_fields(enrol)).status_code == 303

    tree = load_tree(get_course(slug).published_version)
    outline = lxml.html.fromstring(client.get(f"/courses/{slug}/learn/").get_data(as_text=True))
    units = outline.xpath("//ol[@class='outline']//a/@href")
    assert units == [f"/courses/{slug}/learn/{unit}" for unit in tree.units]

    submitted, messages = [], []
    for unit in units:
        response = client.get(unit)
        assert response.status_code == 200, unit
        page = lxml.html.fromstring(response.get_data(as_text=True))
        messages += [text(message) for message in page.xpath("//p[contains(@class, 'flash')]")]
        for form in page.xpath("//form[@class='kuza-quiz-form']"):
            usage_id = walk.handler(form.action)
            questions = tree.nodes[usage_id].fields["questions"]
            fieldsets = form.xpath(".//fieldset")
            assert len(fieldsets) == len(questions)
            right = round(right_share.get(usage_id, 1.0) * len(questions))
            data = hidden_fields(form)
            # Questions are shown in the order authored; only their options are shuffled.
            for number, (fieldset, question) in enumerate(zip(fieldsets, questions, strict=True)):
                data.update(answer(walk, fieldset, question, number < right))
            response = client.post(form.action, data=data)
            assert (response.status_code, response.headers["Location"]) == (303, unit)
            # Every question weighs one point, and a wrong answer earns none of it.
            after = lxml.html.fromstring(client.get(unit).get_data(as_text=True))
            score = walk.block("Score: %(earned)s of %(possible)s (%(percent)d%%).") % {
                "earned": right, "possible": len(questions), "percent": round(100 * right / len(questions))}
            assert score in text(after), usage_id
            messages += [text(message) for message in after.xpath("//p[contains(@class, 'flash')]")]
            submitted.append(usage_id)
        for form in page.xpath("//form[@class='kuza-reflection-form']"):
            # A plan is complete once submitted, with every prompt answered.
            data = {**hidden_fields(form), "action": "submit"}
            data.update({area.name: f"My plan: {area.name}." for area in form.xpath(".//textarea")})
            response = client.post(form.action, data=data)
            assert (response.status_code, response.headers["Location"]) == (303, unit)
            # Submitted: the page lists version 1 with its answers.
            assert "My plan: answer-problem." in text(lxml.html.fromstring(client.get(unit).get_data(as_text=True)))
            submitted.append(form.action.split("/")[-3])
    assert submitted == ["pre-test-quiz", *MODULE_QUIZZES[:-1], "your-adaptation-plan-form", MODULE_QUIZZES[-1],
                         POST_TEST]
    return messages


def progress_page(client, walk: Walk) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(client.get(f"/courses/{walk.slug}/progress").get_data(as_text=True))


def still_needed(page) -> list[str]:
    return [text(item) for item in page.xpath("//ul[@id='still-needed']/li")]


def certificates_of(learner) -> list[Certificate]:
    return list(db.session.execute(select(Certificate).filter_by(user_id=learner.id)).scalars())


@pytest.fixture(params=list(COURSES), ids=lambda locale: f"course-in-{locale}")
def walk(request, db_session) -> Walk:
    slug = COURSES[request.param]
    import_package(REPO / "courses" / slug)
    db.session.commit()
    return Walk(slug, locale=request.param)


@pytest.fixture
def learner(client, walk, key_folder):
    learner = make_user(name="Amina Diallo", email="amina@example.org")
    learner.locale = walk.locale
    db.session.commit()
    sign_in(client, learner)
    return learner


def test_a_learner_who_passes_gets_a_certificate_of_completion(client, walk, learner):
    messages = take_the_course(client, walk, right_share={})
    # Issued the moment the post-test was passed, and said so on the next page.
    assert messages == [walk.site("Congratulations! You have earned a certificate of completion. "
                                  "Find it on your progress page.")]
    page = progress_page(client, walk)

    assert text(page.get_element_by_id("overall")).endswith(walk.every_lesson_complete())
    assert text(page.get_element_by_id("state")) == walk.site("You have passed this course.")
    assert text(page.get_element_by_id("course-score")) == walk.site(
        "Your course score: %(score)s %%. Pass mark: %(mark)s %%.", score=100, mark=70)
    assert still_needed(page) == []
    [certificate] = certificates_of(learner)
    assert certificate.kind == COMPLETION
    [listed] = page.xpath("//h2[@id='certificate']/following-sibling::ul[1]/li")
    assert text(listed).startswith(walk.prefix("Certificate of completion, issued on %(date)s"))
    # Held already, so the page offers nothing to claim.
    assert not page.xpath(f"//form[@action='/courses/{walk.slug}/certificate']")

    [pdf_link] = listed.xpath(".//a[contains(@href, 'certificate.pdf')]/@href")
    assert pdf_link == f"/certificates/{certificate.public_id}/certificate.pdf"
    public = lxml.html.fromstring(client.get(f"/certificates/{certificate.public_id}").get_data(as_text=True))
    assert text(public.get_element_by_id("status")) == walk.site("This certificate is valid.")
    assert walk.site("Certificate of completion") in text(public)
    downloaded = client.get(f"/certificates/{certificate.public_id}/credential.json")
    check = check_credential(downloaded.get_json())
    assert check.result.valid, check.result.reason
    assert (check.learner_name, check.known, check.revoked_at) == ("Amina Diallo", True, None)
    pdf = client.get(pdf_link)
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf")
    assert pdf.data.startswith(b"%PDF-")


RAISE_THE_SCORE, PASS_THE_POST_TEST = "Raise your course score to %(mark)s %%", "Pass the final assessment"


@pytest.mark.parametrize(("right_share", "needed", "score"), [
    pytest.param({quiz: 0.0 for quiz in (*MODULE_QUIZZES, POST_TEST)},
                 [RAISE_THE_SCORE, PASS_THE_POST_TEST], 0, id="graded-quizzes-wrong"),
    # The quizzes' 60 % and half the post-test's 40 % reach the pass mark; the post-test's own does not.
    pytest.param({POST_TEST: 0.5}, [PASS_THE_POST_TEST], 80, id="post-test-failed"),
])
def test_a_learner_who_finishes_without_passing_gets_a_certificate_of_participation(
        client, walk, learner, right_share, needed, score):
    messages = take_the_course(client, walk, right_share)
    assert messages == [walk.site("You have earned a certificate of participation. Find it on your progress page.")]
    page = progress_page(client, walk)

    assert text(page.get_element_by_id("overall")).endswith(walk.every_lesson_complete())
    assert text(page.get_element_by_id("state")) == walk.site(
        "You have finished every lesson, but not yet passed the course.")
    assert text(page.get_element_by_id("course-score")) == walk.site(
        "Your course score: %(score)s %%. Pass mark: %(mark)s %%.", score=score, mark=70)
    assert still_needed(page) == [walk.site(item, mark=70) for item in needed]
    [certificate] = certificates_of(learner)
    assert certificate.kind == PARTICIPATION
    [listed] = page.xpath("//h2[@id='certificate']/following-sibling::ul[1]/li")
    assert text(listed).startswith(walk.prefix("Certificate of participation, issued on %(date)s"))
