"""Importing course packages into the database and exporting them back, through the API and the CLI."""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tarfile
from pathlib import Path

import olxcleaner
import pytest
from sqlalchemy import func, select

from lms.catalog.models import Course, CourseVersion
from lms.courseware.models import Asset, Block
from lms.courseware.packages import PackageError, export_package, import_package
from lms.extensions import db
from tests.environment import SAMPLE_COURSE, skip_or_fail

FIXTURE = Path(__file__).parent / "packages" / "complete"
SLUG = "package-fixture"

pytestmark = pytest.mark.usefixtures("db_session")


@pytest.fixture
def package(tmp_path) -> Path:
    """A writable copy of the complete fixture package."""
    target = tmp_path / "package"
    shutil.copytree(FIXTURE, target)
    return target


def row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def version(slug: str, number: int) -> CourseVersion:
    return db.session.execute(
        select(CourseVersion).join(Course, CourseVersion.course_id == Course.id)
        .where(Course.slug == slug, CourseVersion.number == number)
    ).scalar_one()


def tree(version: CourseVersion) -> list[tuple]:
    rows = db.session.execute(select(Block).where(Block.version_id == version.id)).scalars()
    return sorted((row.parent_usage_id or "", row.position, row.usage_id, row.block_type, row.fields) for row in rows)


def assets(version: CourseVersion) -> dict[str, tuple[str, str, bytes]]:
    rows = db.session.execute(select(Asset).where(Asset.version_id == version.id)).scalars()
    return {row.path: (row.content_type, row.sha256, row.data) for row in rows}


def rejected(path: Path) -> list[str]:
    """Import ``path``, expect it refused with nothing stored, and return its problems as text."""
    before = row_counts()
    with pytest.raises(PackageError) as caught:
        import_package(path)
    assert row_counts() == before
    return [str(problem) for problem in caught.value.problems]


def olx_errors(path: Path) -> list[tuple[str, str, str, str]]:
    _, errors, _ = olxcleaner.validate(str(path), steps=8, ignore=["SettingOverride"], allowed_xblocks=["kuza_markdown", "kuza_quiz", "kuza_case_study", "kuza_reflection"])
    return [(error.level, error.name, error.filename, error.description) for error in errors.errors]


def sample_course() -> Path:
    if not (SAMPLE_COURSE / "course.xml").is_file():
        skip_or_fail(f"the sample course package is missing at {SAMPLE_COURSE}")
    return SAMPLE_COURSE


# Import


def test_import_publishes_a_version_with_blocks_assets_and_course_metadata():
    result = import_package(FIXTURE)

    assert (result.slug, result.version_number, result.block_count, result.unchanged) == (SLUG, 1, 12, False)
    course = db.session.execute(select(Course).where(Course.slug == SLUG)).scalar_one()
    published = course.published_version
    assert published.number == 1
    assert (published.title, published.org, published.run, published.language) == ("Package fixture", "KuzaTest", "2026", "fr")
    assert published.root_usage_id == "2026"
    assert published.short_description == "Learn & grow: a fixture."
    assert "<h2>About this course</h2>" in published.overview_html and "<script" not in published.overview_html
    assert published.policy["advanced_modules"] == ["done"]
    assert published.policy["grading_policy"]["GRADE_CUTOFFS"] == {"Pass": 0.5}
    assert len(published.package_sha256) == 64
    rows = tree(published)
    assert ("seq-one", 1, "v-two", "vertical", {"display_name": "An empty lesson"}) in rows
    assert ("v-one", 1, "md-pointer", "kuza_markdown", {
        "display_name": "From its own file",
        "markdown": "This lesson lives in kuza_markdown/md-pointer.xml, as Open edX writes built-in blocks."
                    "\n\nVoilà : du texte en français.",
    }) in rows
    stored = assets(published)
    assert stored["images/course_image.png"][0] == "image/png"
    assert stored["handout.txt"][0] == "text/plain"
    assert stored["handout.txt"][2] == (FIXTURE / "static" / "handout.txt").read_bytes()


