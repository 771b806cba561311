"""Tests for the OLX form of kuza_markdown: reading, writing, round trips and authoring errors."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xblock.core import XBlockMixin
from xblock.fields import Boolean, Integer, Scope
from xblock.runtime import Mixologist

from kuza_xblocks.errors import OLXError
from kuza_xblocks.markdown.block import MarkdownBlock

SAMPLE = """\
<kuza_markdown url_name="intro-why" display_name="Why innovate?" xblock-family="xblock.v1">
# Heading

Text with **bold**, a [link](https://example.org) and a table:

| a | b |
|---|---|
| 1 &lt; 2 | A &amp; B |
</kuza_markdown>"""

SAMPLE_MARKDOWN = """\
# Heading

Text with **bold**, a [link](https://example.org) and a table:

| a | b |
|---|---|
| 1 < 2 | A & B |"""

# Characters an XML file can carry, for generated texts.
XML_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cs",),
        exclude_characters="\ufffe\uffff",
        min_codepoint=0x09,
    ).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20),
    max_size=200,
)


def parse(olx, runtime, new_keys, block_class=MarkdownBlock):
    node = etree.fromstring(olx)
    return block_class.parse_xml(node, runtime, new_keys(runtime))


def serialise(block, url_name="intro-why"):
    node = etree.Element("unknown")
    node.set("url_name", url_name)  # the host names the block before the block writes itself
    block.add_xml_to_node(node)
    return etree.tostring(node, encoding="unicode")


def test_sample_is_read_into_fields(runtime, new_keys):
    block = parse(SAMPLE, runtime, new_keys)
    assert block.display_name == "Why innovate?"
    assert block.markdown == SAMPLE_MARKDOWN


def test_sample_is_written_back_exactly_as_course_packages_hold_it(runtime, new_keys):
    assert serialise(parse(SAMPLE, runtime, new_keys)) == SAMPLE


def test_url_name_and_xblock_family_are_not_fields(runtime, new_keys):
    block = parse(SAMPLE, runtime, new_keys)
    assert "url_name" not in block.fields and "xblock-family" not in block.fields
    assert {name for name, field in block.fields.items() if field.is_set_on(block)} == {"display_name", "markdown"}


TRICKY = """\

Leading blank line above, trailing spaces for a hard break\x20\x20
Markup as text: <b>not bold</b> & <script>alert("x")</script> &amp; ]]> done
Unicode: café, naïve, “quotes”, emoji 🌍, Swahili: Kuza ni kukua.
Arabic: الابتكار في تقديم الخدمات العامة
\tTabbed line

    indented code
