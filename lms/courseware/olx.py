"""Course packages in Open edX's OLX directory layout: read one into a validated block tree, write one back.

Pure: no database and no Flask. Reading collects every problem it finds, each with its file
and line, and raises them together, so an author fixes a package in one pass.
"""
from __future__ import annotations

import html
import json
import os
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nh3
from lxml import etree
from xblock.core import XBlock
from xblock.fields import Field, ScopeIds
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, Runtime

from lms.courseware.field_data import CONTENT_SCOPES
from lms.courseware.registry import SERVER_BLOCKS, UnknownBlockType, block_class, is_hosted
from lms.courseware.structure import STRUCTURE_BLOCKS, CourseBlock

# Stable ids are how learners' progress survives re-publishing, so every block names its own.
# At most 100 characters, the size of the database columns they go to (slug, org, run).
URL_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
URL_NAME_RULE = 'may use only letters, digits, ".", "_" and "-", at most 100 of them'
# Tree fields, kept by the Block rows themselves rather than in their fields.
TREE_FIELDS = frozenset({"children", "parent"})
# Studio puts <wiki slug=".."/> in every course it exports; it names a course wiki, which Kuza has none of.
IGNORED_COURSE_CHILDREN = frozenset({"wiki"})
# The attributes a pointer tag may carry, as in Open edX's is_pointer_tag.
POINTER_ATTRIBUTES = {"course": {"url_name", "course", "org"}}
GRADING_POLICY = "grading_policy"
# about/effort.html, Open edX's estimated effort ("03:30" as Studio writes it, or free text),
# kept with the policy as grading_policy.json is, and written back to its own file.
EFFORT = "effort"
# Optional: the course's total estimated learning hours, printed on its certificates.
CERTIFICATE_HOURS = "certificate_hours"
MAX_CERTIFICATE_HOURS = 1000
# Optional: the same course in other languages, {"fr": "public-service-innovation-fr"}, language code to slug.
TRANSLATIONS = "translations"
# A language code as course/<run>.xml's language gives it: "fr", "pt", "pt-BR", "ar".
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
# A DOCTYPE can only come before the root element, after the XML declaration, comments and PIs.
DOCTYPE = re.compile(rb"(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
DOCTYPE_REFUSED = "DOCTYPE, DTD and entity declarations are not allowed in course files"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package, where an author can find it."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


class PackageError(Exception):
    """A package that cannot be imported or exported, with every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class BlockNode:
    """A block of a package: its type, stable id, explicitly set content/settings fields, children."""

    block_type: str
    url_name: str
    fields: dict[str, Any]
    children: tuple[BlockNode, ...] = ()


@dataclass(frozen=True)
class Package:
    """Everything a course package holds, validated."""

    slug: str
    org: str
    root: BlockNode  # the course block; its url_name is the run
    # The course's settings from policies/<run>/policy.json, with grading_policy.json under
    # "grading_policy": the shape of Open edX's course block settings.
    policy: dict[str, Any]
    short_description: str
    overview_html: str  # sanitised
    static: dict[str, bytes]  # path under static/ -> content

    @property
    def run(self) -> str:
        return self.root.url_name

    def blocks(self) -> Iterator[tuple[BlockNode, str | None, int]]:
        """Every block with its parent's url_name and its position among its siblings, parents first."""
        pending: deque[tuple[BlockNode, str | None, int]] = deque([(self.root, None, 0)])
        while pending:
            node, parent, position = pending.popleft()
            yield node, parent, position
            pending.extend((child, node.url_name, index) for index, child in enumerate(node.children))


class PackageRuntime(Runtime):
    """Builds leaf blocks from OLX and writes them back; field values live in memory only."""

    def __init__(self, extra_types: frozenset[str] = frozenset()):
        ids = MemoryIdManager()
        super().__init__(
            id_reader=ids, id_generator=ids, services={"field-data": KvsFieldData(DictKeyValueStore())}
        )
        self._extra_types = extra_types

    def load_block_type(self, block_type):
        return block_class(block_type, self._extra_types)

    # Reading and writing packages renders nothing and serves no requests.

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        raise NotImplementedError("course packages are read and written, never rendered")

    def resource_url(self, resource):
        raise NotImplementedError("course packages are read and written, never rendered")

    def local_resource_url(self, block, uri):
        raise NotImplementedError("course packages are read and written, never rendered")

    def publish(self, block, event_type, event_data):
        raise NotImplementedError("course packages are read and written, never rendered")


def read_package(root: Path, extra_types: frozenset[str] = frozenset()) -> Package:
    """Read and validate the package in ``root``; raise PackageError listing every problem."""
    reader = _Reader(root, extra_types)
    package = reader.read()
    if reader.problems or package is None:
        raise PackageError(reader.problems)
    return package


def write_package(package: Package, root: Path, extra_types: frozenset[str] = frozenset()) -> None:
    """Write ``package`` into the empty or missing directory ``root``, as Open edX Studio exports."""
    runtime = PackageRuntime(extra_types)
    root.mkdir(parents=True, exist_ok=True)
    course = etree.Element("course", url_name=package.run, org=package.org, course=package.slug)
    _write_xml(root / "course.xml", course)
    _write_structure(package.root, root, runtime)
    policies = root / "policies" / package.run
    _write_json(policies / "policy.json", {f"course/{package.run}": _course_policy(package)})
    _write_json(policies / "grading_policy.json", package.policy.get(GRADING_POLICY, {}))
    if package.overview_html:
        _write_text(root / "about" / "overview.html", package.overview_html + "\n")
    if package.short_description:
        _write_text(root / "about" / "short_description.html", html.escape(package.short_description) + "\n")
    if effort := package.policy.get(EFFORT):
        _write_text(root / "about" / "effort.html", html.escape(effort) + "\n")
    for path, data in package.static.items():
        target = root / "static" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def leaf_types(package: Package) -> list[str]:
    """The XBlock types a package uses, sorted: what Studio must list as advanced modules (the server's own
    blocks, such as html, are Open edX's built-in ones or exist only here)."""
    return sorted({node.block_type for node, _, _ in package.blocks()} - set(SERVER_BLOCKS))


# Reading


def parse_xml_file(data: bytes, relative: str) -> etree._Element:
    """A course file's root element; PackageError with the file and line if it is not safe, well-formed XML."""
    # Entities are how XML bombs and file-reading tricks work, and OLX never needs them:
    # a DOCTYPE is refused before the parser sees it, and again after in case an
    # encoding hid it from the byte scan.
    doctype = DOCTYPE.match(data)
    if doctype:
        raise PackageError([Problem(relative, data.count(b"\n", 0, doctype.end()) + 1, DOCTYPE_REFUSED)])
    try:
        element = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise PackageError([Problem(relative, error.lineno, f"malformed XML: {error.msg}")]) from None
    if element.getroottree().docinfo.doctype:
        raise PackageError([Problem(relative, 1, DOCTYPE_REFUSED)])
    return element


def _parser() -> etree.XMLParser:
    # A parser per document: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _is_pointer(node: etree._Element) -> bool:
    """A pointer tag names a file holding the block: only url_name (course.xml adds org and course)."""
    allowed = POINTER_ATTRIBUTES.get(node.tag, {"url_name"})
    return (
        "url_name" in node.attrib
        and set(node.attrib) <= allowed
        and len(node) == 0
        and not (node.text or "").strip()
    )


def _settings_fields(block: XBlock) -> dict[str, Any]:
    """The content and settings fields explicitly set on ``block``, as JSON."""
    return {
        name: field.to_json(field.read_from(block))
        for name, field in block.fields.items()
        if field.scope in CONTENT_SCOPES and name not in TREE_FIELDS and field.is_set_on(block)
    }


def _attribute_field(block_type: type[XBlock], name: str) -> Field | None:
    field = block_type.fields.get(name)
    if field is None or field.scope not in CONTENT_SCOPES or name in TREE_FIELDS:
        return None
    return field


def _describe(node: etree._Element, url_name: str | None) -> str:
    return f'<{node.tag} url_name="{url_name}">' if url_name else f"<{node.tag}>"


class _Reader:
    """One pass over a package directory, collecting problems as it goes."""

    def __init__(self, root: Path, extra_types: frozenset[str]):
        self.root = root
        self.resolved_root = root.resolve()
        self.extra_types = extra_types
        self.runtime = PackageRuntime(extra_types)
        self.problems: list[Problem] = []
        self.seen: dict[str, str] = {}  # url_name -> where it was first used

    def problem(self, file: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def read(self) -> Package | None:
        if not (self.root / "course.xml").is_file():
            self.problem("course.xml", None, "missing: a course package has course.xml at its root")
            return None
        top = self.parse("course.xml")
        if top is None:
            return None
        if top.tag != "course":
            self.problem("course.xml", top.sourceline,
                         f'the root element is <{top.tag}>, not <course url_name=".." org=".." course="..">')
            return None
        slug = self.required_attribute(top, "course")
        org = self.required_attribute(top, "org")
        root = self.read_block(top, "course.xml", parent_type=None)
        if root is None or slug is None or org is None:
            return None
        policy = self.read_policy(root.url_name)
        root = self.fill_from_policy(root, policy)
        self.check_translations(root, slug, policy)
        if effort := self.read_plain_text("about/effort.html"):
            policy[EFFORT] = effort
        return Package(
            slug=slug,
            org=org,
            root=root,
            policy=policy,
            short_description=self.read_short_description(),
            overview_html=nh3.clean(self.read_text("about/overview.html")).strip(),
            static=self.read_static(),
        )

    # Files

    def parse(self, relative: str) -> etree._Element | None:
        data = self.read_bytes(relative)
        if data is None:
            return None
        try:
            return parse_xml_file(data, relative)
        except PackageError as error:
            self.problems.extend(error.problems)
            return None

    def read_bytes(self, relative: str) -> bytes | None:
        path = self.root / relative
        if not path.resolve().is_relative_to(self.resolved_root):
            self.problem(relative, None, "this file leads outside the package (a symbolic link?)")
            return None
        return path.read_bytes()

    def read_text(self, relative: str) -> str:
        """A text file's content, or "" if the package has no such file."""
        if not (self.root / relative).is_file():
            return ""
        data = self.read_bytes(relative) or b""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.problem(relative, data.count(b"\n", 0, error.start) + 1, f"not UTF-8 text: {error.reason}")
            return ""

    def read_json(self, relative: str) -> Any:
        """A JSON file's content, or None if the package has no such file or it is invalid."""
        text = self.read_text(relative)
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            self.problem(relative, error.lineno, f"invalid JSON: {error.msg} (column {error.colno})")
            return None

    def read_static(self) -> dict[str, bytes]:
        static = self.root / "static"
        files: dict[str, bytes] = {}
        for directory, _, names in sorted(os.walk(static)):
            for name in sorted(names):
                path = Path(directory) / name
                if path.is_file() and not path.is_symlink():
                    files[path.relative_to(static).as_posix()] = path.read_bytes()
        return files

    # Blocks

    def required_attribute(self, node: etree._Element, name: str) -> str | None:
        value = node.get(name)
        if not value:
            self.problem("course.xml", node.sourceline, f'<course> needs a {name}="..." attribute')
            return None
        if not URL_NAME.fullmatch(value):
            self.problem("course.xml", node.sourceline,
                         f'<course> {name}="{value}" {URL_NAME_RULE}')
            return None
        return value

    def read_block(self, node: etree._Element, file: str, parent_type: str | None) -> BlockNode | None:
        """Read a block written inline or as a pointer to its own file; None if it has problems."""
        if parent_type is not None and not self.allowed_here(node, file, parent_type):
            return None
        url_name = self.url_name(node, file)
        definition, definition_file = node, file
        if _is_pointer(node):
            if url_name is None:
                return None
            found = self.follow_pointer(node, file, url_name)
            if found is None:
                return None
            definition, definition_file = found
        if node.tag in STRUCTURE_BLOCKS:
            block = self.read_structure(definition, definition_file, url_name)
        else:
            block = self.read_leaf(definition, definition_file, url_name)
        return block if url_name is not None else None

    def allowed_here(self, node: etree._Element, file: str, parent_type: str) -> bool:
        tag = node.tag
        if not is_hosted(tag, self.extra_types):
            self.problem(file, node.sourceline, str(UnknownBlockType(tag)))
            return False
        holds = STRUCTURE_BLOCKS[parent_type].child_tags
        if holds and tag not in holds:
            self.problem(file, node.sourceline,
                         f"<{tag}> cannot be inside <{parent_type}>, which holds only <{'>, <'.join(holds)}>")
            return False
        if not holds and tag in STRUCTURE_BLOCKS:
            self.problem(file, node.sourceline, f"<{tag}> cannot be inside <{parent_type}>, "
                                                "which holds only leaf blocks such as <kuza_markdown>")
            return False
        return True

    def url_name(self, node: etree._Element, file: str) -> str | None:
        """The block's url_name, checked for form and uniqueness; None (and a problem) if unusable."""
        url_name = node.get("url_name")
        where = f"{file}:{node.sourceline}"
        if not url_name:
            self.problem(file, node.sourceline,
                         f"<{node.tag}> has no url_name: every block needs one, kept the same across "
                         "versions, so that learners' progress survives re-publishing")
            return None
        if not URL_NAME.fullmatch(url_name):
            self.problem(file, node.sourceline,
                         f'<{node.tag}> url_name "{url_name}" {URL_NAME_RULE}')
            return None
        if url_name in self.seen:
            self.problem(file, node.sourceline,
                         f'duplicate url_name "{url_name}": already used by the block at {self.seen[url_name]}')
            return None
        self.seen[url_name] = where
        return url_name

    def follow_pointer(self, node: etree._Element, file: str, url_name: str) -> tuple[etree._Element, str] | None:
        target = f"{node.tag}/{url_name}.xml"
        if not (self.root / target).is_file():
            self.problem(file, node.sourceline, f'{_describe(node, url_name)} points to {target}, which does not exist')
            return None
        definition = self.parse(target)
        if definition is None:
            return None
        if definition.tag != node.tag:
            self.problem(target, definition.sourceline,
                         f"the root element is <{definition.tag}>, but {file}:{node.sourceline} "
                         f"points here for a <{node.tag}>")
            return None
        own = definition.get("url_name")
        if own is not None and own != url_name:
            self.problem(target, definition.sourceline,
                         f'url_name "{own}" differs from "{url_name}", the name this file is pointed to by')
            return None
        return definition, target

    def read_structure(self, node: etree._Element, file: str, url_name: str | None) -> BlockNode:
        block_type = STRUCTURE_BLOCKS[node.tag]
        fields: dict[str, Any] = {}
        for name, raw in node.attrib.items():
            field = _attribute_field(block_type, name)
            if field is None:
                continue  # Open edX exports carry many settings that Kuza has no use for
            try:
                fields[name] = field.to_json(field.from_string(raw))
            except Exception as error:  # noqa: BLE001 - field types parse with YAML, JSON or their own code
                self.problem(file, node.sourceline, f'<{node.tag}> {name}="{raw}" is not valid: {error}')
        stray = (node.text or "").strip() or next((c.tail.strip() for c in node if (c.tail or "").strip()), "")
        if stray:
            self.problem(file, node.sourceline,
                         f'<{node.tag}> holds text outside any block ("{stray[:40]}"); put text in a '
                         "leaf block such as <kuza_markdown>")
        children = []
        for child in node:
            if node.tag == "course" and child.tag in IGNORED_COURSE_CHILDREN:
                continue
            block = self.read_block(child, file, parent_type=node.tag)
            if block is not None:
                children.append(block)
        return BlockNode(node.tag, url_name or "", fields, tuple(children))

    def read_leaf(self, node: etree._Element, file: str, url_name: str | None) -> BlockNode | None:
        """Load a leaf through its own block class, as Open edX does, and keep the fields it set."""
        keys = ScopeIds(None, node.tag, url_name or "", url_name or "")
        try:
            block = self.runtime.load_block_type(node.tag).parse_xml(node, self.runtime, keys)
        except Exception as error:  # noqa: BLE001 - a block's own parser may raise anything; report it, don't crash
            line = getattr(error, "line", None) or node.sourceline
            message = getattr(error, "message", None) or str(error) or type(error).__name__
            self.problem(file, line, f"{_describe(node, url_name)}: {message}")
            return None
        if getattr(block, "has_children", False) and block.children:
            self.problem(file, node.sourceline,
                         f"{_describe(node, url_name)}: Kuza does not host leaf blocks with children")
            return None
        return BlockNode(node.tag, url_name or "", _settings_fields(block))

    # Course-wide files

    def read_policy(self, run: str) -> dict[str, Any]:
        policy_file = f"policies/{run}/policy.json"
        policy: dict[str, Any] = {}
        document = self.read_json(policy_file)
        if document is not None:
            entry = document.get(f"course/{run}", {}) if isinstance(document, dict) else None
            if not isinstance(entry, dict):
                self.problem(policy_file, None, f'expected {{"course/{run}": {{...settings...}}}}')
            else:
                policy = dict(entry)
        modules = policy.get("advanced_modules", [])
        if not (isinstance(modules, list) and all(isinstance(module, str) for module in modules)):
            self.problem(policy_file, None, "advanced_modules must be a list of block type names")
        self.check_certificate_hours(policy_file, run, policy)
        grading_file = f"policies/{run}/grading_policy.json"
        grading = self.read_json(grading_file)
        if grading is not None:
            if isinstance(grading, dict):
                policy[GRADING_POLICY] = grading
            else:
                self.problem(grading_file, None, 'expected {"GRADER": [...], "GRADE_CUTOFFS": {...}}')
        return policy

    def check_certificate_hours(self, policy_file: str, run: str, policy: dict[str, Any]) -> None:
        if CERTIFICATE_HOURS not in policy:
            return
        hours = policy[CERTIFICATE_HOURS]
        # bool is an int to Python, and NaN compares false to everything, so both fail here.
        if not isinstance(hours, bool) and isinstance(hours, int | float) and 0 < hours <= MAX_CERTIFICATE_HOURS:
            return
        self.problem(policy_file, self.key_line(policy_file, run, CERTIFICATE_HOURS),
                     f"{CERTIFICATE_HOURS} must be a number of hours above 0 and at most "
                     f"{MAX_CERTIFICATE_HOURS}, not {json.dumps(hours)}")

    def check_translations(self, root: BlockNode, slug: str, policy: dict[str, Any]) -> None:
        """The other-language versions a course names: language codes to other courses' slugs."""
        if TRANSLATIONS not in policy:
            return
        policy_file = f"policies/{root.url_name}/policy.json"
        translations = policy[TRANSLATIONS]
        own_language = root.fields.get("language", CourseBlock.language.default)
        if not isinstance(translations, dict):
            message = (f'{TRANSLATIONS} must map language codes to course slugs, such as {{"fr": "{slug}-fr"}}, '
                       f"not {json.dumps(translations)}")
        elif bad := next((code for code in translations
                          if not (isinstance(code, str) and LANGUAGE_CODE.fullmatch(code))), None):
            message = f'{TRANSLATIONS}: "{bad}" is not a language code such as "fr" or "pt-BR"'
        elif own_language in translations:
            message = (f'{TRANSLATIONS}: "{own_language}" is this course\'s own language; '
                       f"list only its versions in other languages")
        elif bad := next((code for code, other in translations.items()
                          if not (isinstance(other, str) and URL_NAME.fullmatch(other))), None):
            message = f'{TRANSLATIONS}: the course for "{bad}" must be a course slug, not {json.dumps(translations[bad])}'
        elif bad := next((code for code, other in translations.items() if other == slug), None):
            message = f'{TRANSLATIONS}: "{bad}" names this course itself ("{slug}"), not another language version'
        else:
            return
        self.problem(policy_file, self.key_line(policy_file, root.url_name, TRANSLATIONS), message)

    def key_line(self, policy_file: str, run: str, name: str) -> int | None:
        """The line of a course setting's key in policy.json: json.loads forgets lines, and that is where an
        author looks."""
        text = self.read_text(policy_file)
        found = re.compile(rf'"{name}"\s*:').search(text, max(text.find(f'"course/{run}"'), 0))
        return text.count("\n", 0, found.start()) + 1 if found else None

    def fill_from_policy(self, root: BlockNode, policy: dict[str, Any]) -> BlockNode:
        """Course settings that course/<run>.xml leaves out may come from policy.json, as in old exports.

        The XML wins where both give a value: it is what an author edits by hand.
        """
        fields = dict(root.fields)
        for name, value in policy.items():
            field = _attribute_field(CourseBlock, name)
            if field is None or name in fields:
                continue
            try:
                fields[name] = field.to_json(field.from_json(value))
            except (TypeError, ValueError) as error:
                self.problem(f"policies/{root.url_name}/policy.json", None, f"{name}: {error}")
        return BlockNode(root.block_type, root.url_name, fields, root.children)

    def read_short_description(self) -> str:
        return self.read_plain_text("about/short_description.html")

    def read_plain_text(self, relative: str) -> str:
        # Shown as plain text, so markup is dropped and entities become the characters they stand for.
        text = html.unescape(nh3.clean(self.read_text(relative), tags=set()))
        return " ".join(text.split())


# Writing


def _write_xml(path: Path, element: etree._Element) -> None:
    # No XML declaration, as in the files Open edX writes.
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(etree.tostring(element, pretty_print=True, encoding="utf-8"))


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=4, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_structure(node: BlockNode, root: Path, runtime: PackageRuntime) -> None:
    """Write a structure block to <type>/<url_name>.xml: structure children as pointers, leaves inline."""
    element = etree.Element(node.block_type)
    block_type = STRUCTURE_BLOCKS[node.block_type]
    for name, value in node.fields.items():
        field = _attribute_field(block_type, name)
        if field is not None:
            element.set(name, field.to_string(field.from_json(value)))
    for child in node.children:
        if child.block_type in STRUCTURE_BLOCKS:
            etree.SubElement(element, child.block_type, url_name=child.url_name)
            _write_structure(child, root, runtime)
        else:
            element.append(_leaf_element(child, runtime))
    _write_xml(root / node.block_type / f"{node.url_name}.xml", element)


def _leaf_element(node: BlockNode, runtime: PackageRuntime) -> etree._Element:
    """A leaf block inline, written by its own class: Open edX's form for XBlocks in a vertical."""
    block_type = runtime.load_block_type(node.block_type)
    keys = ScopeIds(None, node.block_type, node.url_name, node.url_name)
    block = runtime.construct_xblock_from_class(block_type, keys)
    for name, value in node.fields.items():
        field = block_type.fields.get(name)
        # A field that a newer release of the block dropped has nothing left to write it.
        if field is not None:
            setattr(block, name, field.from_json(value))
    element = etree.Element(node.block_type, url_name=node.url_name)
    block.add_xml_to_node(element)
    element.set("url_name", node.url_name)
    return element


def _course_policy(package: Package) -> dict[str, Any]:
    """The course entry of policy.json: the stored settings, the course block's own, every leaf type used."""
    policy = {name: value for name, value in package.policy.items() if name not in (GRADING_POLICY, EFFORT)}
    # Open edX lets policy.json override course/<run>.xml; keep the two in agreement.
    policy.update(package.root.fields)
    modules = list(policy.get("advanced_modules", []))
    policy["advanced_modules"] = modules + [t for t in leaf_types(package) if t not in modules]
    return policy
