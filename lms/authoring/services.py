"""Studio services: who may do what, trainers' courses, creating a course, editing its draft, publishing it.

Every rule of the studio is decided here, from catalog's roles: admins create courses and run
them all; a course's owners choose its staff (catalog.services keeps those rules); its owners
and editors edit its draft and publish it. Views only ask. Services flush; views commit.
"""
from __future__ import annotations

import copy
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app
from flask_babel import lazy_gettext as _  # lazy: these texts are translated when shown, in the reader's language
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from lms.accounts.models import Role
from lms.accounts.services import PermissionDenied
from lms.authoring.blocks import LEAF_KINDS, starting_fields
from lms.authoring.drafts import (
    CHILD_TYPE,
    STRUCTURE,
    Changes,
    Flat,
    Outline,
    OutlineError,
    changes,
    clean_title,
    flatten,
    new_url_name,
    node,
)
from lms.authoring.models import Draft
from lms.catalog import services as catalog
from lms.catalog.models import Course, CourseVersion, StaffRole
from lms.courseware import services as courseware
from lms.courseware.models import Asset, Block
from lms.courseware.olx import BlockNode, Package, PackageError, read_package, write_package
from lms.courseware.packages import import_package
from lms.database import conflict_insert, utcnow
from lms.extensions import db

# The organisation written into a new course's OLX (Open edX's "org" in a course key).
ORG = "Kuza"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,98}[a-z0-9]")
MAX_DESCRIPTION = 500
T = TypeVar("T")


class StaleDraft(Exception):
    """The draft changed since the page that sent this edit was opened: the edit is refused, nothing is lost."""


class CourseDetailsError(ValueError):
    """New course details that the rules refuse; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class PublishRefused(Exception):
    """A draft that cannot be published as it is; ``problems`` say why, each where an author finds it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


# Who may do what


def _is_admin(user) -> bool:
    return getattr(user, "is_authenticated", False) and getattr(user, "role", None) == Role.ADMIN


def may_create_courses(user) -> bool:
    return _is_admin(user)


def may_edit(user, course: Course) -> bool:
    """Whether the user edits the course's content and publishes it: its owners and editors, and admins."""
    return _is_admin(user) or catalog.staff_role(user, course) is not None


def may_manage_staff(user, course: Course) -> bool:
    return catalog.may_manage_staff(user, course)


def may_open_studio(user) -> bool:
    """Whether the studio has anything for the user: admins, and trainers on some course's staff."""
    return catalog.runs_any_course(user)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


# Courses


def studio_course(user, slug: str) -> Course:
    """A course the user may edit, published or not yet; CourseNotFound (404) or PermissionDenied (403)."""
    course = db.session.execute(
        select(Course).where(Course.slug == slug).options(joinedload(Course.published_version))
    ).scalar_one_or_none()
    if course is None:
        raise catalog.CourseNotFound(slug)
    _require(may_edit(user, course))
    return course


@dataclass(frozen=True)
class CourseSummary:
    """One course on a trainer's "My courses" page."""

    course: Course
    role: StaffRole | None
    title: str
    language: str
    published: CourseVersion | None
    has_changes: bool  # the draft differs from the published version
    enrolled: int

    @property
    def slug(self) -> str:
        return self.course.slug


def my_courses(user) -> list[CourseSummary]:
    """The courses the user runs, by title: every course for admins. PermissionDenied for learners."""
    run = catalog.courses_run_by(user)
    courses = [course for course, _role in run]
    drafts = _drafts_of(courses)
    counts = catalog.enrollment_counts(courses)
    summaries = []
    for course, role in run:
        copy_ = _working_copy(course, drafts.get(course.id))
        root = copy_.content["root"]["fields"]
        summaries.append(CourseSummary(
            course=course, role=role, title=root.get("display_name", course.slug), language=root.get("language", "en"),
            published=course.published_version,
            has_changes=has_changes(copy_),
            enrolled=counts[course.id],
        ))
    return sorted(summaries, key=lambda summary: (summary.title.casefold(), summary.slug))


