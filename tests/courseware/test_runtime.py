"""The Flask XBlock runtime: unit pages, handlers, field scopes, publish, services and resources."""
from __future__ import annotations

import json

import lxml.html
import pytest
from sqlalchemy import select
from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Integer, Scope, String

from lms.catalog import services as catalog
from lms.courseware.models import Attempt, Completion, LearnerState, Score
from lms.extensions import db
from tests.factories import csrf_token_from, install_block, make_course, make_user, sign_in


@XBlock.needs("i18n")
@XBlock.needs("user")
@XBlock.wants("settings")
class CounterBlock(XBlock):
    """A scored block for tests: counts clicks in user_state and grades them out of three."""

    has_score = True
    prompt = String(scope=Scope.content, default="Click")
    clicks = Integer(scope=Scope.user_state, default=0)

    def max_score(self):
        return 3

    def student_view(self, context=None):
        user = self.runtime.service(self, "user").get_current_user()
        bucket = self.runtime.service(self, "settings").get_settings_bucket(self)
        gettext = self.runtime.service(self, "i18n").gettext
        frag = Fragment(
            f'<p class="who">{user.full_name}</p><p class="prompt">{self.prompt}: {self.clicks}</p>'
            f'<p class="setting">{bucket.get("colour", "none")}</p><p class="lesson">{gettext("Lesson")}</p>'
            f'<form method="post" action="{self.runtime.handler_url(self, "click_form")}"><button>+</button></form>'
            '<img src="/static/map.svg" alt="map">'
        )
        frag.add_javascript("function CounterInit(runtime, element) {}")
        frag.initialize_js("CounterInit", {"clicks": self.clicks, "evil": "</script>"})
        return frag

    def _click(self):
        self.clicks += 1
        self.runtime.publish(self, "grade", {"value": min(self.clicks, 3), "max_value": 3})
        if self.clicks >= 3:
            self.runtime.publish(self, "completion", {"completion": 1.0})

    @XBlock.json_handler
    def click(self, data, suffix=""):
        self._click()
        return {"clicks": self.clicks, "suffix": suffix}

    @XBlock.handler
    def click_form(self, request, suffix=""):
        from webob import Response

        self._click()
        return Response(status=303, location=request.referer or "/")

    @XBlock.json_handler
    def submit(self, data, suffix=""):
        self.runtime.publish(self, "kuza.quiz.attempt", {
            "attempt_id": data["token"], "mode": "pre_test", "question_set": "basics",
            "submitted_at": "2026-11-28T07:00:00+00:00", "earned": data.get("earned", 2), "possible": 3,
            "passed": True, "responses": {"q1": "a"}, "results": {"q1": {"score": 1.0}},
        })
        return {}

    @XBlock.handler
    def elsewhere(self, request, suffix=""):
        from webob import Response

        return Response(status=303, location=request.params.get("to", "https://evil.example/"))

    @XBlock.json_handler
    def rename(self, data, suffix=""):
        self.prompt = data["prompt"]
        return {}


@pytest.fixture
def counter_type(app, monkeypatch):
    """Install CounterBlock as if from an entry point, and let the server host it."""
    install_block(monkeypatch, "test_counter", CounterBlock)
    monkeypatch.setitem(app.config, "KUZA_EXTRA_XBLOCKS", ("test_counter",))
    monkeypatch.setitem(app.config, "XBLOCK_SETTINGS", {"CounterBlock": {"colour": "green"}})
    return "test_counter"


@pytest.fixture
def learner(db_session):
    return make_user()


