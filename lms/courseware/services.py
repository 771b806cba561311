"""Courseware services: the course tree, a learner's runtime, unit pages, handler calls, records.

Plain Python with no request: views pass in what they know. Services flush, views commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import webob
from flask import current_app
from markupsafe import Markup
from sqlalchemy import or_, select
from web_fragments.fragment import Fragment
from xblock.reference.plugins import Service

from lms.catalog.models import Course, CourseVersion
from lms.courseware.field_data import CourseFieldData
from lms.courseware.models import Asset, Attempt, Block, Completion, LearnerState, Plan, Score
from lms.courseware.runtime import AttemptRecord, KuzaRuntime, Learner, PlanRecord, RuntimeLinks, reader
from lms.courseware.signals import progress_recorded
from lms.courseware.structure import STRUCTURE_BLOCKS
from lms.database import conflict_insert, utcnow
from lms.extensions import db


class UnitNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Node:
    usage_id: str
    block_type: str
    fields: dict
    parent: str | None
    children: tuple[str, ...]

    @property
    def title(self) -> str:
        return self.fields.get("display_name") or ""


@dataclass(frozen=True)
class CourseTree:
    """A published version's blocks, in order. Versions never change, so trees are cached."""

    version_id: int
    root: str
    nodes: dict[str, Node]
    units: tuple[str, ...] = field(default=())  # verticals, in reading order
    leaves: tuple[str, ...] = field(default=())  # non-structure blocks, in reading order

    def children(self, usage_id: str) -> list[Node]:
        return [self.nodes[c] for c in self.nodes[usage_id].children]

    def ancestors(self, usage_id: str) -> list[Node]:
        chain = []
        parent = self.nodes[usage_id].parent
        while parent is not None:
            chain.append(self.nodes[parent])
            parent = self.nodes[parent].parent
        return list(reversed(chain))

    def leaves_under(self, usage_id: str) -> list[str]:
        found = []
        for child in self.nodes[usage_id].children:
            if self.nodes[child].block_type in STRUCTURE_BLOCKS:
                found.extend(self.leaves_under(child))
            else:
                found.append(child)
        return found

    def chapters(self) -> list[Node]:
        return self.children(self.root)

    def units_under(self, usage_id: str) -> list[str]:
        """The units (lessons) inside a chapter or sequential, in reading order."""
        found = []
        for child in self.nodes[usage_id].children:
            if self.nodes[child].block_type == "vertical":
                found.append(child)
            elif self.nodes[child].block_type in STRUCTURE_BLOCKS:
                found.extend(self.units_under(child))
        return found


def load_tree(version: CourseVersion) -> CourseTree:
    return _cached_tree(version.id, version.published_at, version.root_usage_id)


# Keyed by id and publication time: a version's rows never change once published.
@lru_cache(maxsize=64)
def _cached_tree(version_id: int, _published_at, root: str) -> CourseTree:
    rows = db.session.execute(
        select(Block.usage_id, Block.block_type, Block.fields, Block.parent_usage_id)
        .where(Block.version_id == version_id)
        .order_by(Block.parent_usage_id, Block.position)
    ).all()
    children: dict[str, list[str]] = {}
    for row in rows:
        if row.parent_usage_id is not None:
            children.setdefault(row.parent_usage_id, []).append(row.usage_id)
    nodes = {
        row.usage_id: Node(row.usage_id, row.block_type, dict(row.fields), row.parent_usage_id,
                           tuple(children.get(row.usage_id, ())))
        for row in rows
    }
    units: list[str] = []
    leaves: list[str] = []

    def walk(usage_id: str) -> None:
        node = nodes[usage_id]
        if node.block_type == "vertical":
            units.append(usage_id)
        elif node.block_type not in STRUCTURE_BLOCKS:
            leaves.append(usage_id)
        for child in node.children:
            walk(child)

    walk(root)
    return CourseTree(version_id, root, nodes, tuple(units), tuple(leaves))


def published_version(course: Course) -> CourseVersion:
    if course.published_version is None:
        raise UnitNotFound(f"course {course.slug} has no published version")
    return course.published_version


