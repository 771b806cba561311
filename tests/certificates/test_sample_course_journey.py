"""The sample course over HTTP: enrol, read every unit, submit every quiz's plain form, and get the certificate earned."""
from __future__ import annotations

import re
from collections.abc import Mapping

import lxml.html
import pytest
from sqlalchemy import select

from lms.certificates.models import COMPLETION, PARTICIPATION, Certificate
from lms.certificates.services import check_credential
from lms.courseware.services import load_tree
from lms.extensions import db
from tests.factories import make_user, sign_in

SLUG = "public-service-innovation"
POST_TEST = "post-test-quiz"
MODULE_QUIZZES = ("what-is-innovation-check-quiz", "equitable-services-check-quiz",
                  "transfer-and-adaptation-check-quiz", "award-winning-cases-check-quiz",
                  "your-adaptation-check-quiz")
HANDLER = re.compile(rf"^/courses/{SLUG}/xblock/([^/]+)/handler/submit$")


def words(value: str) -> str:
    """``value`` with its whitespace collapsed, as a browser shows it."""
    return " ".join(value.split())


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


def answer(fieldset, question: dict, right: bool) -> dict:
    """The fields a learner sends for ``question``: its correct answer, or a wrong one that earns nothing.

    The right answer is read from the block's content, as the author wrote it; the page's own
    names, values and labels say where it goes, so shuffled options are found by their text.
    """
    kind = question["type"]
    if kind in ("single_choice", "multiple_response"):
        picked = [c["text"] for c in question["choices"] if bool(c.get("correct")) == right]
        return ticked(fieldset, picked if kind == "multiple_response" else picked[:1])
    if kind == "true_false":
        return ticked(fieldset, ["True" if question["answer"] == right else "False"])
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


def take_the_course(client, course, right_share: Mapping[str, float]) -> list[str]:
    """Enrol on the course page, open every unit from the outline in reading order, and submit each quiz's
    plain form (JavaScript off) once; the messages the pages showed on the way.

    ``right_share`` gives a quiz's share of questions answered right (its first ones); the rest are
    answered wrongly, and a quiz not named is answered right throughout.
    """
    course_page = lxml.html.fromstring(client.get(f"/courses/{SLUG}/").get_data(as_text=True))
    enrol = form_posting_to(course_page, f"/courses/{SLUG}/enroll")
    assert client.post(enrol.action, data=hidden_fields(enrol)).status_code == 303

    tree = load_tree(course.published_version)
    outline = lxml.html.fromstring(client.get(f"/courses/{SLUG}/learn/").get_data(as_text=True))
    units = outline.xpath("//ol[@class='outline']//a/@href")
    assert units == [f"/courses/{SLUG}/learn/{unit}" for unit in tree.units]

    submitted, messages = [], []
    for unit in units:
        response = client.get(unit)
        assert response.status_code == 200, unit
        page = lxml.html.fromstring(response.get_data(as_text=True))
        messages += [text(message) for message in page.xpath("//p[contains(@class, 'flash')]")]
        for form in page.xpath("//form[@class='kuza-quiz-form']"):
            usage_id = HANDLER.match(form.action).group(1)
            questions = tree.nodes[usage_id].fields["questions"]
            fieldsets = form.xpath(".//fieldset")
            assert len(fieldsets) == len(questions)
            right = round(right_share.get(usage_id, 1.0) * len(questions))
            data = hidden_fields(form)
            # Questions are shown in the order authored; only their options are shuffled.
            for number, (fieldset, question) in enumerate(zip(fieldsets, questions, strict=True)):
                data.update(answer(fieldset, question, number < right))
            response = client.post(form.action, data=data)
            assert (response.status_code, response.headers["Location"]) == (303, unit)
            # Every question weighs one point, and a wrong answer earns none of it.
            after = lxml.html.fromstring(client.get(unit).get_data(as_text=True))
            assert f"Score: {right} of {len(questions)} " in text(after), usage_id
            messages += [text(message) for message in after.xpath("//p[contains(@class, 'flash')]")]
            submitted.append(usage_id)
    assert submitted == ["pre-test-quiz", *MODULE_QUIZZES, POST_TEST]
    return messages


