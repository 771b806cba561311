"""Every studio route × who asks: only the roles listed for it get in; a route missing from the table fails.

"Gets in" means a 2xx page, or a redirect that stays in the studio after a change was made;
anyone else is sent to sign in (anonymous) or refused with 403. The table lists each
endpoint and method with the request that exercises it, so a new route, or a new method on
one, fails ``test_every_studio_route_is_in_the_table`` until someone decides who may use it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from lms.accounts.services import OPERATOR
from lms.authoring import services
from tests.authoring.conftest import Studio
from tests.factories import csrf_token_from, sign_in

ROLES = ("anonymous", "learner", "editor", "owner", "other_owner", "admin")
STAFF = frozenset({"editor", "owner", "admin"})
STAFF_MANAGERS = frozenset({"owner", "admin"})
COURSE = "/studio/civic-tech"


@dataclass(frozen=True)
class Route:
    path: str
    allowed: frozenset[str]
    data: Callable[[Studio], dict] = field(default=lambda _studio: {})
    # Makes the state the request needs (a draft with a change to publish), before it is sent.
    prepare: Callable[[Studio], None] = field(default=lambda _studio: None)


def _changed_draft(studio: Studio) -> None:
    services.rename_block(OPERATOR, studio.course, 0, "unit-one", "Unit one, renamed")


TABLE: dict[tuple[str, str], Route] = {
    ("authoring.my_courses", "GET"): Route("/studio/", frozenset({"editor", "owner", "other_owner", "admin"})),
    ("authoring.new_course", "GET"): Route("/studio/new", frozenset({"admin"})),
    ("authoring.new_course", "POST"): Route("/studio/new", frozenset({"admin"}), lambda s: {
        "title": "Open budgets", "slug": "open-budgets", "language": "en", "description": ""}),
    ("authoring.staff", "GET"): Route(f"{COURSE}/staff", STAFF),
    ("authoring.staff", "POST"): Route(f"{COURSE}/staff", STAFF_MANAGERS, lambda s: {
        "email": s.newcomer.email, "role": "editor"}),
    ("authoring.staff_role", "POST"): Route(f"{COURSE}/staff/{{second_editor}}/role", STAFF_MANAGERS,
                                            lambda s: {"role": "owner"}),
    ("authoring.staff_remove", "POST"): Route(f"{COURSE}/staff/{{second_editor}}/remove", STAFF_MANAGERS),
    ("authoring.outline", "GET"): Route(f"{COURSE}/outline", STAFF),
    ("authoring.outline_add", "POST"): Route(f"{COURSE}/outline/add", STAFF, lambda s: {
        "revision": "0", "parent": "root", "type": "chapter", "title": "Chapter two"}),
    ("authoring.outline_rename", "POST"): Route(f"{COURSE}/outline/rename", STAFF, lambda s: {
        "revision": "0", "block": "unit-one", "title": "First unit"}),
    ("authoring.outline_move", "POST"): Route(f"{COURSE}/outline/move", STAFF, lambda s: {
        "revision": "0", "down": "unit-one"}),
    ("authoring.move_page", "GET"): Route(f"{COURSE}/outline/unit-one-0/move", STAFF),
    ("authoring.outline_delete", "POST"): Route(f"{COURSE}/outline/delete", STAFF, lambda s: {
        "revision": "0", "block": "unit-two"}),
    ("authoring.publish", "GET"): Route(f"{COURSE}/publish", STAFF),
    ("authoring.publish", "POST"): Route(f"{COURSE}/publish", STAFF, lambda s: {"revision": "1"},
                                         prepare=_changed_draft),
    ("authoring.preview", "GET"): Route(f"{COURSE}/preview/", STAFF),
    ("authoring.preview_unit", "GET"): Route(f"{COURSE}/preview/unit-one", STAFF),
    ("authoring.preview_handler", "POST"): Route(f"{COURSE}/preview/unit-one-0/handler/submit", STAFF),
}


def test_every_studio_route_is_in_the_table(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("authoring.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes, "the studio has no routes"
    missing = routes - set(TABLE)
    assert not missing, f"studio routes without an entry in TABLE (decide who may use them): {sorted(missing)}"
    assert not set(TABLE) - routes, f"TABLE lists routes that do not exist: {sorted(set(TABLE) - routes)}"


def _actor(studio: Studio, role: str):
    return {"learner": studio.learner, "editor": studio.editor, "owner": studio.owner,
            "other_owner": studio.other_owner, "admin": studio.admin}.get(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", list(TABLE), ids=[f"{endpoint}-{method}" for endpoint, method in TABLE])
def test_only_the_listed_roles_get_in(client, studio, key, role):
    endpoint, method = key
    route = TABLE[key]
    route.prepare(studio)
    actor = _actor(studio, role)
    if actor is not None:
        sign_in(client, actor)
    path = route.path.format(second_editor=studio.second_editor.id)
    if method == "GET":
        response = client.get(path)
    else:
        token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
        response = client.post(path, data={"csrf_token": token, **route.data(studio)})
    location = response.headers.get("Location", "")
    got_in = 200 <= response.status_code < 300 or (response.status_code in (302, 303) and location.startswith("/studio/"))
    if role in route.allowed:
        assert got_in, f"{role} should get into {method} {path}: {response.status_code} {location}"
    elif role == "anonymous":
        assert response.status_code == 302 and location.startswith("/sign-in"), (response.status_code, location)
    else:
        assert response.status_code == 403, f"{role} should be refused {method} {path}: {response.status_code}"
