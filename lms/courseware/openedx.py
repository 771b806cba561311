"""Courses exported by Open edX Studio, rewritten as Kuza course packages, with a report of what came across.

The structure arrives whole (chapters, sequentials, verticals, with their display names and
url_names); html lessons are kept as html blocks, shown through the Markdown lessons'
allow-list; problems of the five CAPA types Kuza grades alike become kuza_quiz blocks; every
other block stays in its unit as a notice with its name, so the learner knows something is
missing. A file that cannot be read is reported with its line, and the rest still comes across.

The package written here then goes through the ordinary import, so what is stored passed the
same checks as any Kuza package, and the same export twice writes the same files: importing it
again finds nothing new.
"""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from lms.courseware.olx import URL_NAME, PackageError, Problem, parse_xml_file
from lms.courseware.openedx_problems import NotConvertible, convert_problem
from lms.courseware.structure import STRUCTURE_BLOCKS, CourseBlock

IMPORTED = "imported"
CONVERTED = "converted"
NOT_AVAILABLE = "not available"
UNREADABLE = "unreadable"
OUTCOMES = (IMPORTED, CONVERTED, NOT_AVAILABLE, UNREADABLE)

# What each structure level holds in Open edX, and so in Kuza.
CHILD_TAG = {"course": "chapter", "chapter": "sequential", "sequential": "vertical"}
# Children of <course> that are not content: the course wiki's settings.
COURSE_SETTINGS_TAGS = frozenset({"wiki"})
# The folders of an export that the package keeps as they are (policies are rewritten).
COPIED_FOLDERS = ("about", "static")
NO_SUCH_BLOCK = "Kuza has no block of this type"
UNSAFE_URL_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class ReportEntry:
    """One block of the export and what became of it."""

    block_type: str  # the Open edX tag: html, problem, video…
    outcome: str  # one of OUTCOMES
    file: str  # where the block is defined in the export
    line: int | None = None
    display_name: str = ""
    reason: str = ""  # why it is not available or could not be read


@dataclass(frozen=True)
class ReportRow:
    block_type: str
    outcome: str
    count: int
    files: tuple[str, ...]


@dataclass
class ImportReport:
    entries: list[ReportEntry] = field(default_factory=list)

    def rows(self) -> list[ReportRow]:
        """The table the CLI prints and the studio shows: one row per block type and outcome."""
        grouped: dict[tuple[str, str], list[ReportEntry]] = {}
        for entry in self.entries:
            grouped.setdefault((entry.block_type, entry.outcome), []).append(entry)
        return [ReportRow(block_type, outcome, len(entries), tuple(sorted({e.file for e in entries})))
                for (block_type, outcome), entries in sorted(
                    grouped.items(), key=lambda item: (OUTCOMES.index(item[0][1]), item[0][0]))]

    def count(self, outcome: str, block_type: str | None = None) -> int:
        return sum(1 for e in self.entries if e.outcome == outcome and block_type in (None, e.block_type))

    def as_json(self) -> dict:
        return {
            "summary": {outcome: self.count(outcome) for outcome in OUTCOMES},
            "rows": [{"block_type": r.block_type, "outcome": r.outcome, "count": r.count, "files": list(r.files)}
                     for r in self.rows()],
            "blocks": [{"block_type": e.block_type, "outcome": e.outcome, "file": e.file, "line": e.line,
                        "display_name": e.display_name, "reason": e.reason} for e in self.entries],
        }


def count_blocks(export: Path) -> int:
    """How many block files the export holds: the length of a progress bar over the conversion."""
    return sum(1 for path in export.glob("*/*.xml") if path.parent.name not in ("policies", "about", "static"))


def convert_export(export: Path, target: Path, on_block: Callable[[], None] = lambda: None) -> ImportReport:
    """Write the Open edX export at ``export`` as a Kuza package in the empty folder ``target``.

    Raises PackageError only when there is no course to speak of (course.xml missing or unreadable);
    every other problem is in the report.
    """
    return _Converter(export, target, on_block).run()


