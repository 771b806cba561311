"""A draft's outline as plain data: adding, renaming, moving and deleting blocks, new url_names, and what changed.

Pure: no database and no request. A draft holds its blocks as nested dictionaries,
``{"type", "url_name", "fields", "children"}``, the shape of a course package's tree, so
these functions work on a copy and the service stores the result.
"""
from __future__ import annotations

import difflib
import re
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _  # lazy: these texts are translated when shown, in the reader's language

# What each structure block holds; a unit (vertical) holds leaf blocks.
CHILD_TYPE = {"course": "chapter", "chapter": "sequential", "sequential": "vertical"}
PARENT_TYPE = {child: parent for parent, child in CHILD_TYPE.items()}
STRUCTURE = frozenset({"course", "chapter", "sequential", "vertical"})
MAX_TITLE = 200
# The readable part of a new url_name; the random part after it keeps it unique for good.
MAX_SLUG = 40
URL_NAME_WORD = {"chapter": "chapter", "sequential": "lesson", "vertical": "unit", "kuza_markdown": "text",
                 "kuza_quiz": "quiz", "kuza_case_study": "case", "kuza_reflection": "plan"}


class OutlineError(ValueError):
    """A change the outline cannot take; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


def node(block_type: str, url_name: str, fields: dict[str, Any], children: list | None = None) -> dict:
    return {"type": block_type, "url_name": url_name, "fields": dict(fields), "children": list(children or [])}


def clean_title(raw: str | None) -> str:
    """A block's title as stored: spaces collapsed; refused when empty or too long."""
    title = " ".join((raw or "").split())
    if not title:
        raise OutlineError(_("Enter a title."), field="title")
    if len(title) > MAX_TITLE:
        raise OutlineError(_("Use at most %(count)d characters for the title.", count=MAX_TITLE), field="title")
    return title


