"""Adaptation plans hosted by Kuza, through the test client with JavaScript off: draft, submit, review, feedback, downloads."""
from __future__ import annotations

import io
import json
import re
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.courseware.models import Completion, LearnerState, Plan
from lms.extensions import db
from lms.plans.models import PlanReview
from tests.factories import csrf_token_from, make_course, make_user, sign_in

SLUG = "plans-course"
UNIT_URL = f"/courses/{SLUG}/learn/my-plan"
HANDLER = f"/courses/{SLUG}/xblock/my-plan-0/handler/save_plan"
PROMPTS = [
    {"name": "problem", "text": "The problem in my district", "hint": "Where, and for whom."},
    # With a no-break space, as French typography puts before a colon: it must stay in headings.
    {"name": "steps", "text": "My first three steps\u00a0: in order"},
]
ANSWERS = {"problem": "Families wait three days for a birth certificate.", "steps": "1. Count the queue.\n2. Ask users."}
ARABIC_ANSWER = "تنتظر الأسر ثلاثة أيام"


def publish(slug=SLUG):
    return make_course(slug=slug, units={
        "intro": [("kuza_markdown", {"display_name": "Intro", "markdown": "Read this."})],
        "my-plan": [("kuza_reflection", {"display_name": "My adaptation plan", "prompts": PROMPTS})],
    })


def person(app, role="learner", name="Amina Diallo", email=None):
    user = make_user(role=role, name=name, email=email)
    db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    return SimpleNamespace(user=user, client=client)


@pytest.fixture
def course(db_session):
    return publish()


@pytest.fixture
def learner(app, course):
    someone = person(app, email="amina@example.org")
    catalog.enroll(someone.user, course)
    db.session.commit()
    return someone


@pytest.fixture
def trainer(app, course):
    someone = person(app, role="trainer", name="Grace Banda", email="grace@example.org")
    catalog.add_staff(OPERATOR, course, someone.user, "editor")
    db.session.commit()
    return someone


def plan_form(client) -> dict:
    """The hidden fields of the plan form on the unit page: what a browser posts back with the answers."""
    page = client.get(UNIT_URL).get_data(as_text=True)
    form = page[page.index(f'<form method="post" action="{HANDLER}"'):]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def send(client, action, answers=ANSWERS):
    data = {**plan_form(client), "action": action, **{f"answer-{name}": text for name, text in answers.items()}}
    return client.post(HANDLER, data=data)


def page_text(client, url=UNIT_URL) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def plans_of(user) -> list[Plan]:
    db.session.expire_all()
    return list(db.session.execute(select(Plan).where(Plan.user_id == user.id).order_by(Plan.version)).scalars())


def completion_of(user, course):
    return db.session.execute(
        select(Completion.completion).where(Completion.user_id == user.id, Completion.course_id == course.id,
                                            Completion.usage_id == "my-plan-0")
    ).scalar_one_or_none()


def review(client, plan_id, feedback, action):
    page = client.get(f"/courses/{SLUG}/plans/{plan_id}").get_data(as_text=True)
    return client.post(f"/courses/{SLUG}/plans/{plan_id}/review",
                       data={"feedback": feedback, "action": action, "csrf_token": csrf_token_from(page)})


def test_a_draft_is_saved_without_javascript_and_completes_nothing(learner, course):
    response = send(learner.client, "draft", {"problem": "First thoughts", "steps": ""})
    assert response.status_code == 303 and response.headers["Location"].endswith(UNIT_URL)
    page = page_text(learner.client)
    assert "First thoughts</textarea>" in page and "Not submitted yet." in page
    assert plans_of(learner.user) == [] and completion_of(learner.user, course) is None


def test_viewing_the_unit_does_not_complete_the_plan(learner, course):
    page_text(learner.client)
    assert completion_of(learner.user, course) is None


def test_submitting_stores_version_1_and_completes_the_block(learner, course):
    response = send(learner.client, "submit")
    assert response.status_code == 303
    (plan,) = plans_of(learner.user)
    assert (plan.version, plan.usage_id, plan.block_type) == (1, "my-plan-0", "kuza_reflection")
    assert plan.answers == ANSWERS
    assert plan.prompts == [{"name": p["name"], "text": p["text"]} for p in PROMPTS]
    assert completion_of(learner.user, course) == 1.0
    page = page_text(learner.client)
    assert "Waiting for your trainer&#39;s feedback." in page and "<textarea" not in page