class _Converter:
    def __init__(self, export: Path, target: Path, on_block: Callable[[], None]):
        self.export = export
        self.resolved_export = export.resolve()
        self.target = target
        self.on_block = on_block
        self.report = ImportReport()
        self.taken: set[str] = set()  # url_names given out: unique across types, as Kuza needs them

    def run(self) -> ImportReport:
        try:
            top = parse_xml_file(self.read("course.xml"), "course.xml")
        except OSError:
            raise PackageError([Problem("course.xml", None, "missing: an Open edX export has course.xml at "
                                                            "its root")]) from None
        if top.tag != "course" or not top.get("url_name"):
            raise PackageError([Problem("course.xml", top.sourceline, 'expected <course url_name=".." org=".." '
                                                                      'course="..">')])
        run = top.get("url_name")
        found = self.definition(top, "course.xml")
        if found is None:
            raise PackageError([Problem("course.xml", top.sourceline,
                                        f"course/{run}.xml, the course itself, is missing or unreadable")])
        definition, file = found
        self.taken.add(run)
        course = self.structure_element(definition)
        for child in self.children(definition):
            if child.tag in COURSE_SETTINGS_TAGS:
                continue
            if (pointer := self.structure(child, file, "chapter", graded=False)) is not None:
                course.append(pointer)
        self.write("course", run, course)
        self.write_file("course.xml", etree.tostring(
            etree.Element("course", url_name=run, org=top.get("org", ""), course=top.get("course", "")),
            encoding="utf-8") + b"\n")
        self.write_policies(run)
        for folder in COPIED_FOLDERS:
            self.copy_folder(folder)
        return self.report

    # Reading the export

    def read(self, relative: str) -> bytes:
        path = self.export / relative
        if not path.resolve().is_relative_to(self.resolved_export) or not path.is_file():
            raise OSError(relative)
        return path.read_bytes()

    def definition(self, node: etree._Element, file: str) -> tuple[etree._Element, str] | None:
        """The element defining ``node``: itself, or the file a pointer names; None (reported) if unreadable."""
        url_name = node.get("url_name")
        if not _is_pointer(node):
            return node, file
        relative = f"{node.tag}/{url_name}.xml"
        try:
            element = parse_xml_file(self.read(relative), relative)
        except OSError:
            self.unreadable(node, file, node.sourceline, f"points to {relative}, which is not in the export")
            return None
        except PackageError as error:
            problem = error.problems[0]
            self.unreadable(node, problem.file, problem.line, problem.message)
            return None
        if element.tag != node.tag:
            self.unreadable(node, relative, element.sourceline, f"holds a <{element.tag}>, not a <{node.tag}>")
            return None
        return element, relative

    def children(self, element: etree._Element) -> Iterator[etree._Element]:
        return (child for child in element if isinstance(child.tag, str))

    def unreadable(self, node: etree._Element, file: str, line: int | None, reason: str) -> None:
        self.report.entries.append(ReportEntry(node.tag, UNREADABLE, file, line, node.get("display_name", ""),
                                               reason))

    # Structure

    def structure(self, node: etree._Element, file: str, expected: str, graded: bool) -> etree._Element | None:
        """Convert a chapter, sequential or vertical and what it holds; the pointer to put in its parent."""
        self.on_block()
        if node.tag != expected:
            self.report.entries.append(ReportEntry(node.tag, NOT_AVAILABLE, file, node.sourceline,
                                                   node.get("display_name", ""),
                                                   f"a <{node.tag}> where Open edX courses hold a <{expected}>"))
            return None
        found = self.definition(node, file)
        if found is None:
            return None
        definition, definition_file = found
        url_name = self.url_name(node.tag, node.get("url_name") or definition.get("url_name"), definition_file)
        element = self.structure_element(definition)
        graded = graded or definition.get("graded", "").lower() == "true"
        for child in self.children(definition):
            pointer = (self.leaf(child, definition_file, graded) if expected == "vertical"
                       else self.structure(child, definition_file, CHILD_TAG[expected], graded))
            if pointer is not None:
                element.append(pointer)
        self.report.entries.append(ReportEntry(node.tag, IMPORTED, definition_file, definition.sourceline,
                                               definition.get("display_name", "")))
        self.write(node.tag, url_name, element)
        return etree.Element(node.tag, url_name=url_name)

    def structure_element(self, definition: etree._Element) -> etree._Element:
        """The block's element with the settings Kuza's structure block has, where their values are valid."""
        block_type = STRUCTURE_BLOCKS[definition.tag]
        element = etree.Element(definition.tag)
        for name, raw in sorted(definition.attrib.items()):
            known = block_type.fields.get(name)
            if known is None or name in ("children", "parent"):
                continue  # Open edX settings Kuza has no use for: discussions, due dates, gating…
            try:
                known.from_string(raw)
            except Exception:  # noqa: BLE001 - field types parse with YAML, JSON or their own code
                continue
            element.set(name, raw)
        return element

    # Leaves

    def leaf(self, node: etree._Element, file: str, graded: bool) -> etree._Element | None:
        self.on_block()
        tag = node.tag
        if tag in STRUCTURE_BLOCKS:
            self.report.entries.append(ReportEntry(tag, NOT_AVAILABLE, file, node.sourceline,
                                                   node.get("display_name", ""), f"a <{tag}> inside a unit"))
            return None
        found = self.definition(node, file)
        if found is None:
            return self.notice(node, node.get("display_name", ""), file)
        definition, definition_file = found
        url_name = self.url_name(tag, node.get("url_name") or definition.get("url_name"), definition_file)
        name = definition.get("display_name", "")
        if tag == "html":
            html = self.html_of(definition, definition_file)
            if html is None:
                return self.notice(node, name, file, url_name)
            element = etree.Element("html", display_name=name or "Text")
            element.text = etree.CDATA(html) if html.strip() else None
            self.report.entries.append(ReportEntry(tag, IMPORTED, definition_file, definition.sourceline, name))
            return self.place("html", url_name, element)
        if tag == "problem":
            try:
                converted = convert_problem(definition, url_name, graded=graded)
            except NotConvertible as reason:
                self.report.entries.append(ReportEntry(tag, NOT_AVAILABLE, definition_file, definition.sourceline,
                                                       name, str(reason)))
                return self.notice(definition, name, definition_file, url_name)
            self.report.entries.append(ReportEntry(tag, CONVERTED, definition_file, definition.sourceline, name,
                                                   ", ".join(sorted(set(converted.response_types)))))
            converted.element.attrib.pop("url_name")
            return self.place("kuza_quiz", url_name, converted.element)
        self.report.entries.append(ReportEntry(tag, NOT_AVAILABLE, definition_file, definition.sourceline, name,
                                               NO_SUCH_BLOCK))
        return self.notice(definition, name, definition_file, url_name)

    def html_of(self, definition: etree._Element, file: str) -> str | None:
        """An html block's HTML: the file its filename attribute names, or its inline content."""
        filename = definition.get("filename")
        if filename is None:
            parts = [definition.text or ""]
            parts += [etree.tostring(child, encoding="unicode", method="html") for child in definition]
            return "".join(parts)
        relative = f"html/{filename if filename.endswith('.html') else filename + '.html'}"
        try:
            data = self.read(relative)
        except OSError:
            self.unreadable(definition, file, definition.sourceline, f"its HTML file {relative} is not in the export")
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.unreadable(definition, relative, data.count(b"\n", 0, error.start) + 1,
                            f"not UTF-8 text: {error.reason}")
            return None

    def notice(self, node: etree._Element, name: str, file: str, url_name: str | None = None) -> etree._Element:
        """The block, as a notice that the learner sees in its place."""
        url_name = url_name or self.url_name(node.tag, node.get("url_name"), file)
        element = etree.Element("unavailable", block_type=node.tag, source=file)
        if name:
            element.set("display_name", name)
        return self.place("unavailable", url_name, element)

    def place(self, tag: str, url_name: str, element: etree._Element) -> etree._Element:
        self.write(tag, url_name, element)
        return etree.Element(tag, url_name=url_name)

    def url_name(self, tag: str, given: str | None, file: str) -> str:
        """The block's url_name if Kuza can use it, else one made from it: unique across every type."""
        base = UNSAFE_URL_NAME_CHARACTERS.sub("_", given or Path(file).stem)[:90] or tag
        candidate = base
        if not URL_NAME.fullmatch(candidate) or candidate in self.taken:
            # Open edX names blocks uniquely per type only: an html and a problem may share one.
            candidate = f"{base}-{tag}"
            number = 2
            while candidate in self.taken:
                candidate, number = f"{base}-{tag}-{number}", number + 1
        self.taken.add(candidate)
        return candidate

    # Writing the package

    def write(self, tag: str, url_name: str, element: etree._Element) -> None:
        self.write_file(f"{tag}/{url_name}.xml", etree.tostring(element, pretty_print=True, encoding="utf-8"))

    def write_file(self, relative: str, data: bytes) -> None:
        path = self.target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def write_policies(self, run: str) -> None:
        """Keep the course settings Kuza has and the grading policy; drop the rest (LTI secrets among them)."""
        folder = f"policies/{run}"
        try:
            policy = json.loads(self.read(f"{folder}/policy.json")).get(f"course/{run}", {})
        except (OSError, ValueError, AttributeError):
            policy = {}
        kept = {name: value for name, value in policy.items()
                if name in CourseBlock.fields and name not in ("children", "parent") and isinstance(value, str | bool)}
        self.write_file(f"{folder}/policy.json",
                        json.dumps({f"course/{run}": kept}, indent=4, sort_keys=True).encode() + b"\n")
        try:
            grading = json.loads(self.read(f"{folder}/grading_policy.json"))
        except (OSError, ValueError):
            return
        if isinstance(grading, dict):
            self.write_file(f"{folder}/grading_policy.json",
                            json.dumps(grading, indent=4, sort_keys=True).encode() + b"\n")

    def copy_folder(self, folder: str) -> None:
        source = self.export / folder
        if not source.is_dir():
            return
        for path in sorted(source.rglob("*")):
            # Only plain files inside the export: a link could point anywhere on the server.
            if path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(self.resolved_export):
                relative = path.relative_to(self.export).as_posix()
                destination = self.target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)


def _is_pointer(node: etree._Element) -> bool:
    """As in Open edX: a tag with only a url_name (course.xml's adds org and course) names its own file."""
    allowed = {"url_name", "org", "course"} if node.tag == "course" else {"url_name"}
    return "url_name" in node.attrib and set(node.attrib) <= allowed and len(node) == 0 \
        and not (node.text or "").strip()
