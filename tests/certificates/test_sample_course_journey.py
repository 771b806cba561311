"""The flagship course over HTTP with JavaScript off, in English and in French: enrol, read every unit, submit every
quiz's plain form, save and submit the adaptation plan, read the trainer's feedback on it, download it as Markdown and
PDF, and get the certificate earned. Each language version is walked by a learner who reads the site in its language."""
from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files

import lxml.html
import pypdfium2 as pdfium
import pytest
from flask_babel import force_locale
from flask_babel import gettext as lms_gettext
from sqlalchemy import select

from kuza_xblocks.reflection.prompts import field_name
from lms.accounts.services import OPERATOR
from lms.catalog.services import add_staff, get_course
from lms.certificates.models import COMPLETION, PARTICIPATION, Certificate
from lms.certificates.services import check_credential
from lms.courseware.models import Completion
from lms.courseware.packages import import_package
from lms.courseware.services import load_tree, unit_of
from lms.extensions import db
from tests.environment import REPO
from tests.factories import make_user, sign_in

# Each language version of the course, and the language its learner reads the site in.
COURSES = {"en": "public-service-innovation", "fr": "public-service-innovation-fr"}
POST_TEST = "post-test-quiz"
MODULE_QUIZZES = ("what-is-innovation-check-quiz", "equitable-services-check-quiz",
                  "transfer-and-adaptation-check-quiz", "award-winning-cases-check-quiz",
                  "your-adaptation-check-quiz")
PLAN = "your-adaptation-plan-form"
TRAINER = "Grace Banda"
# What the course's trainer writes back, in the learner's language: two lines, kept as two.
FEEDBACK = {
    "en": "Name the district where you will start, and the month.\nCount the queue before you change anything.",
    "fr": "Nommez le district où vous commencerez, et le mois.\nComptez la file d’attente avant de changer quoi que ce "
          "soit.",
}
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

    def site_dated(self, message: str, **values) -> re.Pattern:
        """A site sentence with a %(date)s, whatever the date: as a pattern of the whole text."""
        return dated(self.site(message, date="\0", **values))

    def block_dated(self, message: str, **values) -> re.Pattern:
        """A block sentence with a %(date)s, whatever the date: as a pattern of the whole text."""
        return dated(self.block(message) % {"date": "\0", **values})

    def every_lesson_complete(self) -> str:
        """How the progress page's count of lessons ends once every one is complete."""
        return self.site("%(done)s of %(total)s lessons complete (%(percent)s)",
                         done="\0", total="\0", percent=self.percent(100)).split("\0")[-1]

    def percent(self, value: int) -> str:
        """A percentage as the pages write it in this learner's language."""
        return self.site("%(percent)s %%", percent=value)

    def handler(self, action: str, name: str = "submit") -> str | None:
        """The block a form posts to, if it posts to that block's handler ``name``."""
        match = re.fullmatch(rf"/courses/{re.escape(self.slug)}/xblock/([^/]+)/handler/{name}", action)
        return match and match.group(1)


def words(value: str) -> str:
    """``value`` with its whitespace collapsed, as a browser shows it: no-break spaces (French puts them before
    ":" and "%") are kept, as a browser keeps them."""
    return re.sub(HTML_WHITESPACE, " ", value).strip(" \t\n\r\f")


def text(element) -> str:
    return words(element.text_content())


def dated(sentence: str) -> re.Pattern:
    """``sentence`` with a date where it holds a NUL, as a pattern its whole text must match."""
    return re.compile(".+".join(re.escape(words(part)) for part in sentence.split("\0")))


def page_at(client, url: str) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.get_data(as_text=True))


def flashes(page) -> list[str]:
    return [text(message) for message in page.xpath("//p[contains(@class, 'flash')]")]


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


def plan_form(page):
    [form] = page.xpath("//form[@class='kuza-reflection-form']")
    return form


def plan_status(page) -> str:
    [status] = page.xpath("//p[@class='kuza-reflection-status']")
    return text(status)