def new_url_name(title: str, block_type: str, taken: set[str]) -> str:
    """A url_name for a new block: words from its title (else its kind), then random letters, never one
    already ``taken``.

    The title's words make OLX readable; the random part makes the name unique for good, so a
    new block never takes the name, and with it the learners' records, of a block deleted before.
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:MAX_SLUG].rstrip("-")
    stem = slug or URL_NAME_WORD.get(block_type, block_type.removeprefix("kuza_").replace("_", "-"))
    while True:
        candidate = f"{stem}-{secrets.token_hex(3)}"
        if candidate not in taken:
            return candidate


@dataclass
class Outline:
    """A draft's block tree, indexed by url_name, with the edits the studio offers."""

    root: dict
    _nodes: dict[str, dict] = field(init=False, repr=False)
    _parents: dict[str, str | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        self._nodes, self._parents = {}, {}
        pending: list[tuple[dict, str | None]] = [(self.root, None)]
        while pending:
            current, parent = pending.pop()
            self._nodes[current["url_name"]] = current
            self._parents[current["url_name"]] = parent
            pending.extend((child, current["url_name"]) for child in current["children"])

    # Reading

    def __contains__(self, usage_id: str) -> bool:
        return usage_id in self._nodes

    def get(self, usage_id: str) -> dict:
        try:
            return self._nodes[usage_id]
        except KeyError:
            raise OutlineError(_("This block is no longer in the outline: someone may have deleted it.")) from None

    def parent_of(self, usage_id: str) -> dict | None:
        parent = self._parents[self.get(usage_id)["url_name"]]
        return self._nodes[parent] if parent is not None else None

    def url_names(self) -> set[str]:
        return set(self._nodes)

    def walk(self, start: dict | None = None, depth: int = 0) -> Iterator[tuple[dict, int]]:
        """Every block under ``start`` (the course) in reading order, with its depth."""
        start = start or self.root
        yield start, depth
        for child in start["children"]:
            yield from self.walk(child, depth + 1)

    def path(self, usage_id: str) -> list[dict]:
        """The block's ancestors below the course, outermost first, and the block itself."""
        chain = [self.get(usage_id)]
        while (parent := self.parent_of(chain[0]["url_name"])) is not None and parent is not self.root:
            chain.insert(0, parent)
        return chain

    def destinations(self, usage_id: str) -> list[dict]:
        """The blocks that could hold this one instead of its parent, in reading order."""
        moving = self.get(usage_id)
        if moving is self.root:
            return []
        wanted = PARENT_TYPE.get(moving["type"], "vertical")
        current = self.parent_of(usage_id)
        return [candidate for candidate, _depth in self.walk()
                if candidate["type"] == wanted and candidate is not current]

    def units(self) -> list[str]:
        return [candidate["url_name"] for candidate, _depth in self.walk() if candidate["type"] == "vertical"]

    def leaves_under(self, usage_id: str) -> list[str]:
        return [candidate["url_name"] for candidate, _depth in self.walk(self.get(usage_id))
                if candidate["type"] not in STRUCTURE]

    # Changing

    def add(self, parent_id: str, block_type: str, url_name: str, fields: dict[str, Any]) -> dict:
        """Add a block at the end of ``parent_id``'s children; only where OLX allows that type."""
        parent = self.get(parent_id)
        allowed = CHILD_TYPE.get(parent["type"])
        fits = block_type == allowed if allowed else parent["type"] == "vertical" and block_type not in STRUCTURE
        if not fits:
            raise OutlineError(_("That kind of block cannot go there."))
        if url_name in self._nodes:
            raise OutlineError(_("Another block already has this name."))
        created = node(block_type, url_name, fields)
        parent["children"].append(created)
        self._index()
        return created

    def rename(self, usage_id: str, title: str) -> None:
        self.get(usage_id)["fields"]["display_name"] = clean_title(title)

    def move(self, usage_id: str, step: int) -> None:
        """Move a block one place up (-1) or down (+1) among its siblings."""
        parent = self.parent_of(usage_id)
        if parent is None:
            raise OutlineError(_("The course itself cannot move."))
        siblings = parent["children"]
        index = next(i for i, child in enumerate(siblings) if child["url_name"] == usage_id)
        target = index + step
        if not 0 <= target < len(siblings):
            raise OutlineError(_("This block is already first.") if step < 0 else _("This block is already last."))
        siblings[index], siblings[target] = siblings[target], siblings[index]

    def move_to(self, usage_id: str, parent_id: str) -> None:
        """Move a block, with everything in it, to the end of another block of the right kind."""
        moving = self.get(usage_id)
        target = self.get(parent_id)
        if target not in self.destinations(usage_id):
            raise OutlineError(_("Choose where to move it."), field="parent")
        self.parent_of(usage_id)["children"].remove(moving)
        target["children"].append(moving)
        self._index()

    def delete(self, usage_id: str) -> list[str]:
        """Delete a block and everything in it; the url_names deleted."""
        doomed = self.get(usage_id)
        parent = self.parent_of(usage_id)
        if parent is None:
            raise OutlineError(_("The course itself cannot be deleted."))
        removed = [candidate["url_name"] for candidate, _depth in self.walk(doomed)]
        parent["children"].remove(doomed)
        self._index()
        return removed


# What changed between a version and a draft


@dataclass(frozen=True)
class Flat:
    """A block as the comparison sees it: wherever it comes from, a version's tree or a draft."""

    usage_id: str
    block_type: str
    fields: dict
    parent: str | None
    children: tuple[str, ...]

    @property
    def title(self) -> str:
        return self.fields.get("display_name") or ""


def flatten(root: dict) -> dict[str, Flat]:
    """A draft's tree as Flat blocks by url_name, in reading order."""
    flat: dict[str, Flat] = {}

    def visit(current: dict, parent: str | None) -> None:
        flat[current["url_name"]] = Flat(current["url_name"], current["type"], current["fields"], parent,
                                         tuple(child["url_name"] for child in current["children"]))
        for child in current["children"]:
            visit(child, current["url_name"])

    visit(root, None)
    return flat


@dataclass(frozen=True)
class Changes:
    """What publishing a draft would change, each list in reading order."""

    added: tuple[Flat, ...] = ()
    changed: tuple[Flat, ...] = ()
    moved: tuple[Flat, ...] = ()
    removed: tuple[Flat, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.moved or self.removed)


def changes(draft: dict[str, Flat], published: dict[str, Flat]) -> Changes:
    """Blocks added, changed (their fields), moved (another parent, or another order) and removed.

    A block counts as moved when its parent changed, or when it is out of the longest run of
    siblings that kept their order: moving one unit up moves that unit, not every one it passed.
    """
    in_order: set[str] = set()
    for usage_id, block in draft.items():
        before = published.get(usage_id)
        if before is None:
            continue
        common_now = [child for child in block.children if child in published]
        common_before = [child for child in before.children if child in draft]
        matcher = difflib.SequenceMatcher(a=common_before, b=common_now, autojunk=False)
        for match in matcher.get_matching_blocks():
            in_order.update(common_now[match.b:match.b + match.size])
    added, changed, moved = [], [], []
    for usage_id, block in draft.items():
        before = published.get(usage_id)
        if before is None:
            added.append(block)
            continue
        if block.fields != before.fields:
            changed.append(block)
        if block.parent is not None and (block.parent != before.parent or usage_id not in in_order):
            moved.append(block)
    removed = [block for usage_id, block in published.items() if usage_id not in draft]
    return Changes(tuple(added), tuple(changed), tuple(moved), tuple(removed))