@pytest.fixture
def course(db_session):
    return make_course(
        units={
            "intro": [("kuza_markdown", {"display_name": "Intro", "markdown": "## Hello\n\n![map](/static/map.svg)"})],
            "practice": [("test_counter", {"prompt": "Press"})],
            "closing": [("kuza_markdown", {"display_name": "End", "markdown": "Bye."})],
        },
        assets={"map.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>'},
    )


@pytest.fixture
def enrolled(client, learner, course):
    catalog.enroll(learner, course)
    db.session.commit()
    sign_in(client, learner)
    return client


def completion_of(learner, course, usage_id):
    return db.session.execute(
        select(Completion.completion).filter_by(user_id=learner.id, course_id=course.id, usage_id=usage_id)
    ).scalar_one_or_none()


def test_unit_page_renders_block_through_runtime_and_completes_on_view(enrolled, learner, course):
    assert completion_of(learner, course, "intro-0") is None
    page = enrolled.get("/courses/civic-tech/learn/intro")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h2" in html and "Hello" in html
    assert 'data-usage-id="intro-0"' in html and 'data-block-type="kuza_markdown"' in html
    # /static/ in a lesson points at this course version's files.
    assert 'src="/courses/civic-tech/v1/static/map.svg"' in html
    assert completion_of(learner, course, "intro-0") == 1.0


def test_scored_block_does_not_complete_on_view(enrolled, learner, course, counter_type):
    assert enrolled.get("/courses/civic-tech/learn/practice").status_code == 200
    assert completion_of(learner, course, "practice-0") is None


def test_previous_next_and_resume(enrolled, course, counter_type):
    html = enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True)
    assert 'rel="prev" href="/courses/civic-tech/learn/intro"' in html
    assert 'rel="next" href="/courses/civic-tech/learn/closing"' in html
    # Lessons are units, counted as the progress page counts them.
    assert lxml.html.fromstring(html).xpath("string(//nav[@class='unit-nav']/p)") == "Lesson 2 of 3"
    resume = enrolled.get("/courses/civic-tech/resume")
    assert resume.headers["Location"].endswith("/courses/civic-tech/learn/practice")


def test_resume_starts_at_first_unit(enrolled):
    assert enrolled.get("/courses/civic-tech/resume").headers["Location"].endswith("/learn/intro")


def test_unknown_unit_is_404_and_leaf_is_not_a_unit(enrolled):
    assert enrolled.get("/courses/civic-tech/learn/nowhere").status_code == 404
    assert enrolled.get("/courses/civic-tech/learn/intro-0").status_code == 404


def test_unit_needs_enrolment(client, learner, course):
    sign_in(client, learner)
    response = client.get("/courses/civic-tech/learn/intro")
    assert response.status_code == 302 and response.headers["Location"].endswith("/courses/civic-tech/")


def test_unit_needs_sign_in(client, course):
    response = client.get("/courses/civic-tech/learn/intro")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_services_user_settings_i18n_and_js_wrapping(enrolled, counter_type):
    html = enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True)
    assert '<p class="who">Amina Diallo</p>' in html
    assert '<p class="setting">green</p>' in html
    assert 'data-init="CounterInit"' in html
    assert 'data-handler-prefix="/courses/civic-tech/xblock/practice-0/handler"' in html
    # Init arguments cannot close their script element.
    assert "</script>\"" not in html and "\\u003c/script>" in html
    assert "xblock-runtime.js" in html
    # Inline block script carries the CSP nonce of this response.
    csp = enrolled.get("/courses/civic-tech/learn/practice")
    nonce = csp.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">function CounterInit' in csp.get_data(as_text=True)


def test_i18n_service_uses_block_catalogue_in_learner_language(client, learner, db_session):
    course = make_course(slug="empty", units={"blank": [("kuza_markdown", {"markdown": ""})]})
    catalog.enroll(learner, course)
    db.session.commit()
    sign_in(client, learner)
    english = client.get("/courses/empty/learn/blank").get_data(as_text=True)
    assert "This lesson has no content yet." in english
    client.post("/language", data={"locale": "fr", "next": "/", "csrf_token": csrf_token_from(english)})
    french = client.get("/courses/empty/learn/blank").get_data(as_text=True)
    assert "Cette leçon n'a pas encore de contenu." in french.replace("&#39;", "'")