def post_plan(client, walk: Walk, form, unit: str, button: str, answers: dict[str, str]) -> None:
    """Send the plan form as a browser does when its button labelled ``button`` is pressed."""
    [pressed] = form.xpath(".//button[normalize-space()=$label]", label=walk.block(button))
    data = {**hidden_fields(form), pressed.get("name"): pressed.get("value"), **answers}
    response = client.post(form.action, data=data)
    assert (response.status_code, response.headers["Location"]) == (303, unit)


def my_answer(walk: Walk, field: str) -> str:
    """What the learner submits in the plan's field ``field``, in their language and its typography."""
    return {"en": f"My plan: {field}.", "fr": f"Mon plan\xa0: {field}."}[walk.locale]


def my_draft(walk: Walk, field: str) -> str:
    """What the learner first saves in the plan's field ``field``."""
    return {"en": f"First thoughts: {field}.", "fr": f"Premières idées\xa0: {field}."}[walk.locale]


def write_the_plan(client, walk: Walk, learner, unit: str, form) -> None:
    """Save a draft of the adaptation plan, find it kept and the plan not complete, then submit the plan from the
    page the draft left: the two buttons of one plain form, JavaScript off."""
    fields = [area.name for area in form.xpath(".//textarea")]
    draft = {field: my_draft(walk, field) for field in fields}
    post_plan(client, walk, form, unit, "Save draft", draft)
    page = page_at(client, unit)
    # The draft comes back in the form to go on with; saving it submits and completes nothing.
    form = plan_form(page)
    assert {area.name: area.value for area in form.xpath(".//textarea")} == draft
    assert walk.block_dated("Draft saved on %(date)s. Not submitted yet.").fullmatch(plan_status(page))
    assert completion_of(learner, walk, PLAN) is None

    post_plan(client, walk, form, unit, "Submit my plan", {field: my_answer(walk, field) for field in fields})
    page = page_at(client, unit)
    assert walk.block_dated("Version %(number)d submitted on %(date)s. Waiting for your trainer's feedback.",
                            number=1).fullmatch(plan_status(page))
    # Kept as sent, the draft gone; the plan waits for its trainer, with no form to change it meanwhile.
    [version] = page.xpath("//details[@class='kuza-reflection-version']")
    assert [text(answer) for answer in version.xpath(".//dd")] == [my_answer(walk, field) for field in fields]
    assert not page.xpath("//form[@class='kuza-reflection-form']")
    assert not [draft for draft in draft.values() if draft in text(page)]
    assert completion_of(learner, walk, PLAN) == 1.0


def completion_of(learner, walk: Walk, usage_id: str) -> float | None:
    return db.session.execute(select(Completion.completion).where(
        Completion.user_id == learner.id, Completion.course_id == get_course(walk.slug).id,
        Completion.usage_id == usage_id)).scalar_one_or_none()


def take_the_course(client, walk: Walk, learner, right_share: Mapping[str, float]) -> list[str]:
    """Enrol on the course page, open every unit from the outline in reading order, submit each quiz's
    plain form (JavaScript off) once, and save then submit the adaptation plan; the messages the pages showed.

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
        page = page_at(client, unit)
        messages += flashes(page)
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
            messages += flashes(after)
            submitted.append(usage_id)
        for form in page.xpath("//form[@class='kuza-reflection-form']"):
            write_the_plan(client, walk, learner, unit, form)
            submitted.append(walk.handler(form.action, "save_plan"))
    assert submitted == ["pre-test-quiz", *MODULE_QUIZZES[:-1], PLAN, MODULE_QUIZZES[-1], POST_TEST]
    return messages


def the_plan(walk: Walk):
    """The course's plan block, as its learner's runtime loads it."""
    return load_tree(get_course(walk.slug).published_version).nodes[PLAN]


def plan_unit(walk: Walk) -> str:
    return f"/courses/{walk.slug}/learn/{unit_of(load_tree(get_course(walk.slug).published_version), PLAN)}"


def fields_of(walk: Walk) -> list[str]:
    """The form fields of the plan's prompts, in the order the author wrote them."""
    return [field_name(prompt["name"]) for prompt in the_plan(walk).fields["prompts"]]


