"""Tests for the kuza_reflection OLX: exact round trips, the default set, and malformed plans refused with line and reason."""

import pytest
from lxml import etree

from kuza_xblocks.errors import OLXError
from kuza_xblocks.reflection.block import ReflectionBlock
from kuza_xblocks.reflection.scenarios import WORKBENCH_SCENARIOS


def parse(olx, runtime, new_keys):
    return ReflectionBlock.parse_xml(etree.fromstring(olx), runtime, new_keys(runtime, "kuza_reflection"))


def serialise(block, url_name):
    node = etree.Element("unknown")
    node.set("url_name", url_name)  # the host names the block before the block writes itself
    block.add_xml_to_node(node)
    return etree.tostring(node, encoding="unicode") + "\n"


@pytest.mark.parametrize(("title", "olx"), WORKBENCH_SCENARIOS, ids=[title for title, _ in WORKBENCH_SCENARIOS])
def test_every_scenario_round_trips_exactly_through_the_block(runtime, new_keys, title, olx):
    block = parse(olx, runtime, new_keys)
    assert serialise(block, etree.fromstring(olx).get("url_name")) == olx


def test_prompts_are_read_as_child_elements(runtime, new_keys):
    block = parse(
        """<kuza_reflection url_name="p" display_name="Plan">
             <!-- the first question -->
             <prompt name="problem" hint="Where,
                and for whom.">The problem
                in my context</prompt>
             <prompt name="steps">Steps</prompt>
           </kuza_reflection>""",
        runtime, new_keys,
    )
    assert block.display_name == "Plan"
    assert block.prompts == [
        {"name": "problem", "text": "The problem in my context", "hint": "Where, and for whom."},
        {"name": "steps", "text": "Steps"},
    ]


def test_a_plan_without_prompts_keeps_the_default_set_and_writes_none(runtime, new_keys):
    block = parse('<kuza_reflection url_name="p"/>', runtime, new_keys)
    assert block.prompts == [] and not block.fields["prompts"].is_set_on(block)
    assert serialise(block, "p") == '<kuza_reflection url_name="p" xblock-family="xblock.v1"/>\n'


def test_host_settings_mixed_into_the_class_survive_a_round_trip(runtime, new_keys):
    from xblock.fields import Boolean

    class Mixed(ReflectionBlock):
        visible_to_staff_only = Boolean(default=False, scope=ReflectionBlock.display_name.scope)

    node = etree.fromstring('<kuza_reflection url_name="p" visible_to_staff_only="true"/>')
    block = Mixed.parse_xml(node, runtime, new_keys(runtime, "kuza_reflection"))
    assert block.visible_to_staff_only is True
    assert 'visible_to_staff_only="true"' in serialise(block, "p")


MALFORMED = [
    ('<kuza_reflection url_name="p"><prompt name="a"></prompt></kuza_reflection>', 1, "has no text"),
    ('<kuza_reflection url_name="p">\n<prompt name="a">   </prompt></kuza_reflection>', 2, "has no text"),
    ('<kuza_reflection url_name="p">\n  <prompt name="a">A</prompt>\n  <prompt name="a">B</prompt>\n</kuza_reflection>',
     3, 'two prompts are named "a"; the first is on line 2'),
    ('<kuza_reflection url_name="p"><prompt>A</prompt></kuza_reflection>', 1, "has no name"),
    ('<kuza_reflection url_name="p"><prompt name="Big Name">A</prompt></kuza_reflection>', 1, "lower-case letters"),
    ('<kuza_reflection url_name="p"><prompt name="a" colour="red">A</prompt></kuza_reflection>', 1,
     'unknown attribute "colour"'),
    ('<kuza_reflection url_name="p"><prompt name="a">A <b>bold</b></prompt></kuza_reflection>', 1,
     "must contain only text"),
    ('<kuza_reflection url_name="p"><question name="a">A</question></kuza_reflection>', 1, "cannot contain <question>"),
    ('<kuza_reflection url_name="p">Write your plan</kuza_reflection>', 1, "holds text outside any prompt"),
    ('<kuza_reflection url_name="p"><prompt name="a">A</prompt> stray</kuza_reflection>', 1,
     "holds text after <prompt>"),
    ('<kuza_reflection url_name="p" colour="red"/>', 1, 'unknown attribute "colour"'),
    (f'<kuza_reflection url_name="p"><prompt name="a">{"x" * 301}</prompt></kuza_reflection>', 1,
     "longer than 300 characters"),
]


@pytest.mark.parametrize(("olx", "line", "reason"), MALFORMED, ids=[reason for _, _, reason in MALFORMED])
def test_a_malformed_plan_is_refused_with_line_and_reason(runtime, new_keys, olx, line, reason):
    with pytest.raises(OLXError) as refused:
        parse(olx, runtime, new_keys)
    assert reason in refused.value.message
    assert refused.value.line == line


def test_studio_editor_lists_the_editable_fields(runtime, new_keys):
    block = parse(WORKBENCH_SCENARIOS[1][1], runtime, new_keys)
    page = block.studio_view({}).content
    assert 'data-field-name="display_name"' in page and 'data-field-name="prompts"' in page
    assert "Planning a one-stop shop" in page


def test_studio_refuses_prompts_without_text_or_with_one_name(runtime, new_keys):
    from xblock.validation import Validation

    block = parse(WORKBENCH_SCENARIOS[1][1], runtime, new_keys)

    class Data:
        prompts = [{"name": "a", "text": "A"}, {"name": "a", "text": ""}]

    validation = Validation(block.scope_ids.usage_id)
    block.validate_field_data(validation, Data)
    texts = [message.text for message in validation.messages]
    assert any("has no text" in text for text in texts)
    assert any('two prompts are named "a"' in text for text in texts)