def test_json_handler_keeps_state_and_publishes_grade_and_completion(enrolled, learner, course, counter_type):
    token = csrf_token_from(enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True))
    url = "/courses/civic-tech/xblock/practice-0/handler/click/extra/part"
    for expected in (1, 2, 3):
        response = enrolled.post(url, data=json.dumps({}), content_type="application/json",
                                 headers={"X-CSRFToken": token})
        assert response.status_code == 200
        assert response.get_json() == {"clicks": expected, "suffix": "extra/part"}
    state = db.session.execute(select(LearnerState).filter_by(user_id=learner.id, usage_id="practice-0")).scalar_one()
    assert state.state == {"clicks": 3} and state.block_type == "test_counter"
    score = db.session.execute(select(Score).filter_by(user_id=learner.id, usage_id="practice-0")).scalar_one()
    assert (score.earned, score.possible) == (3.0, 3.0)
    assert completion_of(learner, course, "practice-0") == 1.0
    # The state is read back on the next render.
    assert "Press: 3" in enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True)


def test_handler_rejects_post_without_csrf_token(enrolled, learner, counter_type):
    response = enrolled.post("/courses/civic-tech/xblock/practice-0/handler/click", data="{}",
                             content_type="application/json")
    assert response.status_code == 400
    assert db.session.execute(select(LearnerState).filter_by(user_id=learner.id)).first() is None


def test_plain_form_post_carries_injected_token_and_redirects(enrolled, learner, counter_type):
    html = enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True)
    form = html[html.index('<form method="post" action="/courses/civic-tech/xblock/practice-0/handler/click_form"'):]
    token = csrf_token_from(form[: form.index("</form>")])
    response = enrolled.post("/courses/civic-tech/xblock/practice-0/handler/click_form",
                             data={"csrf_token": token},
                             headers={"Referer": "http://localhost/courses/civic-tech/learn/practice"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/courses/civic-tech/learn/practice")
    assert "Press: 1" in enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True)


def test_learner_cannot_write_content_fields(enrolled, counter_type):
    token = csrf_token_from(enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True))
    refused = enrolled.post("/courses/civic-tech/xblock/practice-0/handler/rename", data=json.dumps({"prompt": "x"}),
                            content_type="application/json", headers={"X-CSRFToken": token})
    # The field data refuses the write (InvalidScopeError), and the learner is told no.
    assert refused.status_code == 403
    assert "Press: 0" in enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True)


def test_unknown_handler_and_block_are_404(enrolled, counter_type):
    token = csrf_token_from(enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True))
    for url in ("/courses/civic-tech/xblock/practice-0/handler/nope",
                "/courses/civic-tech/xblock/ghost/handler/click"):
        assert enrolled.post(url, data="{}", headers={"X-CSRFToken": token}).status_code == 404


def test_state_survives_republish_by_stable_ids(enrolled, learner, course, counter_type):
    token = csrf_token_from(enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True))
    enrolled.post("/courses/civic-tech/xblock/practice-0/handler/click", data="{}",
                  content_type="application/json", headers={"X-CSRFToken": token})
    make_course(course=course, version_number=2, units={
        "new-first": [("kuza_markdown", {"markdown": "New."})],
        "practice": [("test_counter", {"prompt": "Again"})],
    })
    db.session.commit()
    assert "Again: 1" in enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True)


def test_block_resource_serves_public_files_only(client, db_session):
    css = client.get("/xblock/resource/kuza_markdown/public/markdown.css?v=1")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "immutable" in css.headers["Cache-Control"]
    for uri in ("block.py", "templates/markdown.html", "public/../block.py", "public/./markdown.css"):
        assert client.get(f"/xblock/resource/kuza_markdown/{uri}").status_code == 404
    assert client.get("/xblock/resource/nonexistent_type/public/x.css").status_code == 404


