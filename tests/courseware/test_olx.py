"""Reading and writing OLX course packages without a database: the tree, and every kind of problem."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lms.courseware.olx import PackageError, read_package, write_package

FIXTURE = Path(__file__).parent / "packages" / "complete"


@pytest.fixture
def package(tmp_path) -> Path:
    """A writable copy of the complete fixture package, for a test to break."""
    target = tmp_path / "package"
    shutil.copytree(FIXTURE, target)
    return target


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def problems(root: Path) -> list[str]:
    with pytest.raises(PackageError) as caught:
        read_package(root)
    return [str(problem) for problem in caught.value.problems]


def test_reads_the_tree_in_order_with_pointers_and_inline_blocks():
    package = read_package(FIXTURE)

    assert (package.slug, package.org, package.run) == ("package-fixture", "KuzaTest", "2026")
    assert [(node.block_type, node.url_name, parent, position) for node, parent, position in package.blocks()] == [
        ("course", "2026", None, 0),
        ("chapter", "ch-one", "2026", 0),
        ("chapter", "ch-two", "2026", 1),
        ("sequential", "seq-one", "ch-one", 0),
        ("sequential", "seq-inline", "ch-two", 0),
        ("vertical", "v-one", "seq-one", 0),
        ("vertical", "v-two", "seq-one", 1),
        ("vertical", "v-inline", "seq-inline", 0),
        ("kuza_markdown", "md-first", "v-one", 0),
        ("kuza_markdown", "md-pointer", "v-one", 1),
        ("kuza_markdown", "md-empty", "v-two", 0),
        ("kuza_markdown", "md-inline", "v-inline", 0),
    ]


def test_fields_come_from_attributes_and_from_each_leaf_blocks_own_parser():
    nodes = {node.url_name: node for node, _, _ in read_package(FIXTURE).blocks()}

    # The course's settings come from its XML, then from policy.json for what the XML leaves out.
    assert nodes["2026"].fields == {
        "display_name": "Package fixture", "language": "fr", "start": "2026-01-01T00:00:00Z",
        "end": "2030-12-31T00:00:00Z", "course_image": "images/course_image.png", "self_paced": True,
    }
    assert nodes["seq-one"].fields == {"display_name": "A graded lesson", "graded": True, "format": "Homework"}
    assert nodes["md-first"].fields["markdown"].startswith("## Ideas travel\n\nA practice")
    assert "2 < 3" in nodes["md-first"].fields["markdown"]
    assert nodes["md-pointer"].fields == {
        "display_name": "From its own file",
        "markdown": "This lesson lives in kuza_markdown/md-pointer.xml, as Open edX writes built-in blocks."
                    "\n\nVoilà : du texte en français.",
    }
    # Only explicitly set fields are kept, so a default can change in a later release.
    assert nodes["md-empty"].fields == {"display_name": "Nothing yet"}


def test_reads_policy_about_pages_and_static_files():
    package = read_package(FIXTURE)

    assert package.policy["advanced_modules"] == ["done"]
    assert package.policy["end"] == "2030-12-31T00:00:00Z"
    assert package.policy["grading_policy"]["GRADER"][0]["type"] == "Homework"
    assert package.short_description == "Learn & grow: a fixture."
    assert "<h2>About this course</h2>" in package.overview_html
    assert "script" not in package.overview_html and "onclick" not in package.overview_html
    assert sorted(package.static) == ["handout.txt", "images/course_image.png"]
    assert package.static["handout.txt"] == b"Handout for the fixture course.\n"


def test_course_settings_missing_from_the_xml_come_from_the_policy(package):
    write(package, "course/2026.xml", '<course display_name="From the XML">\n  <chapter url_name="ch-one"/>\n</course>\n')
    write(package, "policies/2026/policy.json",
          '{"course/2026": {"display_name": "From the policy", "start": "2027-01-01T00:00:00Z"}}')

    fields = read_package(package).root.fields

    assert fields == {"display_name": "From the XML", "start": "2027-01-01T00:00:00Z"}


def test_written_package_reads_back_identical(tmp_path):
    package = read_package(FIXTURE)

    write_package(package, tmp_path / "out")
    exported = read_package(tmp_path / "out")

    assert exported.root == package.root
    assert (exported.slug, exported.org, exported.static) == (package.slug, package.org, package.static)
    assert (exported.short_description, exported.overview_html) == (package.short_description, package.overview_html)
    # The course entry of policy.json also gets the course's own settings and its leaf types.
    assert exported.policy == {**package.policy, **package.root.fields, "advanced_modules": ["done", "kuza_markdown"]}
    write_package(exported, tmp_path / "again")
    assert read_package(tmp_path / "again") == exported


def test_written_package_is_in_open_edx_form(tmp_path):
    write_package(read_package(FIXTURE), tmp_path / "out")
    out = tmp_path / "out"

    assert (out / "course.xml").read_text() == '<course url_name="2026" org="KuzaTest" course="package-fixture"/>\n'
    chapter = (out / "chapter" / "ch-two.xml").read_text()
    assert chapter.startswith('<chapter display_name="An inline chapter">')  # no XML declaration
    assert '<sequential url_name="seq-inline"/>' in chapter
    vertical = (out / "vertical" / "v-one.xml").read_text()
    assert '<kuza_markdown url_name="md-pointer" display_name="From its own file" xblock-family="xblock.v1">' in vertical
    assert not (out / "kuza_markdown").exists()  # leaf blocks are written inline
    assert '"advanced_modules": [\n            "done",\n            "kuza_markdown"\n        ]' in (
        out / "policies" / "2026" / "policy.json").read_text()


# Problems: each names its file and line, and reading goes on to find the others.


def test_missing_course_xml(package):
    (package / "course.xml").unlink()

    assert problems(package) == ["course.xml: missing: a course package has course.xml at its root"]


def test_course_xml_needs_org_and_course(package):
    write(package, "course.xml", '<course url_name="2026"/>\n')

    assert problems(package) == [
        'course.xml:1: <course> needs a course="..." attribute',
        'course.xml:1: <course> needs a org="..." attribute',
    ]


def test_malformed_xml_names_file_line_and_parser_message(package):
    write(package, "vertical/v-two.xml",
          '<vertical display_name="Broken">\n  <kuza_markdown url_name="md-empty">\n</vertical>\n')

    [problem] = problems(package)

    assert problem.startswith("vertical/v-two.xml:3: malformed XML: Opening and ending tag mismatch: kuza_markdown")


def test_missing_pointer_file(package):
    (package / "sequential" / "seq-one.xml").unlink()

    assert problems(package) == [
        'chapter/ch-one.xml:2: <sequential url_name="seq-one"> points to sequential/seq-one.xml, which does not exist'
    ]


def test_pointer_file_with_another_root_element(package):
    write(package, "sequential/seq-one.xml", '<vertical display_name="Oops"/>\n')

    assert problems(package) == [
        "sequential/seq-one.xml:1: the root element is <vertical>, but chapter/ch-one.xml:2 points here for a <sequential>"
    ]


def test_pointer_file_with_another_url_name(package):
    write(package, "sequential/seq-one.xml", '<sequential url_name="renamed"><vertical url_name="v-one"/></sequential>\n')

    assert problems(package) == [
        'sequential/seq-one.xml:1: url_name "renamed" differs from "seq-one", the name this file is pointed to by'
    ]


def test_unknown_block_types_from_open_edx(package):
    write(package, "vertical/v-two.xml", (
        '<vertical display_name="Open edX blocks">\n'
        '  <video url_name="intro"/>\n'
        '  <problem url_name="quiz" display_name="Check">\n'
        "    <multiplechoiceresponse/>\n"
        "  </problem>\n"
        "</vertical>\n"
    ))

    assert problems(package) == [
        "vertical/v-two.xml:2: unknown block type <video>: this server hosts no such block",
        "vertical/v-two.xml:3: unknown block type <problem>: this server hosts no such block",
    ]


def test_an_inline_html_block_is_read_as_open_edx_writes_it(package):
    write(package, "vertical/v-two.xml", (
        '<vertical display_name="Open edX html">\n'
        '  <html url_name="intro" display_name="Welcome"><![CDATA[<p>Hello <b>learners</b></p>]]></html>\n'
        "</vertical>\n"
    ))

    read = read_package(package)
    [node] = [node for node, _, _ in read.blocks() if node.block_type == "html"]
    assert node.fields == {"display_name": "Welcome", "data": "<p>Hello <b>learners</b></p>"}


def test_duplicate_url_name_says_where_it_was_first_used(package):
    write(package, "vertical/v-two.xml",
          '<vertical display_name="Again">\n  <kuza_markdown url_name="md-first" display_name="Copy"/>\n</vertical>\n')

    assert problems(package) == [
        'vertical/v-two.xml:2: duplicate url_name "md-first": already used by the block at vertical/v-one.xml:2'
    ]


def test_two_pointers_to_one_file_are_duplicates(package):
    write(package, "chapter/ch-one.xml",
          '<chapter display_name="Twice">\n  <sequential url_name="seq-one"/>\n  <sequential url_name="seq-one"/>\n</chapter>\n')

    assert problems(package) == [
        'chapter/ch-one.xml:3: duplicate url_name "seq-one": already used by the block at chapter/ch-one.xml:2'
    ]


def test_child_not_allowed_under_its_parent(package):
    write(package, "chapter/ch-one.xml",
          '<chapter display_name="Flat">\n  <sequential url_name="seq-one"/>\n  <vertical url_name="v-loose"/>\n</chapter>\n')
    write(package, "vertical/v-two.xml",
          '<vertical display_name="Deep">\n  <chapter url_name="ch-deep"/>\n</vertical>\n')

    assert problems(package) == [
        "vertical/v-two.xml:2: <chapter> cannot be inside <vertical>, which holds only leaf blocks such as <kuza_markdown>",
        "chapter/ch-one.xml:3: <vertical> cannot be inside <chapter>, which holds only <sequential>",
    ]


def test_every_block_needs_a_url_name(package):
    write(package, "vertical/v-two.xml",
          '<vertical display_name="Anonymous">\n  <kuza_markdown display_name="No id">Text</kuza_markdown>\n</vertical>\n')

    assert problems(package) == [
        "vertical/v-two.xml:2: <kuza_markdown> has no url_name: every block needs one, kept the same across "
        "versions, so that learners' progress survives re-publishing"
    ]


@pytest.mark.parametrize("url_name", ["two words", "a/b", "../../etc/passwd", "é", "x" * 101])
def test_url_name_characters(package, url_name):
    write(package, "vertical/v-two.xml",
          f'<vertical display_name="Odd">\n  <kuza_markdown url_name="{url_name}" display_name="x"/>\n</vertical>\n')

    assert problems(package) == [
        f'vertical/v-two.xml:2: <kuza_markdown> url_name "{url_name}" may use only letters, digits, ".", "_" '
        'and "-", at most 100 of them'
    ]


def test_leaf_block_parse_error_is_reported_with_its_message(package):
    write(package, "vertical/v-two.xml",
          '<vertical display_name="Typo">\n  <kuza_markdown url_name="md-empty" colour="red"/>\n</vertical>\n')

    [problem] = problems(package)

    assert problem.startswith(
        'vertical/v-two.xml:2: <kuza_markdown url_name="md-empty">: <kuza_markdown> has an unknown attribute "colour"'
    )


def test_leaf_block_parse_error_in_a_pointer_file_points_at_the_offending_line(package):
    write(package, "kuza_markdown/md-pointer.xml",
          "<kuza_markdown>\nSome text\nand <b>markup</b> that should be escaped.\n</kuza_markdown>\n")

    [problem] = problems(package)

    assert problem.startswith(
        'kuza_markdown/md-pointer.xml:3: <kuza_markdown url_name="md-pointer">: <kuza_markdown> must contain only text'
    )


def test_invalid_structure_setting(package):
    write(package, "sequential/seq-one.xml",
          '<sequential display_name="Odd" graded="[yes">\n  <vertical url_name="v-one"/>\n</sequential>\n')

    [problem] = problems(package)

    assert problem.startswith('sequential/seq-one.xml:1: <sequential> graded="[yes" is not valid: ')


def test_text_outside_any_block(package):
    write(package, "vertical/v-two.xml",
          '<vertical display_name="Loose">\n  Forgot the block.\n  <kuza_markdown url_name="md-empty" display_name="x"/>\n</vertical>\n')

    assert problems(package) == [
        'vertical/v-two.xml:1: <vertical> holds text outside any block ("Forgot the block."); '
        "put text in a leaf block such as <kuza_markdown>"
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE vertical [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<vertical display_name="Laughs">
  <kuza_markdown url_name="md-empty">&lol9;</kuza_markdown>
</vertical>
"""

