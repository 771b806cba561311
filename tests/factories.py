"""Factories for tests: users, small published courses built straight into the tables, and test XBlocks."""
from __future__ import annotations

import hashlib
import re
from itertools import count
from types import SimpleNamespace

import xblock.plugin
from xblock.core import XBlock

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.catalog.models import Course, CourseVersion
from lms.courseware.models import Asset, Block
from lms.extensions import db

PASSWORD = "a long enough password"
_serial = count(1)


def make_user(role: str = "learner", name: str = "Amina Diallo", email: str | None = None) -> User:
    email = email or f"user{next(_serial)}@example.org"
    user = accounts.create_user(email=email, name=name, password=PASSWORD, role=role)
    db.session.flush()
    return user


def make_course(slug: str = "civic-tech", units: dict[str, list[tuple[str, dict]]] | None = None,
                assets: dict[str, bytes] | None = None, version_number: int = 1,
                course: Course | None = None) -> Course:
    """Publish a course with one chapter and one sequential holding ``units``.

    ``units`` maps a unit's url_name to its leaf blocks as (block_type, fields) pairs; each
    leaf's url_name is ``<unit>-<index>``.
    """
    units = units or {
        "unit-one": [("kuza_markdown", {"display_name": "One", "markdown": "## First\n\nHello."})],
        "unit-two": [("kuza_markdown", {"display_name": "Two", "markdown": "Second lesson."})],
    }
    if course is None:
        course = Course(slug=slug)
        db.session.add(course)
        db.session.flush()
    version = CourseVersion(course_id=course.id, number=version_number, title=f"Course {slug}", org="Kuza",
                            run="2026", root_usage_id="root", language="en")
    db.session.add(version)
    db.session.flush()
    rows = [
        Block(version_id=version.id, usage_id="root", block_type="course", parent_usage_id=None, position=0,
              fields={"display_name": f"Course {slug}"}),
        Block(version_id=version.id, usage_id="chapter-1", block_type="chapter", parent_usage_id="root",
              position=0, fields={"display_name": "Chapter one"}),
        Block(version_id=version.id, usage_id="sequence-1", block_type="sequential",
              parent_usage_id="chapter-1", position=0, fields={"display_name": "Lesson one"}),
    ]
    for position, (unit_id, leaves) in enumerate(units.items()):
        rows.append(Block(version_id=version.id, usage_id=unit_id, block_type="vertical",
                          parent_usage_id="sequence-1", position=position,
                          fields={"display_name": unit_id.replace("-", " ").title()}))
        for index, (block_type, fields) in enumerate(leaves):
            rows.append(Block(version_id=version.id, usage_id=f"{unit_id}-{index}", block_type=block_type,
                              parent_usage_id=unit_id, position=index, fields=fields))
    db.session.add_all(rows)
    for path, data in (assets or {}).items():
        db.session.add(Asset(version_id=version.id, path=path, data=data, sha256=hashlib.sha256(data).hexdigest(),
                             content_type="image/svg+xml" if path.endswith(".svg") else "application/octet-stream"))
    course.published_version = version
    db.session.flush()
    return course


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf[-_]token"[^>]*(?:value|content)="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client, user: User) -> None:
    """Sign a test client in through the real sign-in form."""
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD,
                                             "csrf_token": csrf_token_from(page)})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]


def install_block(monkeypatch, block_type: str, block_class: type[XBlock]) -> None:
    """Make ``block_class`` loadable as ``block_type``, as if a distribution declared its entry point.

    The server hosts it only once ``block_type`` is also in ``KUZA_EXTRA_XBLOCKS``.
    """
    entry_point = SimpleNamespace(name=block_type, group="xblock.v1", dist=SimpleNamespace(key="tests"),
                                  load=lambda: block_class)
    monkeypatch.setattr(XBlock, "extra_entry_points", [*XBlock.extra_entry_points, (block_type, entry_point)])
    # XBlock caches every class it has looked up, including a miss.
    monkeypatch.setattr(xblock.plugin, "PLUGIN_CACHE", {})
