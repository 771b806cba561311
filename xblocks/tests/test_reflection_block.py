"""Tests for the kuza_reflection block on xblock-sdk's workbench runtime: drafts, versions, completion, reviews, privacy."""

import re

import lxml.html
import pytest
from lxml import etree
from webob import Request
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Scope, ScopeIds

from kuza_xblocks.reflection.block import ReflectionBlock, stylesheet
from kuza_xblocks.reflection.prompts import DEFAULT_PROMPTS, MAX_ANSWER

PLAN = """\
<kuza_reflection url_name="plan" display_name="My plan">
  <prompt name="problem" hint="Where, and for whom.">The problem</prompt>
  <prompt name="steps">My first steps</prompt>
</kuza_reflection>
"""
ANSWERS = {"problem": "Queues at the district office.", "steps": "1. Count the queue.\n2. Ask users."}


@pytest.fixture
def events(runtime, monkeypatch):
    """Every event the blocks on ``runtime`` publish, as (event type, data)."""
    published = []
    monkeypatch.setattr(runtime, "publish", lambda block, event_type, data: published.append((event_type, data)))
    return published


@pytest.fixture
def make_plan(runtime, new_keys):
    """Build a ReflectionBlock from OLX for a learner, as a host loading a course package does."""

    def make(olx=PLAN, *, user_id="learner-1", keys=None):
        keys = keys or new_keys(runtime, "kuza_reflection")
        keys = ScopeIds(user_id, keys.block_type, keys.def_id, keys.usage_id)
        return ReflectionBlock.parse_xml(etree.fromstring(olx), runtime, keys)

    return make


class Reviews:
    """A host's "plans" service: what its trainers said of each version, by number."""

    def __init__(self):
        self.by_version = {}

    def versions(self, block):
        return self.by_version

    def review(self, number, feedback="Good start.", reviewer="Amina Trainer"):
        self.by_version[number] = {
            "reviewed": True, "feedback": feedback, "reviewer": reviewer, "reviewed_at": "2026-12-03T09:00:00+00:00",
            "markdown_url": f"/plans/{number}.md", "pdf_url": f"/plans/{number}.pdf",
        }


@pytest.fixture
def reviews(runtime):
    service = Reviews()
    runtime._overrides["plans"] = service
    return service


def html_of(block):
    return block.student_view({}).content


def page_of(block):
    return lxml.html.fragment_fromstring(html_of(block), create_parent="div")


def text_of(block):
    return page_of(block).text_content()


def token_of(html):
    return re.search(r'name="submission" value="([^"]+)"', html).group(1)


def post(block, action, answers=ANSWERS, token=None, **extra):
    body = [("action", action), ("submission", token or token_of(html_of(block)))]
    body += [(f"answer-{name}", text) for name, text in answers.items()]
    body += list(extra.items())
    return block.handle("save_plan", Request.blank("/", method="POST", POST=body))


def textareas(block):
    return {area.get("name"): area.text_content() for area in page_of(block).iter("textarea")}


# Registration, fields, completion


def test_block_is_registered_as_kuza_reflection():
    assert XBlock.load_class("kuza_reflection") is ReflectionBlock


def test_fields_scopes_and_completion_mode():
    assert ReflectionBlock.prompts.scope == Scope.content
    assert ReflectionBlock.display_name.scope == Scope.settings
    for name in ("draft", "draft_saved_at", "versions", "unanswered"):
        assert ReflectionBlock.fields[name].scope == Scope.user_state, name
    assert ReflectionBlock.has_score is False
    assert ReflectionBlock.completion_mode == XBlockCompletionMode.COMPLETABLE
    # Custom: the host must not complete it on view.
    assert ReflectionBlock.has_custom_completion is True


def test_the_default_prompts_are_each_a_labelled_textarea(make_plan):
    block = make_plan('<kuza_reflection url_name="p"/>')
    page = page_of(block)
    labels = {label.get("for"): label.text_content() for label in page.iter("label")}
    areas = list(page.iter("textarea"))
    assert [labels[area.get("id")] for area in areas] == [prompt["text"] for prompt in DEFAULT_PROMPTS]
    assert [area.get("name") for area in areas] == [f"answer-{prompt['name']}" for prompt in DEFAULT_PROMPTS]
    assert {area.get("maxlength") for area in areas} == {str(MAX_ANSWER)}
    hint = page.get_element_by_id(areas[0].get("aria-describedby"))
    assert hint.text_content() == DEFAULT_PROMPTS[0]["hint"]
    assert page.find_class("kuza-reflection-title")[0].text_content() == "Adaptation plan"
    assert "Not submitted yet." in html_of(block)