# Learner records: the only writers of learner_states, scores and completions.


class LearnerRecords:
    """Reads and writes one learner's state, scores and completions in one course.

    Writes are single-statement upserts: two tabs or two app servers writing the same row at
    once both succeed, the later one winning, instead of one failing on the unique key.
    """

    def __init__(self, user_id: int, course_id: int):
        self.user_id = user_id
        self.course_id = course_id

    def _key(self, usage_id: str) -> dict:
        return {"user_id": self.user_id, "course_id": self.course_id, "usage_id": usage_id}

    def load_state(self, usage_id: str) -> dict | None:
        return db.session.execute(
            select(LearnerState.state).filter_by(**self._key(usage_id))
        ).scalar_one_or_none()

    def save_state(self, usage_id: str, block_type: str, state: dict) -> None:
        now = utcnow()
        _upsert(LearnerState, {**self._key(usage_id), "block_type": block_type, "state": dict(state),
                               "created_at": now, "modified_at": now}, update=("state", "modified_at"))

    def record_score(self, usage_id: str, earned: float, possible: float, only_if_higher: bool) -> bool:
        """Keep the block's latest (or, if asked, best) score; whether the stored score changed."""
        values = {**self._key(usage_id), "earned": earned, "possible": possible, "modified_at": utcnow()}
        if only_if_higher:
            current = db.session.execute(
                select(Score.earned, Score.possible).filter_by(**self._key(usage_id))
            ).one_or_none()
            if current is not None and _fraction(*current) >= _fraction(earned, possible):
                return False
        return _upsert(Score, values, update=("earned", "possible", "modified_at"),
                       unless_same=("earned", "possible"))

    def record_attempt(self, usage_id: str, block_type: str, attempt: AttemptRecord) -> bool:
        """Append a submission; the same attempt id again is ignored, so a resent form counts once.
        Whether it was new."""
        inserted = db.session.execute(
            _insert(Attempt)
            .values(**self._key(usage_id), block_type=block_type, recorded_at=utcnow(), **attempt.columns())
            .on_conflict_do_nothing(index_elements=["user_id", "course_id", "usage_id", "attempt_id"])
            .returning(Attempt.id)
        ).first()
        return inserted is not None

    def record_plan(self, usage_id: str, block_type: str, plan: PlanRecord) -> bool:
        """Append a submitted version of a plan; the same version again is ignored. Whether it was new."""
        inserted = db.session.execute(
            _insert(Plan)
            .values(**self._key(usage_id), block_type=block_type, recorded_at=utcnow(), **plan.columns())
            .on_conflict_do_nothing(index_elements=["user_id", "course_id", "usage_id", "version"])
            .returning(Plan.id)
        ).first()
        return inserted is not None

    def lock(self, usage_id: str, block_type: str) -> None:
        """Hold this learner's state row for the block until the transaction ends.

        Handler calls for one learner and block then run one after another, even from two
        tabs on two app servers, so a check-then-append (an attempt limit) cannot race.
        PostgreSQL locks the row (SELECT … FOR UPDATE); SQLite's transactions already hold
        the database's write lock from their start.
        """
        now = utcnow()
        db.session.execute(
            _insert(LearnerState)
            .values(**self._key(usage_id), block_type=block_type, state={}, created_at=now, modified_at=now)
            .on_conflict_do_nothing(index_elements=["user_id", "course_id", "usage_id"])
        )
        db.session.execute(select(LearnerState.id).filter_by(**self._key(usage_id)).with_for_update())

    def record_completion(self, usage_id: str, completion: float) -> bool:
        """Whether the block's completion changed: viewing a finished lesson again writes nothing."""
        return _upsert(Completion, {**self._key(usage_id), "completion": completion, "modified_at": utcnow()},
                       update=("completion", "modified_at"), unless_same=("completion",))