def submitted_answers(walk: Walk) -> list[tuple[str, str]]:
    """(prompt, answer) of the submitted plan, in the prompts' order."""
    return [(prompt["text"], my_answer(walk, field))
            for prompt, field in zip(the_plan(walk).fields["prompts"], fields_of(walk), strict=True)]


def a_trainer_reviews_the_plan(app, walk: Walk, learner, feedback: str) -> None:
    """A trainer of the course opens its plans page, then the learner's plan, and sends feedback from its form."""
    trainer = make_user(role="trainer", name=TRAINER, email="grace@example.org")
    trainer.locale = walk.locale
    add_staff(OPERATOR, get_course(walk.slug), trainer, "editor")
    db.session.commit()
    client = app.test_client()
    sign_in(client, trainer)

    plans = f"/courses/{walk.slug}/plans"
    [row] = page_at(client, plans).xpath("//tbody/tr")
    assert walk.site("Awaiting feedback") in text(row)
    [opened] = row.xpath(".//a[normalize-space()=$name]/@href", name=learner.name)
    plan = page_at(client, opened)
    # The answers as submitted, each under its prompt.
    for prompt, answer in submitted_answers(walk):
        [shown] = plan.xpath("//h3[normalize-space()=$prompt]/following-sibling::*[1]", prompt=prompt)
        assert text(shown) == answer, prompt

    form = form_posting_to(plan, f"{opened}/review")
    [box] = form.xpath(".//textarea")
    [send] = form.xpath(".//button[normalize-space()=$label]", label=walk.site("Send feedback and mark reviewed"))
    # A browser sends a textarea's line breaks as CR LF.
    data = {**hidden_fields(form), box.name: feedback.replace("\n", "\r\n"), send.get("name"): send.get("value")}
    response = client.post(form.action, data=data)
    assert (response.status_code, response.headers["Location"]) == (303, f"{opened}#review")
    assert flashes(page_at(client, opened)) == [walk.site("Your feedback has been sent to the learner.")]
    [row] = page_at(client, plans).xpath("//tbody/tr")
    assert walk.site("Reviewed") in text(row)


def the_learner_reads_the_feedback(client, walk: Walk, feedback: str) -> lxml.html.HtmlElement:
    """The feedback in the plan's unit and on the progress page; the unit page, with the plan's downloads."""
    unit = page_at(client, plan_unit(walk))
    assert walk.block_dated("Version %(number)d submitted on %(date)s and reviewed.",
                            number=1).fullmatch(plan_status(unit))
    [section] = unit.xpath("//section[@class='kuza-reflection-feedback']")
    assert text(section.find("h3")) == walk.block("Feedback on version %(number)d") % {"number": 1}
    [by] = section.xpath("./p[@class='kuza-reflection-by']")
    assert walk.block_dated("Reviewed by %(name)s on %(date)s.", name=TRAINER).fullmatch(text(by))
    [said] = section.xpath("./div[@class='kuza-reflection-text']")
    assert said.text_content() == feedback

    progress = progress_page(client, walk)
    [heading] = progress.xpath("//h2[@id='plans']")
    assert text(heading) == walk.site("Your adaptation plans")
    [listed] = heading.xpath("following-sibling::ul[1]/li")
    assert text(listed.find("h3")) == the_plan(walk).title
    [by] = listed.xpath(".//p[@class='muted']")
    assert walk.site_dated("Feedback from %(name)s, %(date)s:", name=TRAINER).fullmatch(text(by))
    [said] = by.xpath("following-sibling::p[1]")
    assert list(said.itertext()) == feedback.split("\n")
    return unit


