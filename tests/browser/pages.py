"""The learner-facing pages that the browser matrix, the accessibility checks and the page-weight budget cover."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import Flask

from tests.browser.server import Site, create_learner, record_certificate

# The budgets of docs/performance.md (design brief: "any learner page, cold cache").
BUDGET_BYTES = 30 * 1024
BUDGET_REQUESTS = 4

# Who looks at a page: nobody signed in, a learner signed in but not enrolled, an enrolled one
# part-way through, and an enrolled one who answered the module 1 quiz and holds a certificate.
VISITOR, NEWCOMER, LEARNER, GRADUATE = "visitor", "newcomer", "learner", "graduate"

# Units of the sample course that show each kind of content.
LESSON_UNIT = "welcome-what-is-innovation"
QUIZ_UNIT = "what-is-innovation-check"
CASE_UNIT = "e-mutation-land-records"
PLAN_UNIT = "your-adaptation-plan"
CASE = "e-mutation-land-records-case"


@dataclass(frozen=True)
class LearnerPage:
    name: str
    viewer: str
    path_template: str
    status: int = 200

    def path(self, site: Site) -> str:
        return self.path_template.format(slug=site.slug, first_unit=site.units[0], last_unit=site.units[-1],
                                         certificate=site.certificate, reset_token=site.reset_token)


PAGES: tuple[LearnerPage, ...] = (
    LearnerPage("catalog", VISITOR, "/"),
    LearnerPage("catalog-signed-in", LEARNER, "/"),
    LearnerPage("course-signed-out", VISITOR, "/courses/{slug}/"),
    LearnerPage("course-signed-in", NEWCOMER, "/courses/{slug}/"),
    LearnerPage("course-enrolled", LEARNER, "/courses/{slug}/"),
    LearnerPage("register", VISITOR, "/register"),
    LearnerPage("sign-in", VISITOR, "/sign-in"),
    LearnerPage("forgot-password", VISITOR, "/password/forgot"),
    LearnerPage("reset-password", VISITOR, "/password/reset/{reset_token}"),
    LearnerPage("reset-link-expired", VISITOR, "/password/reset/no-longer-valid", status=410),
    LearnerPage("account", LEARNER, "/account"),
    LearnerPage("my-learning", GRADUATE, "/my-learning"),
    LearnerPage("outline", LEARNER, "/courses/{slug}/learn/"),
    LearnerPage("lesson-unit", LEARNER, "/courses/{slug}/learn/" + LESSON_UNIT),
    LearnerPage("quiz-unit", LEARNER, "/courses/{slug}/learn/" + QUIZ_UNIT),
    LearnerPage("quiz-answered", GRADUATE, "/courses/{slug}/learn/" + QUIZ_UNIT),
    LearnerPage("case-study-unit", LEARNER, "/courses/{slug}/learn/" + CASE_UNIT),
    LearnerPage("plan-unit", LEARNER, "/courses/{slug}/learn/" + PLAN_UNIT),
    LearnerPage("progress", GRADUATE, "/courses/{slug}/progress"),
    LearnerPage("verification", VISITOR, "/certificates/{certificate}"),
    LearnerPage("library", VISITOR, "/library"),
    LearnerPage("library-case", VISITOR, "/library/{slug}/" + CASE),
    LearnerPage("not-found", VISITOR, "/courses/no-such-course/", status=404),
)
PAGE_IDS = [page.name for page in PAGES]


def prepare_viewers(browser, base_url: str, app: Flask, site: Site) -> dict[str, dict | None]:
    """Accounts for each kind of viewer, signed in once: the storage state a new context starts from.

    Only cookies carry over into those contexts; their HTTP caches start empty.
    """
    from tests.browser.actions import sign_in

    states: dict[str, dict | None] = {VISITOR: None}
    tag = uuid.uuid4().hex[:8]
    for viewer, enrol_in in ((NEWCOMER, None), (LEARNER, site.slug)):
        learner = create_learner(app, f"{viewer}.{tag}@example.org", enrol_in=enrol_in)
        context = browser.new_context()
        try:
            page = context.new_page()
            sign_in(page, base_url, learner)
            if enrol_in:
                # A learner part-way through: a unit visited, so "Resume" and progress show.
                page.goto(f"{base_url}/courses/{site.slug}/learn/{site.units[0]}")
            states[viewer] = context.storage_state()
        finally:
            context.close()
    states[GRADUATE] = _graduate(browser, base_url, site)
    return states


def _graduate(browser, base_url: str, site: Site) -> dict:
    """The holder of the site's certificate, signed in after answering the module 1 quiz once.

    JavaScript off: the quiz is answered through its plain form, redirected back to the unit.
    """
    from tests.browser.actions import answer_quiz, sign_in

    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, base_url, site.graduate)
        page.goto(f"{base_url}/courses/{site.slug}/learn/{QUIZ_UNIT}")
        answer_quiz(page)
        return context.storage_state()
    finally:
        context.close()
