"""Course packages in and out of the database: import publishes a new course version, export writes one back.

Services flush and never commit: the caller (the CLI, an authoring view) commits once.
"""
from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from lms.catalog.models import Course, CourseVersion
from lms.courseware.archives import TOP_FOLDER, Limits, is_archive, pack, unpack
from lms.courseware.models import Asset, Block
from lms.courseware.olx import (
    BlockNode,
    Package,
    PackageError,
    Problem,
    leaf_types,
    read_package,
    write_package,
)
from lms.courseware.openedx import ImportReport, convert_export, count_blocks
from lms.courseware.registry import is_hosted
from lms.courseware.services import CourseTree, load_tree
from lms.courseware.structure import CourseBlock
from lms.extensions import db

__all__ = ["ImportReport", "ImportResult", "PackageError", "Problem", "export_package", "import_openedx",
           "import_package"]


@dataclass(frozen=True)
class ImportResult:
    slug: str
    version_number: int
    block_count: int
    unchanged: bool  # the newest version came from the very same files; nothing was stored


def import_package(path: Path) -> ImportResult:
    """Validate the package at ``path`` (an OLX directory or a .tar.gz) and publish it as a new version.

    Raises PackageError listing every problem, and then stores nothing.
    """
    limits = Limits(current_app.config["KUZA_IMPORT_MAX_BYTES"], current_app.config["KUZA_IMPORT_MAX_FILES"])
    with _package_root(Path(path), limits) as root:
        files = _package_files(root, limits)
        package = read_package(root, _extra_types())
        digest = _digest(root, files)
    return _publish(package, digest)


def import_openedx(path: Path, on_start: Callable[[int], None] = lambda total: None,
                   on_block: Callable[[], None] = lambda: None) -> tuple[ImportResult, ImportReport]:
    """Import a course exported by Open edX Studio (a folder or its .tar.gz) as a new version.

    The export is rewritten as a Kuza package (see lms.courseware.openedx), which is then checked
    and published as any package is. For a progress bar, ``on_start`` gets the number of the
    export's block files, and ``on_block`` is called as each block is converted.
    """
    limits = Limits(current_app.config["KUZA_IMPORT_MAX_BYTES"], current_app.config["KUZA_IMPORT_MAX_FILES"])
    with _package_root(Path(path), limits) as export, tempfile.TemporaryDirectory(prefix="kuza-openedx-") as scratch:
        _package_files(export, limits)
        on_start(count_blocks(export))
        root = Path(scratch)
        report = convert_export(export, root, on_block)
        files = _package_files(root, limits)
        package = read_package(root, _extra_types())
        digest = _digest(root, files)
    return _publish(package, digest), report


def export_package(slug: str, out: Path) -> Path:
    """Write the published version of course ``slug`` to ``out``: a directory, or a .tar.gz if it ends so."""
    out = Path(out)
    package = _published_package(slug)
    extra_types = _extra_types()
    missing = [block_type for block_type in leaf_types(package) if not is_hosted(block_type, extra_types)]
    if missing:
        raise PackageError([Problem(slug, None, f"unknown block type <{t}>: install it to export this course")
                            for t in missing])
    if is_archive(out):
        with tempfile.TemporaryDirectory(prefix="kuza-export-") as scratch:
            folder = Path(scratch) / TOP_FOLDER
            write_package(package, folder, extra_types)
            out.parent.mkdir(parents=True, exist_ok=True)
            partial = out.with_name(f".{out.name}.part")
            try:
                pack(folder, partial)
                # Replace in one step, so a reader never sees half an archive.
                partial.replace(out)
            finally:
                partial.unlink(missing_ok=True)
        return out
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PackageError([Problem(str(out), None, "already exists and is not an empty folder; "
                                                    "export to a new folder so no old file is left behind")])
    write_package(package, out, extra_types)
    return out


# Import


def _extra_types() -> frozenset[str]:
    return frozenset(current_app.config["KUZA_EXTRA_XBLOCKS"])


@contextmanager
def _package_root(path: Path, limits: Limits) -> Iterator[Path]:
    """The folder holding course.xml: ``path`` itself, or where its archive was unpacked."""
    if path.is_dir():
        yield path
    elif path.is_file() and is_archive(path):
        with tempfile.TemporaryDirectory(prefix="kuza-import-") as scratch:
            yield unpack(path, Path(scratch), limits)
    else:
        raise PackageError([Problem(path.name, None, "not a course package: give an OLX folder or a .tar.gz archive")])


