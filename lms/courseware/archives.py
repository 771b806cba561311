"""Course package archives (.tar.gz): safe unpacking of untrusted uploads, and packing an export."""
from __future__ import annotations

import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lms.courseware.olx import PackageError, Problem

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")
# Open edX Studio exports and imports a course as one top-level folder with this name.
TOP_FOLDER = "course"


@dataclass(frozen=True)
class Limits:
    """How much a package may hold, so an upload cannot fill the disk or the database."""

    max_bytes: int
    max_files: int


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def unpack(archive: Path, into: Path, limits: Limits) -> Path:
    """Extract ``archive`` into the empty directory ``into``; return the folder holding course.xml.

    Every member is checked before anything is written: absolute paths, "..", links,
    devices and anything over the limits are refused, each reported by member name.
    """
    name = archive.name
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = _checked_members(tar, name, limits)
            # The "data" filter repeats the checks above inside tarfile itself.
            tar.extractall(into, members=members, filter="data")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise PackageError([Problem(name, None, f"not a readable .tar.gz archive: {error}")]) from None
    return _course_root(into, name)


def pack(directory: Path, out: Path) -> None:
    """Write ``directory`` to the .tar.gz ``out`` as one top-level folder course/, as Studio does."""
    with tarfile.open(out, "w:gz") as tar:
        tar.add(directory, arcname=TOP_FOLDER, filter=_anonymous)


def _checked_members(tar: tarfile.TarFile, name: str, limits: Limits) -> list[tarfile.TarInfo]:
    problems: list[Problem] = []
    members: list[tarfile.TarInfo] = []
    entries = 0
    total = 0
    # Iterate rather than getmembers(), and count refused members too: an archive of
    # millions of entries, of any kind, stops at the limit.
    for member in tar:
        entries += 1
        refusal = _refusal(member)
        if refusal:
            problems.append(Problem(name, None, f"refused member {member.name!r}: {refusal}"))
        else:
            members.append(member)
            total += member.size if member.isfile() else 0
        if entries > limits.max_files:
            problems.append(Problem(name, None, f"more than {limits.max_files} files and folders; "
                                                "a package may hold no more"))
            break
        if total > limits.max_bytes:
            problems.append(Problem(name, None, f"unpacks to more than {limits.max_bytes} bytes; "
                                                "a package may hold no more"))
            break
    if problems:
        raise PackageError(problems)
    return members


def _refusal(member: tarfile.TarInfo) -> str | None:
    """Why a member may not be unpacked, or None if it is a plain file or folder inside the package."""
    path = PurePosixPath(member.name)
    if path.is_absolute():
        return "absolute path"
    if ".." in path.parts or "\\" in member.name:
        return "path leaves the package"
    if member.issym() or member.islnk():
        return "links are not allowed in a package"
    if not (member.isfile() or member.isdir()):
        return "only files and folders are allowed in a package"
    return None


def _course_root(into: Path, name: str) -> Path:
    """course.xml sits at the archive's root, or in its single top-level folder as in Studio exports."""
    if (into / "course.xml").is_file():
        return into
    entries = list(into.iterdir())
    if len(entries) == 1 and entries[0].is_dir() and (entries[0] / "course.xml").is_file():
        return entries[0]
    raise PackageError([Problem(name, None, "no course.xml at the archive's root or in its single top-level folder")])


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # The exporting server's user and group names mean nothing to whoever imports the archive.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info