def test_asset_digest_is_the_sha256_of_its_bytes():
    import_package(FIXTURE)

    for _, digest, data in assets(version(SLUG, 1)).values():
        assert digest == hashlib.sha256(data).hexdigest()


def test_reimporting_an_unchanged_package_stores_nothing():
    first = import_package(FIXTURE)
    before = row_counts()

    again = import_package(FIXTURE)

    assert (again.version_number, again.block_count, again.unchanged) == (1, first.block_count, True)
    assert row_counts() == before


def test_reimporting_a_changed_package_makes_version_two_with_the_same_url_names(package):
    import_package(package)
    lesson = package / "kuza_markdown" / "md-pointer.xml"
    lesson.write_text(lesson.read_text().replace("Voilà", "Et voilà"), encoding="utf-8")

    result = import_package(package)

    assert (result.version_number, result.unchanged) == (2, False)
    first, second = version(SLUG, 1), version(SLUG, 2)
    assert [row[:4] for row in tree(second)] == [row[:4] for row in tree(first)]
    assert tree(second) != tree(first)
    course = db.session.execute(select(Course).where(Course.slug == SLUG)).scalar_one()
    assert course.published_version_id == second.id
    assert len(tree(first)) == 12  # earlier versions are never changed


def test_a_folder_and_its_archive_are_the_same_package(tmp_path):
    import_package(FIXTURE)
    archive = tmp_path / "fixture.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(FIXTURE, arcname="course")

    result = import_package(archive)

    assert (result.version_number, result.unchanged) == (1, True)


def test_archive_with_course_xml_at_its_root(tmp_path):
    archive = tmp_path / "flat.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        for path in sorted(FIXTURE.rglob("*")):
            tar.add(path, arcname=path.relative_to(FIXTURE).as_posix(), recursive=False)

    assert import_package(archive).block_count == 12


# Rejected packages store nothing


@pytest.mark.parametrize(
    ("relative", "text", "expected"),
    [
        ("vertical/v-two.xml", '<vertical>\n  <kuza_markdown url_name="md-empty">\n</vertical>\n',
         "vertical/v-two.xml:3: malformed XML: Opening and ending tag mismatch"),
        ("chapter/ch-one.xml", '<chapter>\n  <sequential url_name="seq-gone"/>\n</chapter>\n',
         'chapter/ch-one.xml:2: <sequential url_name="seq-gone"> points to sequential/seq-gone.xml, which does not exist'),
        ("vertical/v-two.xml", '<vertical>\n  <problem url_name="p1"/>\n</vertical>\n',
         "vertical/v-two.xml:2: unknown block type <problem>: this server hosts no such block"),
        ("vertical/v-two.xml", '<vertical>\n  <kuza_markdown url_name="md-first" display_name="x"/>\n</vertical>\n',
         'vertical/v-two.xml:2: duplicate url_name "md-first": already used by the block at vertical/v-one.xml:2'),
        ("chapter/ch-one.xml", '<chapter>\n  <vertical url_name="v-one"/>\n</chapter>\n',
         "chapter/ch-one.xml:2: <vertical> cannot be inside <chapter>, which holds only <sequential>"),
        ("vertical/v-two.xml", '<vertical>\n  <kuza_markdown display_name="x"/>\n</vertical>\n',
         "vertical/v-two.xml:2: <kuza_markdown> has no url_name"),
        ("vertical/v-two.xml", '<vertical>\n  <kuza_markdown url_name="a b" display_name="x"/>\n</vertical>\n',
         'vertical/v-two.xml:2: <kuza_markdown> url_name "a b" may use only letters'),
        ("vertical/v-two.xml", '<vertical>\n  <kuza_markdown url_name="md-empty" size="9"/>\n</vertical>\n',
         'vertical/v-two.xml:2: <kuza_markdown url_name="md-empty">: <kuza_markdown> has an unknown attribute "size"'),
        ("vertical/v-two.xml", '<!DOCTYPE v [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<vertical>&e;</vertical>\n',
         "vertical/v-two.xml:1: DOCTYPE, DTD and entity declarations are not allowed"),
        ("policies/2026/policy.json", '{\n  "course/2026": {\n    "end": 2030\n  ]\n}\n',
         "policies/2026/policy.json:4: invalid JSON"),
    ],
    ids=["malformed", "missing-pointer", "unknown-type", "duplicate", "misplaced", "no-url-name", "bad-url-name",
         "leaf-parse-error", "entity", "policy-json"],
)
def test_bad_package_is_rejected_with_file_and_line_and_nothing_stored(package, relative, text, expected):
    import_package(FIXTURE)  # an earlier version, which must stay as it is
    (package / relative).write_text(text, encoding="utf-8")

    problems = rejected(package)

    assert len(problems) == 1 and problems[0].startswith(expected), problems
    assert db.session.execute(select(Course).where(Course.slug == SLUG)).scalar_one().published_version.number == 1


