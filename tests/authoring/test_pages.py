"""Studio pages over HTTP: staff changes with errors by their field, outline edits after a stale page,
the preview that records nothing, and the header's link to the studio."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from lms.accounts.services import OPERATOR
from lms.catalog import services as catalog
from lms.courseware.models import Attempt, Completion, LearnerState, Score
from lms.extensions import db
from tests.authoring.conftest import Studio
from tests.factories import csrf_token_from, make_user, sign_in


def post(client, path: str, **data):
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def text(response) -> str:
    return response.get_data(as_text=True)


def roles(course) -> dict[str, str]:
    return {member.user.email: member.role for member in catalog.staff_of(OPERATOR, course)}


def test_an_owner_adds_a_trainer_by_email_and_errors_show_by_the_field(client, studio: Studio):
    sign_in(client, studio.owner)
    for email, message in [("nobody@example.org", "No account has this email address"),
                           (studio.learner.email, "has a learner&#39;s account"),
                           (studio.editor.email, "is already on this course&#39;s staff")]:
        refused = post(client, "/studio/civic-tech/staff", email=email, role="editor")
        assert refused.status_code == 422
        page = text(refused)
        assert re.search(r'<p class="field-error" id="email-error">.*' + re.escape(message), page, re.S)
        assert 'id="email" name="email"' in page and 'aria-invalid="true"' in page
    studio.learner.name = "<b>Lea</b>"
    db.session.commit()
    marked_up = text(post(client, "/studio/civic-tech/staff", email=studio.learner.email, role="editor"))
    assert "&lt;b&gt;Lea&lt;/b&gt; has a learner" in marked_up and "<b>Lea" not in marked_up
    added = post(client, "/studio/civic-tech/staff", email=studio.newcomer.email.upper(), role="owner")
    assert added.status_code == 303 and added.location == "/studio/civic-tech/staff"
    assert roles(studio.course)[studio.newcomer.email] == "owner"
    assert "Nia Newcomer is on the course&#39;s staff." in text(client.get(added.location))


def test_the_last_owner_cannot_leave_or_step_down_but_an_admin_may_make_it_so(client, studio: Studio):
    sign_in(client, studio.owner)
    demoted = post(client, f"/studio/civic-tech/staff/{studio.owner.id}/role", role="editor")
    assert demoted.status_code == 303
    assert "A course needs an owner" in text(client.get(demoted.location))
    removed = post(client, f"/studio/civic-tech/staff/{studio.owner.id}/remove")
    assert "A course needs an owner" in text(client.get(removed.location))
    assert roles(studio.course)[studio.owner.email] == "owner"
    assert post(client, f"/studio/civic-tech/staff/{studio.editor.id}/role", role="owner").status_code == 303
    assert post(client, f"/studio/civic-tech/staff/{studio.owner.id}/remove").location == "/studio/"
    assert studio.owner.email not in roles(studio.course)


def test_editors_see_the_staff_but_no_form_to_change_it(client, studio: Studio):
    sign_in(client, studio.editor)
    page = text(client.get("/studio/civic-tech/staff"))
    assert "Grace Banda" in page and "Fatima Zahra" in page
    assert "Add a trainer" not in page and "/staff/" not in page.split("<main", 1)[1].split("</main>")[0].replace(
        "/studio/civic-tech/staff\"", "")


def test_a_new_course_form_shows_its_errors_by_each_field(client, studio: Studio):
    sign_in(client, studio.admin)
    refused = post(client, "/studio/new", title="", slug="civic-tech", language="en", description="")
    assert refused.status_code == 422
    page = text(refused)
    assert 'id="title-error"' in page and "Enter a title." in page
    created = post(client, "/studio/new", title="Open budgets", slug="civic-tech", language="en", description="")
    assert created.status_code == 422 and 'id="slug-error"' in text(created)
    created = post(client, "/studio/new", title="Open budgets", slug="open-budgets", language="pt", description="")
    assert created.status_code == 303 and created.location == "/studio/open-budgets/outline"
    outline = text(client.get(created.location))
    assert "The course has no module yet." in outline and "Add a module" in outline


def test_an_edit_sent_from_a_stale_outline_is_refused_and_what_was_typed_is_kept(client, app, studio: Studio):
    sign_in(client, studio.editor)
    other = app.test_client()
    sign_in(other, studio.owner)
    assert post(other, "/studio/civic-tech/outline/rename", revision="0", block="unit-two",
                title="The owner's title").status_code == 303
    stale = post(client, "/studio/civic-tech/outline/add", revision="0", parent="sequence-1", type="vertical",
                 title="My new unit")
    assert stale.status_code == 409
    page = text(stale)
    assert "The outline changed since you opened it." in page
    assert "The owner&#39;s title" in page  # the outline as it is now
    assert re.search(r'<details class="studio-add" id="add-sequence-1" open>', page)
    assert 'value="My new unit"' in page and 'name="revision" value="1"' in page
    assert page.count("My new unit") == 1  # typed, not added


def test_a_title_left_empty_is_refused_by_its_field(client, studio: Studio):
    sign_in(client, studio.editor)
    refused = post(client, "/studio/civic-tech/outline/rename", revision="0", block="unit-one", title="  ")
    assert refused.status_code == 422
    page = text(refused)
    assert '<p class="field-error" id="edit-unit-one-error">' in page and "Enter a title." in page
    assert re.search(r'<details class="studio-edit" open>', page)


def test_the_preview_renders_the_draft_and_records_nothing(client, studio: Studio):
    sign_in(client, studio.editor)
    post(client, "/studio/civic-tech/outline/rename", revision="0", block="unit-one", title="Draft title")
    added = post(client, "/studio/civic-tech/outline/add", revision="1", parent="unit-one", type="kuza_quiz")
    assert added.status_code == 303
    page = text(client.get("/studio/civic-tech/preview/unit-one"))
    assert "Preview of the draft" in page and "Draft title" in page and "Write the question here." in page
    quiz = re.search(r'<form method="post" action="(/studio/civic-tech/preview/[^/]+/handler/submit)"', page)
    assert quiz, "the quiz's form goes to the preview, not to the learner's handler"
    answered = post(client, quiz.group(1), **{"q-question-1": "0"})
    assert answered.status_code == 303 and answered.location == "/studio/civic-tech/preview/unit-one"
    assert "answers are neither checked nor recorded" in text(client.get(answered.location))
    for model in (LearnerState, Completion, Score, Attempt):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert "Draft title" not in text(client.get("/courses/civic-tech/")), "learners still see version 1"


def test_the_header_links_to_the_studio_for_those_who_run_a_course(client, studio: Studio):
    for user, shown in [(studio.learner, False), (studio.newcomer, False), (studio.editor, True), (studio.admin, True)]:
        sign_in(client, user)
        assert ('href="/studio/"' in text(client.get("/"))) is shown, user
        client.cookie_jar.clear() if hasattr(client, "cookie_jar") else client._cookies.clear()
    assert 'href="/studio/"' not in text(client.get("/"))


def test_a_trainer_on_no_staff_sees_an_empty_studio(client, studio: Studio):
    sign_in(client, make_user("trainer", email="idle@example.org"))
    assert "You run no course yet." in text(client.get("/studio/"))