def create_course(actor, title: str, slug: str, language: str, description: str) -> Course:
    """A new course, not yet published, with an empty draft; admins only."""
    _require(may_create_courses(actor))
    try:
        title = clean_title(title)
    except OutlineError as error:
        raise CourseDetailsError(error.message, field="title") from None
    slug = (slug or "").strip().lower()
    if not SLUG.fullmatch(slug) or "--" in slug:
        raise CourseDetailsError(_("Use 3 to 100 lower-case letters, digits and single hyphens, such as "
                                   "“digital-services-2027”."), field="slug")
    if db.session.scalar(select(Course.id).where(Course.slug == slug)) is not None:
        raise CourseDetailsError(_("Another course already has this address: choose another."), field="slug")
    if language not in current_app.config["KUZA_LOCALES"]:
        raise CourseDetailsError(_("Choose the language the course is written in."), field="language")
    description = " ".join((description or "").split())
    if len(description) > MAX_DESCRIPTION:
        raise CourseDetailsError(_("Use at most %(count)d characters for the description.", count=MAX_DESCRIPTION),
                                 field="description")
    course = Course(slug=slug, created_at=utcnow())
    db.session.add(course)
    db.session.flush()
    run = str(utcnow().year)
    content = {"org": ORG, "run": run, "policy": {}, "short_description": description, "overview_html": "",
               "root": node("course", run, {"display_name": title, "language": language})}
    db.session.add(Draft(course_id=course.id, revision=1, content=content, updated_by_id=getattr(actor, "id", None),
                         created_at=utcnow(), updated_at=utcnow()))
    db.session.flush()
    return course


# Drafts


@dataclass(frozen=True)
class WorkingCopy:
    """What the studio edits: the course's draft, or its published version while nobody has edited it
    (revision 0, no draft row yet)."""

    course: Course
    draft: Draft | None
    revision: int
    content: dict
    base_version: CourseVersion | None

    @property
    def outline(self) -> Outline:
        """A fresh copy to read or change; the stored content is never changed in place."""
        return Outline(copy.deepcopy(self.content["root"]))

    @property
    def language(self) -> str:
        return self.content["root"]["fields"].get("language", "en")

    @property
    def title(self) -> str:
        return self.content["root"]["fields"].get("display_name", self.course.slug)


def working_copy(user, course: Course) -> WorkingCopy:
    _require(may_edit(user, course))
    return _working_copy(course, _draft_of(course))


def _draft_of(course: Course) -> Draft | None:
    return db.session.execute(select(Draft).where(Draft.course_id == course.id)).scalar_one_or_none()


def _drafts_of(courses: list[Course]) -> dict[int, Draft]:
    ids = [course.id for course in courses]
    if not ids:
        return {}
    return {draft.course_id: draft for draft in db.session.execute(select(Draft).where(Draft.course_id.in_(ids))).scalars()}


def _working_copy(course: Course, draft: Draft | None) -> WorkingCopy:
    if draft is not None:
        return WorkingCopy(course, draft, draft.revision, draft.content, draft.base_version)
    version = course.published_version
    if version is None:
        raise catalog.CourseNotFound(course.slug)  # a course with neither draft nor version has nothing to edit
    return WorkingCopy(course, None, 0, _content_of(version), version)


def _content_of(version: CourseVersion) -> dict:
    """A version's content as a draft holds it."""
    tree = courseware.load_tree(version)

    def nested(usage_id: str) -> dict:
        current = tree.nodes[usage_id]
        return node(current.block_type, usage_id, copy.deepcopy(current.fields),
                    [nested(child) for child in current.children])

    return {"org": version.org, "run": version.run, "policy": copy.deepcopy(version.policy),
            "short_description": version.short_description, "overview_html": version.overview_html,
            "root": nested(tree.root)}


def _save(actor, course: Course, revision: int, change: Callable[[Outline, WorkingCopy], T]) -> T:
    """Apply ``change`` to the draft as it was at ``revision`` and store it as the next revision.

    Refused with StaleDraft when the draft is no longer at that revision, checked again in the
    UPDATE itself (compare and set), so of two editors saving at once on two app servers the
    second is told, never silently overwritten.
    """
    current = working_copy(actor, course)
    if current.revision != revision:
        raise StaleDraft()
    outline = current.outline
    result = change(outline, current)
    content = {**current.content, "root": outline.root}
    now, actor_id = utcnow(), getattr(actor, "id", None)
    if current.draft is None:
        created = db.session.execute(
            conflict_insert(Draft, db.session.get_bind())
            .values(course_id=course.id, base_version_id=current.base_version.id, revision=1, content=content,
                    created_at=now, updated_at=now, updated_by_id=actor_id)
            .on_conflict_do_nothing(index_elements=["course_id"])
            .returning(Draft.id)
        ).first()
        if created is None:
            raise StaleDraft()
    else:
        saved = db.session.execute(
            update(Draft).where(Draft.id == current.draft.id, Draft.revision == revision)
            .values(content=content, revision=Draft.revision + 1, updated_at=now, updated_by_id=actor_id)
            .execution_options(synchronize_session=False)
        )
        if saved.rowcount != 1:
            raise StaleDraft()
        db.session.expire(current.draft)
    return result