@pytest.mark.parametrize("hours", ['"6"', "0", "-2", "1001", "true", "[6]", "NaN", "null"])
def test_certificate_hours_must_be_a_sensible_number(package, hours):
    (package / "policies/2026/policy.json").write_text(
        '{\n  "course/2026": {\n    "advanced_modules": ["done"],\n'
        f'    "certificate_hours": {hours}\n  }}\n}}\n', encoding="utf-8")

    problems = rejected(package)

    assert problems == [f"policies/2026/policy.json:4: certificate_hours must be a number of hours above 0 "
                        f"and at most 1000, not {hours}"], problems


@pytest.mark.parametrize("hours", [6, 1.5, 1000])
def test_certificate_hours_are_kept_with_the_version(package, hours):
    (package / "policies/2026/policy.json").write_text(
        json.dumps({"course/2026": {"advanced_modules": ["done"], "certificate_hours": hours}}), encoding="utf-8")

    import_package(package)

    assert version(SLUG, 1).policy["certificate_hours"] == hours


@pytest.mark.parametrize(("translations", "message"), [
    ('"package-fixture-en"', 'translations must map language codes to course slugs, such as '
                             '{"fr": "package-fixture-fr"}, not "package-fixture-en"'),
    ('{"English": "package-fixture-en"}', 'translations: "English" is not a language code such as "fr" or "pt-BR"'),
    ('{"fr": "package-fixture-fr"}', 'translations: "fr" is this course\'s own language; '
                                     'list only its versions in other languages'),
    ('{"en": "no spaces, please"}', 'translations: the course for "en" must be a course slug, not "no spaces, please"'),
    ('{"en": ["package-fixture-en"]}', 'translations: the course for "en" must be a course slug, '
                                       'not ["package-fixture-en"]'),
    ('{"en": "package-fixture"}', 'translations: "en" names this course itself ("package-fixture"), '
                                  'not another language version'),
])
def test_translations_must_name_other_courses_by_language(package, translations, message):
    # The fixture course is in French.
    (package / "policies/2026/policy.json").write_text(
        '{\n  "course/2026": {\n    "advanced_modules": ["done"],\n'
        f'    "translations": {translations}\n  }}\n}}\n', encoding="utf-8")

    assert rejected(package) == [f"policies/2026/policy.json:4: {message}"]


def test_translations_are_kept_with_the_version_and_written_back(package, tmp_path):
    translations = {"en": "package-fixture-en", "pt-BR": "package-fixture-pt"}
    (package / "policies/2026/policy.json").write_text(
        json.dumps({"course/2026": {"advanced_modules": ["done"], "translations": translations}}), encoding="utf-8")

    import_package(package)
    out = export_package(SLUG, tmp_path / "export")

    assert version(SLUG, 1).policy["translations"] == translations
    assert json.loads((out / "policies/2026/policy.json").read_text())["course/2026"]["translations"] == translations