def test_the_view_carries_its_css_inline_and_no_javascript(make_plan):
    fragment = make_plan().student_view({})
    assert [resource.data for resource in fragment.resources if resource.kind == "text"] == [stylesheet()]
    assert not [resource for resource in fragment.resources if resource.mimetype == "application/javascript"]
    assert fragment.js_init_fn is None


def test_the_default_prompts_are_translated(french_runtime, new_keys):
    keys = new_keys(french_runtime, "kuza_reflection")
    block = ReflectionBlock.parse_xml(etree.fromstring('<kuza_reflection url_name="p"/>'), french_runtime, keys)
    html = html_of(block)
    assert "Le problème dans mon propre contexte" in html
    assert "Plan d’adaptation" in html or "Plan d'adaptation" in html
    assert "Enregistrer le brouillon" in html


# Drafts


def test_a_draft_is_saved_as_often_as_asked_and_completes_nothing(make_plan, events):
    block = make_plan()
    response = post(block, "draft", {"problem": "First thoughts", "steps": ""}, return_to="/courses/c/learn/u")
    assert (response.status_code, response.location) == (303, "/courses/c/learn/u")
    assert block.draft == {"problem": "First thoughts", "steps": ""}
    post(block, "draft", {"problem": "Second thoughts\r\nwith a new line", "steps": "Count"})
    assert block.draft == {"problem": "Second thoughts\nwith a new line", "steps": "Count"}
    assert block.versions == [] and events == []
    assert textareas(block) == {"answer-problem": "Second thoughts\nwith a new line", "answer-steps": "Count"}
    # The time is isolated left to right, so right-to-left text around it keeps its digits in order.
    assert re.search(r"Draft saved on \u2066\d{4}-\d\d-\d\d \d\d:\d\d\xa0UTC\u2069\. Not submitted yet\.", html_of(block))


def test_a_submission_with_an_empty_prompt_is_kept_as_a_draft_and_says_what_is_missing(make_plan, events):
    block = make_plan()
    response = post(block, "submit", {"problem": "Queues", "steps": "  "})
    assert response.status_code == 303
    assert block.versions == [] and events == []
    assert block.draft == {"problem": "Queues", "steps": ""} and block.unanswered == ["steps"]
    page = page_of(block)
    (alert,) = page.find_class("kuza-reflection-problem")
    assert alert.get("role") == "alert"
    assert [link.get("href") for link in alert.iter("a")] == [f"#{page.xpath('//textarea')[1].get('id')}"]
    steps = page.xpath("//textarea[@name='answer-steps']")[0]
    assert steps.get("aria-invalid") == "true"
    assert "Answer this prompt before you submit." in page.get_element_by_id(
        steps.get("aria-describedby").split()[-1]).text_content()
    # Answering it clears the message.
    post(block, "submit")
    assert block.unanswered == [] and "kuza-reflection-problem" not in html_of(block)


# Submitting and versions


def test_submitting_appends_version_1_publishes_it_and_completes(make_plan, events):
    block = make_plan()
    post(block, "draft", {"problem": "draft", "steps": ""})
    assert events == []
    response = post(block, "submit", return_to="/courses/c/learn/u")
    assert (response.status_code, response.location) == (303, "/courses/c/learn/u")
    (version,) = block.versions
    assert version["version"] == 1 and version["answers"] == ANSWERS
    assert version["prompts"] == [{"name": "problem", "text": "The problem"}, {"name": "steps", "text": "My first steps"}]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", version["submitted_at"])
    assert [event for event, _ in events] == ["kuza.reflection.submitted", "completion"]
    assert events[0][1] == {
        "version": 1,
        "submission_id": version["id"],
        "submitted_at": version["submitted_at"],
        "prompts": version["prompts"],
        "answers": ANSWERS,
    }
    assert events[1][1] == {"completion": 1.0}
    assert block.draft == {} and block.draft_saved_at == ""


def test_viewing_never_completes(make_plan, events):
    block = make_plan()
    html_of(block)
    post(block, "draft")
    html_of(block)
    assert events == []


def test_resubmitting_makes_version_2_and_never_overwrites_version_1(make_plan, events):
    block = make_plan()
    post(block, "submit")
    first = dict(block.versions[0])
    # The form to revise starts from the submitted answers.
    assert textareas(block) == {"answer-problem": ANSWERS["problem"], "answer-steps": ANSWERS["steps"]}
    post(block, "submit", {"problem": "Queues, measured: 3 hours.", "steps": ANSWERS["steps"]})
    assert [version["version"] for version in block.versions] == [1, 2]
    assert block.versions[0] == first
    assert block.versions[1]["answers"]["problem"] == "Queues, measured: 3 hours."
    assert [data["version"] for event, data in events if event == "kuza.reflection.submitted"] == [1, 2]
    summaries = [summary.text_content() for summary in page_of(block).iter("summary")]
    assert [summary.split(",")[0] for summary in summaries] == ["Version 2", "Version 1"]