def _taken_url_names(course: Course, outline: Outline) -> set[str]:
    """Every url_name the draft or any version of the course uses: a new block never reuses one, so it
    never inherits the learners' records of a block deleted before."""
    used = db.session.scalars(
        select(Block.usage_id).join(CourseVersion, Block.version_id == CourseVersion.id)
        .where(CourseVersion.course_id == course.id).distinct()
    )
    return outline.url_names() | set(used)


def add_block(actor, course: Course, revision: int, parent_id: str, block_type: str, title: str | None = None) -> str:
    """Add a block at the end of ``parent_id``: a chapter, lesson or unit with a title, or a leaf block
    of a kind the studio offers, with its starting content. Its new url_name."""

    def change(outline: Outline, current: WorkingCopy) -> str:
        if block_type in LEAF_KINDS:
            url_name = new_url_name("", block_type, _taken_url_names(course, outline))
            fields = starting_fields(block_type, url_name, current.language,
                                     frozenset(current_app.config["KUZA_EXTRA_XBLOCKS"]))
        elif block_type in CHILD_TYPE.values():
            clean = clean_title(title)
            url_name = new_url_name(clean, block_type, _taken_url_names(course, outline))
            fields = {"display_name": clean}
        else:
            raise OutlineError(_("That kind of block cannot go there."))
        outline.add(parent_id, block_type, url_name, fields)
        return url_name

    return _save(actor, course, revision, change)


def rename_block(actor, course: Course, revision: int, usage_id: str, title: str) -> None:
    _save(actor, course, revision, lambda outline, _current: outline.rename(usage_id, title))


def move_block(actor, course: Course, revision: int, usage_id: str, step: int) -> None:
    _save(actor, course, revision, lambda outline, _current: outline.move(usage_id, step))


def move_block_to(actor, course: Course, revision: int, usage_id: str, parent_id: str) -> None:
    _save(actor, course, revision, lambda outline, _current: outline.move_to(usage_id, parent_id))


def delete_block(actor, course: Course, revision: int, usage_id: str) -> list[str]:
    """Delete a block and what it holds from the draft. Learners' records of it stay: they are keyed by
    url_name, and kept whatever a version holds."""
    return _save(actor, course, revision, lambda outline, _current: outline.delete(usage_id))


# What publishing would change


def _published_flat(course: Course) -> dict[str, Flat]:
    version = course.published_version
    if version is None:
        return {}
    tree = courseware.load_tree(version)
    return {usage_id: Flat(usage_id, current.block_type, current.fields, current.parent, current.children)
            for usage_id, current in tree.nodes.items()}


def _changes(current: WorkingCopy) -> Changes:
    return changes(flatten(current.content["root"]), _published_flat(current.course))


def has_changes(current: WorkingCopy) -> bool:
    """Whether publishing the draft would change what learners see (always, for a course never published)."""
    return bool(_changes(current)) or _details_changed(current)


def _details_changed(current: WorkingCopy) -> bool:
    version = current.course.published_version
    if version is None:
        return True
    return (current.content["short_description"], current.content["overview_html"], current.content["policy"]) != (
        version.short_description, version.overview_html, version.policy)


@dataclass(frozen=True)
class PublishPlan:
    """What the publish page shows: the changes against the published version, and what would stop it."""

    current: WorkingCopy
    changes: Changes
    details_changed: bool
    problems: tuple[str, ...]

    @property
    def publishable(self) -> bool:
        return not self.problems and (bool(self.changes) or self.details_changed)


def publish_plan(user, course: Course) -> PublishPlan:
    """The changes a publish would make, and whether the importer would accept the draft, checked by
    reading the draft's package exactly as an import does, storing nothing."""
    current = working_copy(user, course)
    return PublishPlan(current, _changes(current), _details_changed(current), tuple(_problems(current)))


