"""The learner-facing pages that the accessibility checks and the page-weight budget cover."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import Flask

from tests.browser.server import Site, create_learner

# The budgets of docs/performance.md (design brief: "any learner page, cold cache").
BUDGET_BYTES = 30 * 1024
BUDGET_REQUESTS = 4

# Who looks at a page: nobody signed in, a learner signed in but not enrolled, an enrolled one.
VISITOR, NEWCOMER, LEARNER = "visitor", "newcomer", "learner"


@dataclass(frozen=True)
class LearnerPage:
    name: str
    viewer: str
    path_template: str

    def path(self, site: Site) -> str:
        return self.path_template.format(slug=site.slug, first_unit=site.units[0], last_unit=site.units[-1])


PAGES: tuple[LearnerPage, ...] = (
    LearnerPage("catalog", VISITOR, "/"),
    LearnerPage("catalog-signed-in", LEARNER, "/"),
    LearnerPage("course-signed-out", VISITOR, "/courses/{slug}/"),
    LearnerPage("course-signed-in", NEWCOMER, "/courses/{slug}/"),
    LearnerPage("course-enrolled", LEARNER, "/courses/{slug}/"),
    LearnerPage("register", VISITOR, "/register"),
    LearnerPage("sign-in", VISITOR, "/sign-in"),
    LearnerPage("account", LEARNER, "/account"),
    LearnerPage("outline", LEARNER, "/courses/{slug}/learn/"),
    LearnerPage("first-unit", LEARNER, "/courses/{slug}/learn/{first_unit}"),
    LearnerPage("last-unit", LEARNER, "/courses/{slug}/learn/{last_unit}"),
    LearnerPage("my-learning", LEARNER, "/my-learning"),
    LearnerPage("progress", LEARNER, "/courses/{slug}/progress"),
    LearnerPage("not-found", VISITOR, "/courses/no-such-course/"),
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
    return states