EXTERNAL_ENTITY = """<!DOCTYPE vertical [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<vertical display_name="Secrets">
  <kuza_markdown url_name="md-empty">&secret;</kuza_markdown>
</vertical>
"""

EXTERNAL_DTD = """<!DOCTYPE vertical SYSTEM "http://127.0.0.1:9/evil.dtd">
<vertical display_name="Remote">
  <kuza_markdown url_name="md-empty"/>
</vertical>
"""


@pytest.mark.parametrize(
    ("document", "line"), [(BILLION_LAUGHS, 2), (EXTERNAL_ENTITY, 1), (EXTERNAL_DTD, 1)],
    ids=["billion-laughs", "external-entity", "external-dtd"],
)
def test_doctype_and_entities_are_refused(package, document, line):
    write(package, "vertical/v-two.xml", document)

    found = problems(package)

    assert found == [f"vertical/v-two.xml:{line}: DOCTYPE, DTD and entity declarations are not allowed in course files"]
    assert "root:" not in "".join(found)


def test_invalid_policy_json_names_the_line(package):
    write(package, "policies/2026/policy.json", '{\n  "course/2026": {\n    "end": "2030-01-01",,\n  }\n}\n')

    [problem] = problems(package)

    assert problem.startswith("policies/2026/policy.json:3: invalid JSON: Expecting property name")