def the_learner_downloads_the_plan(client, walk: Walk, unit, feedback: str) -> None:
    """Version 1 from the links in the plan's unit: Markdown with the answers and the feedback, and a PDF."""
    def link(label: str) -> str:
        [href] = unit.xpath("//a[normalize-space()=$label]/@href", label=walk.block(label) % {"number": 1})
        return href

    markdown = client.get(link("Download version %(number)d as Markdown"))
    assert (markdown.status_code, markdown.mimetype) == (200, "text/markdown")
    written = markdown.get_data(as_text=True)
    assert written.startswith(f"# {the_plan(walk).title}\n")
    for prompt, answer in submitted_answers(walk):
        assert f"\n## {prompt}\n\n{answer}\n" in written, prompt
    # The trainer's two lines, each ending in a hard line break but the last.
    assert f"\n## {walk.site('Feedback from your trainer')}\n" in written
    assert "  \n".join(feedback.split("\n")) in written
    assert not [field for field in fields_of(walk) if my_draft(walk, field) in written]

    pdf = client.get(link("Download version %(number)d as PDF"))
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf") and pdf.data.startswith(b"%PDF-")
    printed = pdf_text(pdf.data)
    for prompt, answer in submitted_answers(walk):
        # fpdf2 keeps a line whole at a no-break space, then draws it as a space: the text holds a space.
        assert prompt in printed and answer.replace("\xa0", " ") in printed, prompt
    assert walk.site("Feedback from your trainer") in printed
    assert all(line in printed for line in feedback.split("\n"))


def pdf_text(data: bytes) -> str:
    """The text a PDF reader finds on every page, as pdfium extracts it."""
    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


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


def test_a_learner_who_passes_gets_a_certificate_of_completion_and_feedback_on_their_plan(app, client, walk, learner):
    messages = take_the_course(client, walk, learner, right_share={})
    # Issued the moment the post-test was passed, and said so on the next page.
    assert messages == [walk.site("Congratulations! You have earned a certificate of completion. "
                                  "Find it on your progress page.")]
    page = progress_page(client, walk)

    assert text(page.get_element_by_id("overall")).endswith(walk.every_lesson_complete())
    assert text(page.get_element_by_id("state")) == walk.site("You have passed this course.")
    assert text(page.get_element_by_id("course-score")) == walk.site(
        "Your course score: %(score)s. Pass mark: %(mark)s.", score=walk.percent(100), mark=walk.percent(70))
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

    # The plan the learner submitted on the way, answered by the course's trainer.
    feedback = FEEDBACK[walk.locale]
    a_trainer_reviews_the_plan(app, walk, learner, feedback)
    unit = the_learner_reads_the_feedback(client, walk, feedback)
    the_learner_downloads_the_plan(client, walk, unit, feedback)


RAISE_THE_SCORE, PASS_THE_POST_TEST = "Raise your course score to %(mark)s", "Pass the final assessment"


@pytest.mark.parametrize(("right_share", "needed", "score"), [
    pytest.param({quiz: 0.0 for quiz in (*MODULE_QUIZZES, POST_TEST)},
                 [RAISE_THE_SCORE, PASS_THE_POST_TEST], 0, id="graded-quizzes-wrong"),
    # The quizzes' 60 % and half the post-test's 40 % reach the pass mark; the post-test's own does not.
    pytest.param({POST_TEST: 0.5}, [PASS_THE_POST_TEST], 80, id="post-test-failed"),
])
def test_a_learner_who_finishes_without_passing_gets_a_certificate_of_participation(
        client, walk, learner, right_share, needed, score):
    messages = take_the_course(client, walk, learner, right_share)
    assert messages == [walk.site("You have earned a certificate of participation. Find it on your progress page.")]
    page = progress_page(client, walk)

    assert text(page.get_element_by_id("overall")).endswith(walk.every_lesson_complete())
    assert text(page.get_element_by_id("state")) == walk.site(
        "You have finished every lesson, but not yet passed the course.")
    assert text(page.get_element_by_id("course-score")) == walk.site(
        "Your course score: %(score)s. Pass mark: %(mark)s.", score=walk.percent(score), mark=walk.percent(70))
    assert still_needed(page) == [walk.site(item, mark=walk.percent(70)) for item in needed]
    [certificate] = certificates_of(learner)
    assert certificate.kind == PARTICIPATION
    [listed] = page.xpath("//h2[@id='certificate']/following-sibling::ul[1]/li")
    assert text(listed).startswith(walk.prefix("Certificate of participation, issued on %(date)s"))