def test_a_submission_without_the_csrf_token_is_refused(learner):
    data = {**plan_form(learner.client), "action": "submit", "answer-problem": "x", "answer-steps": "y"}
    del data["csrf_token"]
    assert learner.client.post(HANDLER, data=data).status_code == 400
    assert plans_of(learner.user) == []


def test_the_whole_journey_feedback_revision_and_downloads(app, learner, trainer, course):
    send(learner.client, "submit")
    (first,) = plans_of(learner.user)

    listing = page_text(trainer.client, f"/courses/{SLUG}/plans")
    assert "Amina Diallo" in listing and "Awaiting feedback" in listing and "My Plan" in listing
    assert f'href="/courses/{SLUG}/plans/{first.id}"' in listing
    detail = page_text(trainer.client, f"/courses/{SLUG}/plans/{first.id}")
    assert "Families wait three days for a birth certificate." in detail
    assert "1. Count the queue.<br>2. Ask users." in detail

    # Saved, not sent: the learner does not see it yet.
    response = review(trainer.client, first.id, "DRAFT-FEEDBACK", "save")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/plans/{first.id}#review")
    assert "DRAFT-FEEDBACK" not in page_text(learner.client)
    assert "DRAFT-FEEDBACK" not in page_text(learner.client, f"/courses/{SLUG}/progress")

    review(trainer.client, first.id, "Name the district.\nAnd the dates.", "reviewed")
    row = db.session.execute(select(PlanReview).where(PlanReview.plan_id == first.id)).scalar_one()
    assert row.reviewed and row.reviewer_id == trainer.user.id and row.reviewed_at is not None
    assert "Reviewed" in page_text(trainer.client, f"/courses/{SLUG}/plans")

    unit = page_text(learner.client)
    assert "Feedback on version 1" in unit and "Name the district.\nAnd the dates." in unit
    assert "Reviewed by Grace Banda on" in unit
    assert f'href="/courses/{SLUG}/plans/{first.id}/plan.md"' in unit
    progress = page_text(learner.client, f"/courses/{SLUG}/progress")
    assert "Your adaptation plans" in progress and "Name the district.<br>And the dates." in progress
    assert "Feedback from Grace Banda" in progress

    # Revised after feedback: version 2, version 1 untouched.
    send(learner.client, "submit", {"problem": "Masaiti district, from March.", "steps": ANSWERS["steps"]})
    first_answers = dict(first.answers)
    versions = plans_of(learner.user)
    assert [plan.version for plan in versions] == [1, 2]
    assert versions[0].answers == first_answers and versions[1].answers["problem"] == "Masaiti district, from March."
    assert "Waiting for your trainer&#39;s feedback." in page_text(learner.client)
    listing = page_text(trainer.client, f"/courses/{SLUG}/plans")
    assert f'href="/courses/{SLUG}/plans/{versions[1].id}"' in listing and "Awaiting feedback" in listing
    detail = page_text(trainer.client, f"/courses/{SLUG}/plans/{versions[1].id}")
    assert "Masaiti district, from March." in detail and "Version 1" in detail

    markdown = learner.client.get(f"/courses/{SLUG}/plans/{first.id}/plan.md")
    assert markdown.status_code == 200 and markdown.mimetype == "text/markdown"
    assert 'filename="kuza-plan-my-plan-0-v1.md"' in markdown.headers["Content-Disposition"]
    assert "no-store" in markdown.headers["Cache-Control"]
    text = markdown.get_data(as_text=True)
    assert text.startswith("# My adaptation plan\n")
    assert "## The problem in my district\n\nFamilies wait three days for a birth certificate." in text
    assert "## My first three steps\u00a0: in order\n" in text
    # The learner's "1." lines stay text, not a Markdown list renumbered by a reader.
    assert "1\\. Count the queue.  \n2\\. Ask users." in text
    assert "## Feedback from your trainer" in text and "Name the district.  \nAnd the dates." in text

    pdf = learner.client.get(f"/courses/{SLUG}/plans/{first.id}/plan.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    printed = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_data())).pages)
    for expected in ("My adaptation plan", "Amina Diallo", "The problem in my district",
                     "Families wait three days for a birth certificate.", "Feedback from your trainer",
                     "Name the district.", "Version 1 of 2"):
        assert expected in printed, expected


def test_feedback_must_be_written_before_it_is_sent(learner, trainer):
    send(learner.client, "submit")
    (plan,) = plans_of(learner.user)
    review(trainer.client, plan.id, "   ", "reviewed")
    assert "Write your feedback before you send it." in page_text(trainer.client, f"/courses/{SLUG}/plans/{plan.id}")
    assert db.session.execute(select(PlanReview)).scalars().all() == []


def test_a_plan_in_arabic_downloads_as_a_pdf_in_arabic(app, course):
    arabic = person(app, name="فاطمة الزهراء", email="fatima@example.org")
    catalog.enroll(arabic.user, course)
    db.session.commit()
    send(arabic.client, "submit", {"problem": ARABIC_ANSWER, "steps": "خطوة أولى"})
    (plan,) = plans_of(arabic.user)
    data = arabic.client.get(f"/courses/{SLUG}/plans/{plan.id}/plan.pdf",
                             headers={"Accept-Language": "ar"}).get_data()
    printed = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    # pypdf gives Arabic words in the order they are drawn; each word is whole.
    assert all(word in printed for word in ARABIC_ANSWER.split())
    assert all(word in printed for word in "فاطمة الزهراء".split())


# Who may see a plan: its learner, the course's trainers and admins; nobody else.


def plan_urls(plan_id):
    return [f"/courses/{SLUG}/plans/{plan_id}", f"/courses/{SLUG}/plans/{plan_id}/plan.md",
            f"/courses/{SLUG}/plans/{plan_id}/plan.pdf"]


def test_another_learner_gets_403_or_404_on_every_plan_url(app, learner, course):
    send(learner.client, "submit", {"problem": "SECRET-PROBLEM", "steps": "SECRET-STEPS"})
    (plan,) = plans_of(learner.user)
    other = person(app, name="Bruno Costa", email="bruno@example.org")
    catalog.enroll(other.user, course)
    db.session.commit()
    assert other.client.get(f"/courses/{SLUG}/plans").status_code == 403
    for url in plan_urls(plan.id):
        response = other.client.get(url)
        assert response.status_code in (403, 404), url
        assert "SECRET" not in response.get_data(as_text=True), url
    page = other.client.get(f"/courses/{SLUG}/plans/{plan.id}").get_data(as_text=True)
    assert other.client.post(f"/courses/{SLUG}/plans/{plan.id}/review",
                             data={"feedback": "x", "action": "reviewed",
                                   "csrf_token": csrf_token_from(page)}).status_code == 403
    # The block's own page and handler only ever show the other learner their own plan.
    assert "SECRET" not in page_text(other.client)
    response = send(other.client, "draft", {"problem": "BRUNO", "steps": ""})
    assert "SECRET" not in response.get_data(as_text=True)
    assert "SECRET" not in page_text(other.client) and "BRUNO</textarea>" in page_text(other.client)
    assert "SECRET" not in page_text(other.client, f"/courses/{SLUG}/progress")
    assert db.session.execute(select(PlanReview)).scalars().all() == []


def test_a_trainer_of_another_course_cannot_read_them(app, learner, course):
    send(learner.client, "submit")
    (plan,) = plans_of(learner.user)
    elsewhere = publish("other-course")
    outsider = person(app, role="trainer", name="Olu Ade", email="olu@example.org")
    catalog.add_staff(OPERATOR, elsewhere, outsider.user, "editor")
    db.session.commit()
    assert outsider.client.get(f"/courses/{SLUG}/plans").status_code == 403
    for url in plan_urls(plan.id):
        assert outsider.client.get(url).status_code in (403, 404), url
    # Nor through their own course's address.
    for url in plan_urls(plan.id):
        assert outsider.client.get(url.replace(SLUG, "other-course")).status_code == 404, url
    assert "Amina" not in page_text(outsider.client, "/courses/other-course/plans")
    # Nor write feedback on it, by either address.
    token = csrf_token_from(page_text(outsider.client, "/courses/other-course/plans"))
    for slug, refused in ((SLUG, 403), ("other-course", 404)):
        response = outsider.client.post(f"/courses/{slug}/plans/{plan.id}/review",
                                        data={"feedback": "x", "action": "reviewed", "csrf_token": token})
        assert response.status_code == refused, slug
    assert db.session.execute(select(PlanReview)).scalars().all() == []


def test_an_admin_reads_plans_and_a_visitor_is_sent_to_sign_in(app, learner, course):
    send(learner.client, "submit")
    (plan,) = plans_of(learner.user)
    admin = person(app, role="admin", name="Ada Admin", email="ada@example.org")
    assert "Amina Diallo" in page_text(admin.client, f"/courses/{SLUG}/plans")
    for url in plan_urls(plan.id):
        assert admin.client.get(url).status_code == 200, url
    visitor = app.test_client()
    for url in [f"/courses/{SLUG}/plans", *plan_urls(plan.id)]:
        response = visitor.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url
    response = visitor.post(f"/courses/{SLUG}/plans/{plan.id}/review", data={
        "feedback": "x", "action": "reviewed", "csrf_token": csrf_token_from(page_text(visitor, "/sign-in"))})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert db.session.execute(select(PlanReview)).scalars().all() == []


def test_the_learner_cannot_open_the_trainers_pages_of_their_own_plan(learner):
    send(learner.client, "submit")
    (plan,) = plans_of(learner.user)
    assert learner.client.get(f"/courses/{SLUG}/plans").status_code == 403
    assert learner.client.get(f"/courses/{SLUG}/plans/{plan.id}").status_code == 403
    assert learner.client.get(f"/courses/{SLUG}/plans/{plan.id}/plan.md").status_code == 200
    # Nor review it themselves, which would let them revise it before their trainer has read it.
    response = learner.client.post(f"/courses/{SLUG}/plans/{plan.id}/review", data={
        "feedback": "Well done, me.", "action": "reviewed", "csrf_token": csrf_token_from(page_text(learner.client))})
    assert response.status_code == 403
    assert db.session.execute(select(PlanReview)).scalars().all() == []
    assert "Waiting for your trainer&#39;s feedback." in page_text(learner.client)


def state_of(user) -> dict | None:
    """The user's stored state of the plan block."""
    db.session.expire_all()
    return db.session.execute(select(LearnerState.state).where(
        LearnerState.user_id == user.id, LearnerState.usage_id == "my-plan-0")).scalar_one_or_none()


def test_the_blocks_handlers_reach_only_the_learner_who_calls_them(app, learner, trainer, course):
    form = plan_form(learner.client)
    send(learner.client, "submit", {"problem": "SECRET-PROBLEM", "steps": "SECRET-STEPS"})
    (plan,) = plans_of(learner.user)
    review(trainer.client, plan.id, "SECRET-FEEDBACK", "reviewed")
    kept = state_of(learner.user)
    other = person(app, name="Bruno Costa", email="bruno@example.org")
    catalog.enroll(other.user, course)
    db.session.commit()

    # Reading the handler gives nothing back.
    response = other.client.get(HANDLER)
    assert response.status_code == 405 and "SECRET" not in response.get_data(as_text=True)
    # Amina's own form sent again by Bruno, her submission's token and all (with his session's CSRF token): the
    # block looks the token up in Bruno's state only, so it makes his version 1 and leaves hers as it was.
    replayed = {**form, "csrf_token": plan_form(other.client)["csrf_token"], "action": "submit",
                "answer-problem": "BRUNO-PROBLEM", "answer-steps": "BRUNO-STEPS"}
    assert other.client.post(HANDLER, data=replayed).status_code == 303
    (mine,) = plans_of(other.user)
    assert (mine.version, mine.answers) == (1, {"problem": "BRUNO-PROBLEM", "steps": "BRUNO-STEPS"})
    assert [p.id for p in plans_of(learner.user)] == [plan.id] and state_of(learner.user) == kept
    # His version 1 is not hers: the block's review service answers for the learner it was made for, so his waits
    # for its review while hers shows its feedback.
    unit = page_text(other.client)
    assert "BRUNO-PROBLEM" in unit and "Waiting for your trainer&#39;s feedback." in unit
    assert "SECRET" not in unit and "Grace Banda" not in unit
    assert "SECRET-FEEDBACK" in page_text(learner.client) and "BRUNO" not in page_text(learner.client)
    assert "SECRET" not in page_text(other.client, f"/courses/{SLUG}/progress")
    assert f"/plans/{plan.id}/" not in unit

    # The editor's handler writes the author's content, which no learner request may change.
    refused = other.client.post(f"/courses/{SLUG}/xblock/my-plan-0/handler/submit_studio_edits",
                                data=json.dumps({"values": {"prompts": [{"name": "problem", "text": "Tell me theirs"}]},
                                                 "defaults": []}),
                                content_type="application/json", headers={"X-CSRFToken": replayed["csrf_token"]})
    assert refused.status_code == 403
    assert "Tell me theirs" not in page_text(other.client) and state_of(learner.user) == kept


def test_an_unknown_plan_is_404(trainer):
    assert trainer.client.get(f"/courses/{SLUG}/plans/999999").status_code == 404