def _upsert(model, values: dict, update: tuple[str, ...], unless_same: tuple[str, ...] = ()) -> bool:
    """INSERT … ON CONFLICT (user, course, block) DO UPDATE, on SQLite and PostgreSQL alike;
    whether a row was written. With unless_same, a row whose columns already hold those
    values is left as it is."""
    statement = _insert(model).values(**values)
    changed = or_(*(getattr(model, name) != statement.excluded[name] for name in unless_same)) if unless_same else None
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "course_id", "usage_id"],
        set_={name: statement.excluded[name] for name in update},
        where=changed,
    ).returning(model.id)
    return db.session.execute(statement).first() is not None


def _insert(model):
    return conflict_insert(model, db.session.get_bind())


def _fraction(earned: float, possible: float) -> float:
    return earned / possible if possible else 0.0


# Runtime and pages

_BLOCK_SERVICES = "kuza.block_services"


def offer_block_service(app, name: str, provide) -> None:
    """Let blocks ask this app's runtimes for the service ``name``.

    ``provide(learner_id, course)`` makes it for one learner in one course, per request:
    later domains offer blocks what courseware cannot know (plans: a trainer's reviews)
    without courseware importing them. create_app offers them.
    """
    app.extensions.setdefault(_BLOCK_SERVICES, {})[name] = provide


def block_services(app, learner_id: int, course: Course) -> dict[str, Service]:
    """The services offered to blocks, made for this learner and course."""
    return {name: provide(learner_id, course) for name, provide in app.extensions.get(_BLOCK_SERVICES, {}).items()}


def learner_runtime(
    tree: CourseTree,
    course: Course,
    learner: Learner,
    links: RuntimeLinks,
    xblock_settings: dict | None = None,
    extra_types: frozenset[str] = frozenset(),
    services: dict[str, Service] | None = None,
) -> KuzaRuntime:
    return _runtime(tree, learner, LearnerRecords(learner.id, course.id), links, xblock_settings, extra_types,
                    services)


class ReaderRecords:
    """A reader's records: there are none, and nothing a reader does is stored."""

    def load_state(self, usage_id: str) -> None:
        return None

    def save_state(self, usage_id: str, block_type: str, state: dict) -> None:
        raise PermissionError(f"{usage_id}: a reader without an account has no learner state to save")

    def record_score(self, *args) -> bool:
        return False

    record_completion = record_attempt = record_plan = record_score


def reader_runtime(
    tree: CourseTree,
    locale: str,
    links: RuntimeLinks,
    xblock_settings: dict | None = None,
    extra_types: frozenset[str] = frozenset(),
) -> KuzaRuntime:
    """A runtime that renders a version's blocks for someone who is not enrolled (the practice
    library): blocks see no user state and no account, and whatever they publish is dropped."""
    return _runtime(tree, reader(locale), ReaderRecords(), links, xblock_settings, extra_types)


def _runtime(tree: CourseTree, learner: Learner, records, links: RuntimeLinks, xblock_settings: dict | None,
             extra_types: frozenset[str], services: dict[str, Service] | None = None) -> KuzaRuntime:
    field_data = CourseFieldData(
        content={usage_id: node.fields for usage_id, node in tree.nodes.items()},
        children={usage_id: list(node.children) for usage_id, node in tree.nodes.items()},
        parents={usage_id: node.parent for usage_id, node in tree.nodes.items()},
        load_state=records.load_state,
        save_state=records.save_state,
    )
    return KuzaRuntime(
        learner=learner,
        field_data=field_data,
        block_types={usage_id: node.block_type for usage_id, node in tree.nodes.items()},
        links=links,
        on_score=records.record_score,
        on_completion=records.record_completion,
        on_attempt=records.record_attempt,
        on_plan=records.record_plan,
        xblock_settings=xblock_settings,
        extra_types=extra_types,
        services=services,
    )


@dataclass(frozen=True)
class BlockView:
    """One block rendered on its own, outside its unit page."""

    content: Markup
    resources: tuple
    needs_runtime: bool


def render_block(tree: CourseTree, runtime: KuzaRuntime, usage_id: str) -> BlockView:
    """A leaf's student view alone, for pages that show a block outside its unit."""
    if usage_id not in tree.nodes or tree.nodes[usage_id].block_type in STRUCTURE_BLOCKS:
        raise UnitNotFound(usage_id)
    fragment: Fragment = runtime.get_block(usage_id).render("student_view", {})
    html = fragment.body_html()
    return BlockView(content=Markup(html), resources=tuple(fragment.resources), needs_runtime=" data-init=" in html)