def test_missing_course_xml_is_rejected(package):
    (package / "course.xml").unlink()

    assert rejected(package) == ["course.xml: missing: a course package has course.xml at its root"]


def test_symbolic_link_in_a_folder_is_rejected(package):
    (package / "static" / "passwd").symlink_to("/etc/passwd")

    assert rejected(package) == ["static/passwd: symbolic links are not allowed in a package"]


def test_folder_over_the_limits_is_rejected(app, monkeypatch, package):
    monkeypatch.setitem(app.config, "KUZA_IMPORT_MAX_FILES", 5)
    monkeypatch.setitem(app.config, "KUZA_IMPORT_MAX_BYTES", 100)

    assert rejected(package) == [
        f"package: {len(list(package.rglob('*')))} files and folders; a package may hold at most 5",
        f"package: {sum(p.stat().st_size for p in package.rglob('*') if p.is_file())} bytes; "
        "a package may hold at most 100",
    ]


def test_not_a_package(tmp_path):
    path = tmp_path / "notes.zip"
    path.write_bytes(b"PK")

    assert rejected(path) == ["notes.zip: not a course package: give an OLX folder or a .tar.gz archive"]


# Archives are untrusted: every unsafe member is refused before anything is written


def fixture_archive(path: Path, extra: list[tuple[tarfile.TarInfo, bytes | None]] = ()) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        tar.add(FIXTURE, arcname="course")
        for info, data in extra:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def test_archive_members_escaping_the_package_are_refused(tmp_path):
    outside = tmp_path / "outside"
    archive = fixture_archive(tmp_path / "evil.tar.gz", [
        (member(str(outside / "absolute.txt")), b"x"),
        (member("course/../../dotdot.txt"), b"x"),
        (member("course/static/passwd", tarfile.SYMTYPE, "/etc/passwd"), None),
        (member("course/static/hosts", tarfile.LNKTYPE, "/etc/hosts"), None),
        (member("course/static/null", tarfile.CHRTYPE), None),
        (member("course/static/pipe", tarfile.FIFOTYPE), None),
    ])

    assert rejected(archive) == [
        f"evil.tar.gz: refused member {str(outside / 'absolute.txt')!r}: absolute path",
        "evil.tar.gz: refused member 'course/../../dotdot.txt': path leaves the package",
        "evil.tar.gz: refused member 'course/static/passwd': links are not allowed in a package",
        "evil.tar.gz: refused member 'course/static/hosts': links are not allowed in a package",
        "evil.tar.gz: refused member 'course/static/null': only files and folders are allowed in a package",
        "evil.tar.gz: refused member 'course/static/pipe': only files and folders are allowed in a package",
    ]
    assert not outside.exists() and not (tmp_path.parent / "dotdot.txt").exists()


def test_archive_with_too_many_files_is_refused(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "KUZA_IMPORT_MAX_FILES", 5)

    assert rejected(fixture_archive(tmp_path / "many.tar.gz")) == [
        "many.tar.gz: more than 5 files and folders; a package may hold no more"
    ]


def test_archive_too_big_is_refused_by_its_declared_sizes(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "KUZA_IMPORT_MAX_BYTES", 10_000)
    # Zeros compress to almost nothing: the archive is small, what it unpacks to is not.
    archive = fixture_archive(tmp_path / "bomb.tar.gz", [(member("course/static/zeros.bin"), bytes(50_000))])

    assert archive.stat().st_size < 10_000
    assert rejected(archive) == ["bomb.tar.gz: unpacks to more than 10000 bytes; a package may hold no more"]


def test_archive_without_course_xml_in_one_top_folder_is_refused(tmp_path):
    archive = tmp_path / "two.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(FIXTURE, arcname="first")
        tar.add(FIXTURE, arcname="second")

    assert rejected(archive) == [
        "two.tar.gz: no course.xml at the archive's root or in its single top-level folder"
    ]