def progress_page(client) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(client.get(f"/courses/{SLUG}/progress").get_data(as_text=True))


def still_needed(page) -> list[str]:
    return [text(item) for item in page.xpath("//ul[@id='still-needed']/li")]


def certificates_of(learner) -> list[Certificate]:
    return list(db.session.execute(select(Certificate).filter_by(user_id=learner.id)).scalars())


@pytest.fixture
def learner(client, sample, key_folder):
    learner = make_user(name="Amina Diallo", email="amina@example.org")
    db.session.commit()
    sign_in(client, learner)
    return learner


def test_a_learner_who_passes_gets_a_certificate_of_completion(client, sample, learner):
    messages = take_the_course(client, sample, right_share={})
    # Issued the moment the post-test was passed, and said so on the next page.
    assert messages == ["Congratulations! You have earned a certificate of completion. Find it on your progress page."]
    page = progress_page(client)

    assert text(page.get_element_by_id("overall")).endswith(" lessons complete (100 %)")
    assert text(page.get_element_by_id("state")) == "You have passed this course."
    assert text(page.get_element_by_id("course-score")) == "Your course score: 100 %. Pass mark: 70 %."
    assert still_needed(page) == []
    [certificate] = certificates_of(learner)
    assert certificate.kind == COMPLETION
    [listed] = page.xpath("//h2[@id='certificate']/following-sibling::ul[1]/li")
    assert text(listed).startswith("Certificate of completion, issued on ")
    # Held already, so the page offers nothing to claim.
    assert not page.xpath(f"//form[@action='/courses/{SLUG}/certificate']")

    [pdf_link] = listed.xpath(".//a[contains(@href, 'certificate.pdf')]/@href")
    assert pdf_link == f"/certificates/{certificate.public_id}/certificate.pdf"
    public = lxml.html.fromstring(client.get(f"/certificates/{certificate.public_id}").get_data(as_text=True))
    assert text(public.get_element_by_id("status")) == "This certificate is valid."
    assert "Certificate of completion" in text(public)
    downloaded = client.get(f"/certificates/{certificate.public_id}/credential.json")
    check = check_credential(downloaded.get_json())
    assert check.result.valid, check.result.reason
    assert (check.learner_name, check.known, check.revoked_at) == ("Amina Diallo", True, None)
    pdf = client.get(pdf_link)
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf")
    assert pdf.data.startswith(b"%PDF-")


@pytest.mark.parametrize(("right_share", "needed", "score"), [
    pytest.param({quiz: 0.0 for quiz in (*MODULE_QUIZZES, POST_TEST)},
                 ["Raise your course score to 70 %", "Pass the final assessment"], 0, id="graded-quizzes-wrong"),
    # The quizzes' 60 % and half the post-test's 40 % reach the pass mark; the post-test's own does not.
    pytest.param({POST_TEST: 0.5}, ["Pass the final assessment"], 80, id="post-test-failed"),
])
def test_a_learner_who_finishes_without_passing_gets_a_certificate_of_participation(
        client, sample, learner, right_share, needed, score):
    messages = take_the_course(client, sample, right_share)
    assert messages == ["You have earned a certificate of participation. Find it on your progress page."]
    page = progress_page(client)

    assert text(page.get_element_by_id("overall")).endswith(" lessons complete (100 %)")
    assert text(page.get_element_by_id("state")) == "You have finished every lesson, but not yet passed the course."
    assert text(page.get_element_by_id("course-score")) == f"Your course score: {score} %. Pass mark: 70 %."
    assert still_needed(page) == needed
    [certificate] = certificates_of(learner)
    assert certificate.kind == PARTICIPATION
    [listed] = page.xpath("//h2[@id='certificate']/following-sibling::ul[1]/li")
    assert text(listed).startswith("Certificate of participation, issued on ")