def _package_files(root: Path, limits: Limits) -> list[str]:
    """Every file of the package, relative and sorted, after refusing links, devices and excess."""
    problems: list[Problem] = []
    files: list[str] = []
    entries = 0
    total = 0
    for directory, subdirectories, names in os.walk(root):
        for name in sorted(subdirectories + names):
            entries += 1
            path = Path(directory) / name
            relative = path.relative_to(root).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                problems.append(Problem(relative, None, "symbolic links are not allowed in a package"))
            elif stat.S_ISREG(mode):
                files.append(relative)
                total += path.lstat().st_size
            elif not stat.S_ISDIR(mode):
                problems.append(Problem(relative, None, "only files and folders are allowed in a package"))
    if entries > limits.max_files:
        problems.append(Problem(root.name, None, f"{entries} files and folders; a package may hold at most "
                                                 f"{limits.max_files}"))
    if total > limits.max_bytes:
        problems.append(Problem(root.name, None, f"{total} bytes; a package may hold at most {limits.max_bytes}"))
    if problems:
        raise PackageError(problems)
    return sorted(files)


def _digest(root: Path, files: list[str]) -> str:
    """sha256 over every file's relative path and bytes, so a folder and its archive digest alike."""
    digest = hashlib.sha256()
    for relative in files:
        data = (root / relative).read_bytes()
        # Lengths make the encoding unambiguous: no two different packages feed the same bytes.
        digest.update(len(relative.encode()).to_bytes(8, "big") + relative.encode())
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _publish(package: Package, digest: str) -> ImportResult:
    course = db.session.execute(select(Course).where(Course.slug == package.slug)).scalar_one_or_none()
    latest = _latest_version(course) if course is not None else None
    if latest is not None and latest.package_sha256 == digest:
        count = db.session.scalar(select(func.count()).select_from(Block).where(Block.version_id == latest.id))
        return ImportResult(package.slug, latest.number, count or 0, unchanged=True)
    # A savepoint: if anything fails half-way (say, a concurrent import took the version
    # number), none of this import's rows stay in the caller's transaction.
    with db.session.begin_nested():
        if course is None:
            course = Course(slug=package.slug)
            db.session.add(course)
        version = _new_version(course, package, digest, number=latest.number + 1 if latest else 1)
        db.session.add(version)
        db.session.flush()
        blocks = [
            Block(version_id=version.id, usage_id=node.url_name, block_type=node.block_type,
                  parent_usage_id=parent, position=position, fields=node.fields)
            for node, parent, position in package.blocks()
        ]
        db.session.add_all(blocks)
        db.session.add_all(_assets(version.id, package.static))
        course.published_version = version
        db.session.flush()
    return ImportResult(package.slug, version.number, len(blocks), unchanged=False)


def _latest_version(course: Course) -> CourseVersion | None:
    return db.session.execute(
        select(CourseVersion).where(CourseVersion.course_id == course.id).order_by(CourseVersion.number.desc()).limit(1)
    ).scalar_one_or_none()


def _new_version(course: Course, package: Package, digest: str, number: int) -> CourseVersion:
    fields = package.root.fields
    return CourseVersion(
        course=course,
        number=number,
        title=fields.get("display_name", CourseBlock.display_name.default),
        org=package.org,
        run=package.run,
        language=fields.get("language", CourseBlock.language.default),
        short_description=package.short_description,
        overview_html=package.overview_html,
        policy=package.policy,
        root_usage_id=package.run,
        package_sha256=digest,
    )


def _assets(version_id: int, static: dict[str, bytes]) -> list[Asset]:
    return [
        Asset(
            version_id=version_id,
            path=path,
            content_type=mimetypes.guess_type(path)[0] or "application/octet-stream",
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
        )
        for path, data in static.items()
    ]


# Export


def _published_package(slug: str) -> Package:
    course = db.session.execute(select(Course).where(Course.slug == slug)).scalar_one_or_none()
    if course is None or course.published_version is None:
        raise PackageError([Problem(slug, None, "no published course has this slug")])
    version = course.published_version
    assets = db.session.execute(
        select(Asset.path, Asset.data).where(Asset.version_id == version.id).order_by(Asset.path)
    )
    return Package(
        slug=course.slug,
        org=version.org,
        root=_block_node(load_tree(version), version.root_usage_id),
        policy=dict(version.policy),
        short_description=version.short_description,
        overview_html=version.overview_html,
        static={path: data for path, data in assets},
    )


def _block_node(tree: CourseTree, usage_id: str) -> BlockNode:
    node = tree.nodes[usage_id]
    return BlockNode(node.block_type, usage_id, dict(node.fields),
                     tuple(_block_node(tree, child) for child in node.children))