def _problems(current: WorkingCopy) -> list[str]:
    outline = current.outline
    if not any(outline.leaves_under(unit) for unit in outline.units()):
        return [str(_("Add at least one unit with a lesson, quiz or other block: learners would find "
                      "nothing to read."))]
    try:
        with _written(current) as folder:
            read_package(folder, frozenset(current_app.config["KUZA_EXTRA_XBLOCKS"]))
    except PackageError as error:
        return [str(problem) for problem in error.problems]
    return []


@contextmanager
def _written(current: WorkingCopy) -> Iterator[Path]:
    """The draft written out as an OLX package in a scratch folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="kuza-draft-") as scratch:
        folder = Path(scratch) / "course"
        write_package(_package(current), folder, frozenset(current_app.config["KUZA_EXTRA_XBLOCKS"]))
        yield folder


def _package(current: WorkingCopy) -> Package:
    content = current.content
    return Package(slug=current.course.slug, org=content["org"], root=_block_node(content["root"]),
                   policy=copy.deepcopy(content["policy"]), short_description=content["short_description"],
                   overview_html=content["overview_html"], static=_files(current.base_version))


def _block_node(current: dict) -> BlockNode:
    return BlockNode(current["type"], current["url_name"], dict(current["fields"]),
                     tuple(_block_node(child) for child in current["children"]))


def _files(version: CourseVersion | None) -> dict[str, bytes]:
    """The course files of the version the draft came from: lessons' /static/ links keep working."""
    if version is None:
        return {}
    return dict(db.session.execute(
        select(Asset.path, Asset.data).where(Asset.version_id == version.id).order_by(Asset.path)).all())


@dataclass(frozen=True)
class Published:
    version: CourseVersion
    changes: Changes


def publish(actor, course: Course, revision: int) -> Published:
    """Publish the draft, as it was at ``revision``, as the course's next version.

    The draft is written out as an OLX package and imported by courseware.packages, the path
    ``kuza import-course`` takes, so a draft passes exactly the checks a package does. Learners
    keep their progress: their records are keyed by url_name, which every block keeps. The
    draft then starts again from the new version, at the next revision.
    """
    current = working_copy(actor, course)
    if current.revision != revision:
        raise StaleDraft()
    found = _changes(current)
    if current.course.published_version is not None and not found and not _details_changed(current):
        raise PublishRefused([str(_("Nothing to publish: the draft is the same as the published version."))])
    if problems := _problems(current):
        raise PublishRefused(problems)
    with _written(current) as folder:
        result = import_package(folder)
    version = catalog.version_of(course, result.version_number)
    _rebase(actor, course, current, version)
    return Published(version, found)


def _rebase(actor, course: Course, current: WorkingCopy, version: CourseVersion) -> None:
    """The draft becomes the version just published (as the importer stored it), at the next revision."""
    now, actor_id = utcnow(), getattr(actor, "id", None)
    content = _content_of(version)
    if current.draft is None:
        db.session.add(Draft(course_id=course.id, base_version_id=version.id, revision=1, content=content,
                             created_at=now, updated_at=now, updated_by_id=actor_id))
        db.session.flush()
        return
    saved = db.session.execute(
        update(Draft).where(Draft.id == current.draft.id, Draft.revision == current.revision)
        .values(content=content, base_version_id=version.id, revision=Draft.revision + 1, updated_at=now,
                updated_by_id=actor_id)
        .execution_options(synchronize_session=False)
    )
    if saved.rowcount != 1:
        raise StaleDraft()
    db.session.expire(current.draft)


# Preview


def preview_tree(user, course: Course) -> tuple[WorkingCopy, courseware.CourseTree]:
    """The draft as a course tree the runtime renders, like a published version's."""
    current = working_copy(user, course)
    flat = flatten(current.content["root"])
    nodes = {usage_id: courseware.Node(usage_id, block.block_type, block.fields, block.parent, block.children)
             for usage_id, block in flat.items()}
    units = tuple(usage_id for usage_id, block in flat.items() if block.block_type == "vertical")
    leaves = tuple(usage_id for usage_id, block in flat.items() if block.block_type not in STRUCTURE)
    return current, courseware.CourseTree(0, current.content["root"]["url_name"], nodes, units, leaves)


def last_edit(current: WorkingCopy) -> tuple[datetime | None, Any]:
    """When the draft was last saved, and by whom (None before anyone edited it)."""
    if current.draft is None:
        return None, None
    return current.draft.updated_at, current.draft.updated_by