def test_corrupt_archive_is_refused(tmp_path):
    archive = tmp_path / "broken.tar.gz"
    archive.write_bytes(b"\x1f\x8b\x08\x00 not really gzip")

    [problem] = rejected(archive)

    assert problem.startswith("broken.tar.gz: not a readable .tar.gz archive")


# Export


def test_export_then_import_gives_the_identical_block_tree(tmp_path):
    import_package(FIXTURE)

    written = export_package(SLUG, tmp_path / "export")
    result = import_package(written)

    assert written == tmp_path / "export"
    assert (result.version_number, result.unchanged) == (2, False)
    first, second = version(SLUG, 1), version(SLUG, 2)
    assert tree(second) == tree(first)
    assert assets(second) == assets(first)
    for column in ("title", "org", "run", "language", "short_description", "overview_html", "root_usage_id"):
        assert getattr(second, column) == getattr(first, column)
    assert second.policy["advanced_modules"] == ["done", "kuza_markdown"]
    assert second.policy["grading_policy"] == first.policy["grading_policy"]


def test_sample_course_round_trips(tmp_path):
    first = import_package(sample_course())

    export_package(first.slug, tmp_path / "export")
    second = import_package(tmp_path / "export")

    assert second.block_count == first.block_count
    assert tree(version(first.slug, second.version_number)) == tree(version(first.slug, first.version_number))


def test_export_passes_olxcleaner(tmp_path):
    import_package(FIXTURE)

    export_package(SLUG, tmp_path / "export")

    assert olx_errors(tmp_path / "export") == []


def test_sample_course_and_its_export_pass_olxcleaner(tmp_path):
    assert olx_errors(sample_course()) == []
    result = import_package(sample_course())

    export_package(result.slug, tmp_path / "export")

    assert olx_errors(tmp_path / "export") == []


def test_export_archive_has_one_top_folder_and_imports_as_the_same_package(tmp_path):
    import_package(FIXTURE)
    export_package(SLUG, tmp_path / "folder")

    written = export_package(SLUG, tmp_path / "course.tar.gz")

    with tarfile.open(written) as tar:
        names = tar.getnames()
        assert {name.split("/")[0] for name in names} == {"course"}
        assert "course/vertical/v-one.xml" in names
        assert all(info.uname == "" and info.uid == 0 for info in tar.getmembers())
    assert import_package(tmp_path / "folder").version_number == 2
    assert import_package(written).unchanged


def test_export_writes_static_files_and_about_pages(tmp_path):
    import_package(FIXTURE)

    out = export_package(SLUG, tmp_path / "export")

    assert (out / "static" / "images" / "course_image.png").read_bytes() == (
        FIXTURE / "static" / "images" / "course_image.png").read_bytes()
    assert (out / "about" / "short_description.html").read_text() == "Learn &amp; grow: a fixture.\n"
    assert "<script" not in (out / "about" / "overview.html").read_text()


def test_the_effort_comes_from_about_effort_html_and_goes_back_there(tmp_path):
    """Open edX keeps a course's estimated effort in about/effort.html, not in policy.json."""
    package = tmp_path / "package"
    shutil.copytree(FIXTURE, package)
    (package / "about" / "effort.html").write_text("<p>04:30</p>\n")
    version = _version(import_package(package))
    assert version.policy["effort"] == "04:30"

    out = export_package(SLUG, tmp_path / "export")

    assert (out / "about" / "effort.html").read_text() == "04:30\n"
    assert "effort" not in json.loads((out / "policies" / "2026" / "policy.json").read_text())["course/2026"]
    assert _version(import_package(out)).policy["effort"] == "04:30"


def _version(result) -> CourseVersion:
    return db.session.execute(select(CourseVersion).join(Course, CourseVersion.course_id == Course.id).where(
        Course.slug == result.slug, CourseVersion.number == result.version_number)).scalar_one()


def test_export_refuses_a_folder_that_is_not_empty(tmp_path):
    import_package(FIXTURE)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")

    with pytest.raises(PackageError) as caught:
        export_package(SLUG, tmp_path / "busy")

    assert "already exists and is not an empty folder" in str(caught.value)
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