def test_course_asset_is_cached_and_sandboxed(client, course):
    response = client.get("/courses/civic-tech/v1/static/map.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    again = client.get("/courses/civic-tech/v1/static/map.svg", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/courses/civic-tech/v2/static/map.svg").status_code == 404
    assert client.get("/courses/civic-tech/v1/static/missing.svg").status_code == 404


HOSTILE_LESSON = """## Careful

<script>alert("x")</script>
[click](javascript:alert(1)) and [also](JaVaScRiPt:alert(2))
<img src="/static/map.svg" onerror="alert(3)" alt="map">
<a href="/ok" onclick="alert(4)">ok</a>
<iframe src="https://evil.example/"></iframe>
"""


def test_hostile_markdown_renders_inert_in_a_kuza_page(client, learner, db_session):
    course = make_course(slug="hostile", units={"bad": [("kuza_markdown", {"markdown": HOSTILE_LESSON})]})
    catalog.enroll(learner, course)
    db.session.commit()
    sign_in(client, learner)
    html = client.get("/courses/hostile/learn/bad").get_data(as_text=True)
    lesson = html[html.index('data-block-type="kuza_markdown"'):html.index("</article>")]
    assert "Careful" in lesson
    for forbidden in ("<script", "javascript:", "JaVaScRiPt:", "onerror", "onclick", "<iframe", "evil.example"):
        assert forbidden not in lesson, forbidden


def post_json(client, url, data, token):
    return client.post(url, data=json.dumps(data), content_type="application/json", headers={"X-CSRFToken": token})


def test_attempt_events_are_appended_once_per_attempt_id(enrolled, learner, course, counter_type):
    token = csrf_token_from(enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True))
    url = "/courses/civic-tech/xblock/practice-0/handler/submit"
    for attempt in ("first", "first", "second"):
        assert post_json(enrolled, url, {"token": attempt}, token).status_code == 200
    rows = db.session.execute(select(Attempt).filter_by(user_id=learner.id).order_by(Attempt.id)).scalars().all()
    assert [row.attempt_id for row in rows] == ["first", "second"]
    first = rows[0]
    assert (first.mode, first.question_set, first.earned, first.possible, first.passed) == ("pre_test", "basics", 2, 3, True)
    assert first.responses == {"q1": "a"} and first.results == {"q1": {"score": 1.0}}
    assert first.submitted_at.replace(tzinfo=None).isoformat() == "2026-11-28T07:00:00"


def test_malformed_attempt_event_is_refused_and_nothing_is_stored(enrolled, learner, counter_type):
    token = csrf_token_from(enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True))
    with pytest.raises(ValueError, match="out of range"):
        post_json(enrolled, "/courses/civic-tech/xblock/practice-0/handler/submit", {"token": "t", "earned": 5}, token)
    assert db.session.execute(select(Attempt).filter_by(user_id=learner.id)).first() is None


def test_block_forms_carry_the_page_to_return_to(enrolled, counter_type):
    html = enrolled.get("/courses/civic-tech/learn/practice").get_data(as_text=True)
    form = html[html.index('action="/courses/civic-tech/xblock/practice-0/handler/click_form"'):]
    assert '<input type="hidden" name="return_to" value="/courses/civic-tech/learn/practice">' in form[:form.index("</form>")]


@pytest.mark.parametrize(("target", "expected"), [
    ("https://evil.example/", "/courses/civic-tech/learn/practice"),
    ("//evil.example/x", "/courses/civic-tech/learn/practice"),
    ("/courses/civic-tech/learn/intro?x=1", "/courses/civic-tech/learn/intro?x=1"),
    ("http://localhost/my-learning", "/my-learning"),
])
def test_blocks_can_only_redirect_into_the_site(enrolled, counter_type, target, expected):
    response = enrolled.get("/courses/civic-tech/xblock/practice-0/handler/elsewhere", query_string={"to": target})
    assert response.status_code == 303
    assert response.headers["Location"] == expected