@dataclass(frozen=True)
class UnitPage:
    unit: Node
    chapter: Node | None
    sequential: Node | None
    content: Markup
    # The blocks' CSS and JavaScript (web_fragments FragmentResource), placed by the page.
    resources: tuple
    previous_unit: Node | None
    next_unit: Node | None
    position: int
    total: int
    # Whether any block on the page asked for JavaScript initialisation.
    needs_runtime: bool


def render_unit(tree: CourseTree, runtime: KuzaRuntime, course_id: int, unit_id: str) -> UnitPage:
    """Render one unit's blocks for the learner and complete the leaves that complete on view."""
    if unit_id not in tree.units:
        raise UnitNotFound(unit_id)
    unit = runtime.get_block(unit_id)
    fragment: Fragment = unit.render("student_view", {})
    for leaf_id in tree.leaves_under(unit_id):
        runtime.complete_on_view(runtime.get_block(leaf_id))
    _announce_progress(runtime, course_id)
    index = tree.units.index(unit_id)
    ancestors = {node.block_type: node for node in tree.ancestors(unit_id)}
    return UnitPage(
        unit=tree.nodes[unit_id],
        chapter=ancestors.get("chapter"),
        sequential=ancestors.get("sequential"),
        content=Markup(fragment.body_html()),
        resources=tuple(fragment.resources),
        previous_unit=tree.nodes[tree.units[index - 1]] if index > 0 else None,
        next_unit=tree.nodes[tree.units[index + 1]] if index + 1 < len(tree.units) else None,
        position=index + 1,
        total=len(tree.units),
        needs_runtime=" data-init=" in fragment.body_html(),
    )


def call_handler(
    tree: CourseTree,
    runtime: KuzaRuntime,
    course_id: int,
    usage_id: str,
    handler: str,
    request: webob.Request,
    suffix: str,
) -> webob.Response:
    """Run a block's handler as the learner, serialised with their other calls to that block."""
    if usage_id not in tree.nodes:
        raise UnitNotFound(usage_id)
    LearnerRecords(runtime.learner.id, course_id).lock(usage_id, tree.nodes[usage_id].block_type)
    block = runtime.get_block(usage_id)
    response = runtime.handle(block, handler, request, suffix)
    _announce_progress(runtime, course_id)
    return response


def _announce_progress(runtime: KuzaRuntime, course_id: int) -> None:
    """Once per request, after every record is written: receivers see the whole of it."""
    if runtime.progressed:
        progress_recorded.send(current_app._get_current_object(), user_id=runtime.learner.id, course_id=course_id)


def unit_of(tree: CourseTree, usage_id: str) -> str | None:
    """The unit holding a block (or the block itself if it is a unit)."""
    if usage_id in tree.units:
        return usage_id
    for node in tree.ancestors(usage_id):
        if node.block_type == "vertical":
            return node.usage_id
    return None


def find_asset_in_version(course: Course, number: int, path: str) -> Asset | None:
    return db.session.execute(
        select(Asset)
        .join(CourseVersion, Asset.version_id == CourseVersion.id)
        .where(CourseVersion.course_id == course.id, CourseVersion.number == number, Asset.path == path)
    ).scalar_one_or_none()


def completions(user_id: int, course_id: int) -> dict[str, float]:
    rows = db.session.execute(
        select(Completion.usage_id, Completion.completion).where(
            Completion.user_id == user_id, Completion.course_id == course_id
        )
    )
    return {usage_id: completion for usage_id, completion in rows}


def scores(user_id: int, course_id: int) -> dict[str, tuple[float, float]]:
    """Each scored block's latest (earned, possible)."""
    rows = db.session.execute(
        select(Score.usage_id, Score.earned, Score.possible).where(Score.user_id == user_id,
                                                                   Score.course_id == course_id)
    )
    return {usage_id: (earned, possible) for usage_id, earned, possible in rows}