ends with a newline
"""


def test_tricky_text_round_trips(runtime, new_keys, make_block):
    block = make_block(display_name='Ideas "that" <work> & العربية', markdown=TRICKY)
    olx = serialise(block)
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;script&gt;" in olx  # escaped by the serialiser
    assert "<![CDATA[" not in olx
    again = parse(olx, runtime, new_keys)
    assert again.markdown == TRICKY
    assert again.display_name == 'Ideas "that" <work> & العربية'
    assert serialise(again) == olx


def test_round_trip_through_a_utf8_file_with_declaration(runtime, new_keys, make_block, tmp_path):
    block = make_block(display_name="لماذا نبتكر؟", markdown="# عنوان\n\nنص & <وسم>")
    path = tmp_path / "lesson.xml"
    etree.ElementTree(etree.fromstring(serialise(block))).write(str(path), encoding="utf-8", xml_declaration=True)
    again = parse(path.read_bytes(), runtime, new_keys)
    assert (again.display_name, again.markdown) == ("لماذا نبتكر؟", "# عنوان\n\nنص & <وسم>")


# The fixtures are safe to share between examples: each example builds a new block.
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(markdown=XML_TEXT, display_name=XML_TEXT)
def test_any_text_round_trips_exactly(runtime, new_keys, make_block, markdown, display_name):
    block = make_block(display_name=display_name, markdown=markdown)
    again = parse(serialise(block), runtime, new_keys)
    assert again.markdown == markdown
    assert again.display_name == display_name


@pytest.mark.parametrize(
    ("olx", "markdown"),
    [
        # One newline after the opening tag and the closing tag's indentation are layout.
        ("<kuza_markdown>\n# A\n</kuza_markdown>", "# A"),
        ("<kuza_markdown>\n# A\n    </kuza_markdown>", "# A"),
        ("<kuza_markdown>\n# A\n\t\t</kuza_markdown>", "# A"),
        # Only one of each: further blank lines belong to the text.
        ("<kuza_markdown>\n\n# A\n\n</kuza_markdown>", "\n# A\n"),
        # Written without layout, the text is taken as is.
        ("<kuza_markdown># A</kuza_markdown>", "# A"),
        # The text is not dedented: indented Markdown is a code block, as in any Markdown file.
        ("<kuza_markdown>\n    code\n</kuza_markdown>", "    code"),
        ("<kuza_markdown><![CDATA[\n# A <b> & c\n]]></kuza_markdown>", "# A <b> & c"),
        ("<kuza_markdown>\n# A<!-- note for authors -->B\n</kuza_markdown>", "# AB"),
        ("<kuza_markdown>\r\n# A\r\n</kuza_markdown>", "# A"),
    ],
)
def test_text_rule(runtime, new_keys, olx, markdown):
    assert parse(olx, runtime, new_keys).markdown == markdown


@pytest.mark.parametrize(
    "olx", ["<kuza_markdown/>", "<kuza_markdown></kuza_markdown>", "<kuza_markdown>\n</kuza_markdown>"]
)
def test_no_text_leaves_the_default(runtime, new_keys, olx):
    block = parse(olx, runtime, new_keys)
    assert block.markdown == ""
    assert not MarkdownBlock.markdown.is_set_on(block)


def test_defaults_are_not_written(make_block):
    assert serialise(make_block()) == '<kuza_markdown url_name="intro-why" xblock-family="xblock.v1"/>'


def test_unknown_attribute_is_rejected_by_name(runtime, new_keys):
    with pytest.raises(OLXError) as caught:
        parse('<kuza_markdown display_name="A" colour="red">x</kuza_markdown>', runtime, new_keys)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert message.startswith('<kuza_markdown> has an unknown attribute "colour"; it accepts display_name, ')
    assert message.endswith("url_name and xblock-family.")


def test_markdown_as_an_attribute_is_rejected_with_the_fix(runtime, new_keys):
    expected = r'has a "markdown" attribute.*move it between <kuza_markdown> and </kuza_markdown>'
    with pytest.raises(OLXError, match=expected):
        parse('<kuza_markdown markdown="# A"/>', runtime, new_keys)


def test_child_element_is_rejected_with_its_line(runtime, new_keys):
    olx = "<kuza_markdown>\n# A\n\nSome <b>bold</b> text\n</kuza_markdown>"
    with pytest.raises(OLXError) as caught:
        parse(olx, runtime, new_keys)
    assert str(caught.value) == (
        "<kuza_markdown> must contain only text, but it contains the element <b>."
        ' To show markup in the text, escape it: write "&lt;" for "<" and "&amp;" for "&".'
    )
    assert caught.value.line == 4


def test_option_namespace_children_are_rejected_too(runtime, new_keys):
    olx = '<kuza_markdown xmlns:option="http://code.edx.org/xblock/option"><option:display_name>A</option:display_name></kuza_markdown>'
    with pytest.raises(OLXError, match="contains the element"):
        parse(olx, runtime, new_keys)


class OpenEdxLikeMixin(XBlockMixin):
    """Settings an Open edX runtime mixes into every block."""

    visible_to_staff_only = Boolean(scope=Scope.settings, default=False)
    max_attempts = Integer(scope=Scope.settings, default=None)


@pytest.fixture
def mixed_class():
    return Mixologist([OpenEdxLikeMixin]).mix(MarkdownBlock)


def test_settings_mixed_in_by_the_host_are_accepted_and_written_back(runtime, new_keys, mixed_class):
    olx = '<kuza_markdown display_name="A" visible_to_staff_only="true">\n# A\n</kuza_markdown>'
    block = parse(olx, runtime, new_keys, block_class=mixed_class)
    assert block.visible_to_staff_only is True
    written = serialise(block)
    assert 'visible_to_staff_only="true"' in written
    assert parse(written, runtime, new_keys, block_class=mixed_class).visible_to_staff_only is True


def test_invalid_value_for_a_typed_setting_names_the_attribute(runtime, new_keys, mixed_class):
    with pytest.raises(OLXError, match=r'<kuza_markdown> attribute "max_attempts" has an invalid value \'lots\''):
        parse('<kuza_markdown max_attempts="lots"/>', runtime, new_keys, block_class=mixed_class)


def test_the_runtime_loads_and_exports_the_block(runtime):
    usage_id = runtime.parse_xml_string(SAMPLE)
    block = runtime.get_block(usage_id)
    assert (block.display_name, block.markdown) == ("Why innovate?", SAMPLE_MARKDOWN)
    out = io.BytesIO()
    runtime.export_to_xml(block, out)
    exported = etree.fromstring(out.getvalue())
    assert exported.tag == "kuza_markdown"
    assert exported.get("display_name") == "Why innovate?"
    assert exported.get("xblock-family") == "xblock.v1"
    assert exported.text == f"\n{SAMPLE_MARKDOWN}\n"