def test_policy_shapes(package):
    write(package, "policies/2026/policy.json", '{"course/2026": {"advanced_modules": "kuza_markdown"}}')
    write(package, "policies/2026/grading_policy.json", "[]")

    assert problems(package) == [
        "policies/2026/policy.json: advanced_modules must be a list of block type names",
        'policies/2026/grading_policy.json: expected {"GRADER": [...], "GRADE_CUTOFFS": {...}}',
    ]


def test_every_problem_is_reported_at_once(package):
    (package / "sequential" / "seq-one.xml").unlink()
    write(package, "course/2026.xml", (
        '<course display_name="Many problems">\n'
        '  <chapter url_name="ch-one"/>\n'
        '  <chapter url_name="ch-two" display_name="Inline">\n'
        '    <sequential url_name="seq-two">\n'
        '      <vertical url_name="v-a">\n'
        '        <problem url_name="p1"/>\n'
        '        <kuza_markdown display_name="No id"/>\n'
        '        <kuza_markdown url_name="ch-one"/>\n'
        "      </vertical>\n"
        "    </sequential>\n"
        "  </chapter>\n"
        "</course>\n"
    ))
    write(package, "policies/2026/grading_policy.json", "{")

    found = problems(package)

    assert [problem.split(": ")[0] for problem in found] == [
        "chapter/ch-one.xml:2",  # missing sequential/seq-one.xml
        "course/2026.xml:6",  # <problem>
        "course/2026.xml:7",  # no url_name
        "course/2026.xml:8",  # duplicate url_name ch-one
        "policies/2026/grading_policy.json:1",  # invalid JSON
    ]