def test_a_form_sent_twice_makes_one_version(make_plan, events):
    block = make_plan()
    token = token_of(html_of(block))
    post(block, "submit", token=token)
    post(block, "submit", {"problem": "changed", "steps": "changed"}, token=token)
    assert len(block.versions) == 1 and block.versions[0]["answers"] == ANSWERS
    assert len([event for event, _ in events if event == "kuza.reflection.submitted"]) == 1


@pytest.mark.parametrize(
    "body",
    [
        [("action", "submit"), ("submission", "not-a-token"), ("answer-problem", "a"), ("answer-steps", "b")],
        [("action", "publish"), ("answer-problem", "a")],
        [("action", "draft"), ("answer-problem", "a" * (MAX_ANSWER + 1))],
        [("action", "draft"), ("answer-problem", "a"), ("answer-problem", "b")],
    ],
    ids=["bad token", "unknown action", "too long", "sent twice"],
)
def test_a_post_the_page_cannot_have_made_changes_nothing(make_plan, events, body):
    block = make_plan()
    response = block.handle("save_plan", Request.blank("/", method="POST", POST=body))
    assert response.status_code == 400
    assert "Reload the page" in response.text
    assert block.draft == {} and block.versions == [] and events == []


def test_only_post_is_accepted(make_plan):
    response = make_plan().handle("save_plan", Request.blank("/", method="GET"))
    assert response.status_code == 405


# With the host's review service


def test_a_submitted_version_waits_for_review_then_may_be_revised(make_plan, reviews, events):
    block = make_plan()
    post(block, "submit")
    assert "Waiting for your trainer's feedback." in text_of(block)
    assert "<textarea" not in html_of(block) and "Your trainer will review version 1." in text_of(block)
    # A stale form posted meanwhile changes nothing.
    post(block, "submit", {"problem": "sneaked in", "steps": "x"}, token="2f1c1d1e-0000-4000-8000-000000000000")
    post(block, "draft", {"problem": "sneaked in", "steps": "x"}, token="2f1c1d1e-0000-4000-8000-000000000000")
    assert len(block.versions) == 1 and block.draft == {}
    reviews.review(1, feedback="Name the district.\nAnd the dates.")
    page = page_of(block)
    (feedback,) = page.find_class("kuza-reflection-feedback")
    assert feedback.find("h3").text_content() == "Feedback on version 1"
    assert "Reviewed by Amina Trainer on \u20662026-12-03 09:00\xa0UTC\u2069." in feedback.text_content()
    assert "Name the district.\nAnd the dates." in feedback.text_content()
    links = {link.text_content(): link.get("href") for link in page.iter("a")}
    assert links["Download version 1 as Markdown"] == "/plans/1.md"
    assert links["Download version 1 as PDF"] == "/plans/1.pdf"
    post(block, "submit", {"problem": "Masaiti district, from March.", "steps": "x"})
    assert [version["version"] for version in block.versions] == [1, 2]
    assert "Waiting for your trainer's feedback." in text_of(block)


def test_feedback_not_yet_marked_reviewed_is_not_shown(make_plan, reviews):
    block = make_plan()
    post(block, "submit")
    reviews.by_version[1] = {"reviewed": False, "feedback": "DRAFT-FEEDBACK", "reviewer": "T", "reviewed_at": ""}
    assert "DRAFT-FEEDBACK" not in html_of(block)


def test_feedback_is_escaped(make_plan, reviews):
    block = make_plan()
    post(block, "submit", {"problem": "<script>alert(1)</script>", "steps": "x"})
    reviews.review(1, feedback="<img src=x onerror=alert(2)>")
    html = html_of(block)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Privacy: a learner's state is theirs


def test_another_learner_never_sees_a_plan_that_is_not_theirs(make_plan, new_keys, runtime):
    keys = new_keys(runtime, "kuza_reflection")
    amina = make_plan(user_id="amina", keys=keys)
    post(amina, "submit", {"problem": "AMINA-PROBLEM", "steps": "AMINA-STEPS"})
    post(amina, "draft", {"problem": "AMINA-DRAFT", "steps": ""})
    other = make_plan(user_id="bruno", keys=keys)
    html = html_of(other)
    assert "AMINA" not in html and "Not submitted yet." in html
    response = post(other, "draft", {"problem": "BRUNO", "steps": ""})
    assert "AMINA" not in response.text
    assert other.versions == [] and other.draft == {"problem": "BRUNO", "steps": ""}
    assert make_plan(user_id="amina", keys=keys).versions[0]["answers"]["problem"] == "AMINA-PROBLEM"