def test_export_of_an_unknown_course(tmp_path):
    with pytest.raises(PackageError) as caught:
        export_package("no-such-course", tmp_path / "out")

    assert [str(p) for p in caught.value.problems] == ["no-such-course: no published course has this slug"]


# A real Open edX export uses blocks Kuza does not host


def openedx_export() -> Path:
    value = os.environ.get("OPENEDX_COURSE_EXPORT")
    if not value:
        skip_or_fail("OPENEDX_COURSE_EXPORT is not set: point it at an Open edX course export folder")
    path = Path(value)
    if not (path / "course.xml").is_file():
        skip_or_fail(f"OPENEDX_COURSE_EXPORT={value} has no course.xml")
    return path


def test_open_edx_demo_course_imported_as_a_kuza_package_is_rejected_with_what_to_do():
    """Without --from-openedx an export is read as a Kuza package: every block Kuza does not host, and
    every html block kept in a file of its own, is refused where it stands."""
    path = openedx_export()

    problems = rejected(path)

    pattern = re.compile(r"(?P<file>[\w/.-]+\.xml):(?P<line>\d+): (unknown block type <(?P<tag>[\w-]+)>: "
                         r"this server hosts no such block|<(?P<html>html) url_name=\"\w+\">: keeps its HTML in "
                         r"html/\w+\.html, as Open edX exports do: a Kuza package holds it inside <html>; import an "
                         r"Open edX export with kuza import-course --from-openedx)")
    matches = [pattern.fullmatch(problem) for problem in problems]
    assert all(matches), [problem for problem, match in zip(problems, matches, strict=True) if not match]
    assert {"problem", "video"} <= {match["tag"] for match in matches}
    assert any(match["html"] for match in matches)
    for match in matches:  # each names the very line the tag is on
        line = (path / match["file"]).read_text(encoding="utf-8").splitlines()[int(match["line"]) - 1]
        assert f"<{match['tag'] or match['html']}" in line


# The kuza command


def test_cli_import_and_reimport(app):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["import-course", str(FIXTURE)])
    again = runner.invoke(args=["import-course", str(FIXTURE)])

    assert first.exit_code == 0, first.output
    assert first.output == f"Published {SLUG} version 1 (12 blocks).\n"
    assert again.exit_code == 0
    assert again.output == f"{SLUG}: unchanged since version 1; nothing imported.\n"


def test_cli_import_of_a_bad_package_exits_non_zero_with_file_line_messages(app, package):
    (package / "vertical" / "v-two.xml").write_text(
        '<vertical>\n  <video url_name="v1"/>\n  <kuza_markdown url_name="md-first" display_name="x"/>\n</vertical>\n')
    before = row_counts()

    result = app.test_cli_runner().invoke(args=["import-course", str(package)])

    assert result.exit_code == 1
    assert result.stderr == (
        f"Rejected {package}: nothing was stored.\n"
        "  vertical/v-two.xml:2: unknown block type <video>: this server hosts no such block\n"
        '  vertical/v-two.xml:3: duplicate url_name "md-first": already used by the block at vertical/v-one.xml:2\n'
    )
    assert row_counts() == before


def test_cli_export_to_a_folder_and_an_archive(app, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["import-course", str(FIXTURE)])

    folder = runner.invoke(args=["export-course", SLUG, str(tmp_path / "out")])
    archive = runner.invoke(args=["export-course", SLUG, str(tmp_path / "out.tar.gz")])

    assert folder.exit_code == 0 and folder.output == f"Exported {SLUG} to {tmp_path / 'out'}.\n"
    assert archive.exit_code == 0 and (tmp_path / "out.tar.gz").is_file()
    assert olx_errors(tmp_path / "out") == []


def test_cli_export_of_an_unknown_course_fails(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["export-course", "nope", str(tmp_path / "out")])

    assert result.exit_code != 0
    assert "nope: no published course has this slug" in result.output
