"""Tests for the kuza_quiz OLX through the block: settings through its fields, exact round trips, malformed quizzes refused."""

import pytest
from lxml import etree

from kuza_xblocks.errors import OLXError
from kuza_xblocks.quiz.block import QuizBlock
from kuza_xblocks.quiz.scenarios import WORKBENCH_SCENARIOS

QUESTION = '<true_false id="q" answer="true"><prompt>P</prompt></true_false>'


def parse(olx, runtime, new_keys):
    return QuizBlock.parse_xml(etree.fromstring(olx), runtime, new_keys(runtime, "kuza_quiz"))


def serialise(block, url_name):
    node = etree.Element("unknown")
    node.set("url_name", url_name)  # the host names the block before the block writes itself
    block.add_xml_to_node(node)
    return etree.tostring(node, encoding="unicode") + "\n"


@pytest.mark.parametrize(("title", "olx"), WORKBENCH_SCENARIOS, ids=[title for title, _ in WORKBENCH_SCENARIOS])
def test_every_scenario_round_trips_exactly_through_the_block(runtime, new_keys, title, olx):
    block = parse(olx, runtime, new_keys)
    assert serialise(block, etree.fromstring(olx).get("url_name")) == olx


def test_settings_are_read_through_their_fields(runtime, new_keys):
    block = parse(
        f'<kuza_quiz url_name="x" display_name="D" mode="post_test" question_set="m1" max_attempts="2" pass_mark="0.75"'
        f' weight="2.5" show_answers="never" shuffle="true" xblock-family="xblock.v1">{QUESTION}</kuza_quiz>',
        runtime,
        new_keys,
    )
    assert (block.display_name, block.mode, block.question_set, block.max_attempts) == ("D", "post_test", "m1", 2)
    assert (block.pass_mark, block.weight, block.show_answers, block.shuffle) == (0.75, 2.5, "never", True)
    assert block.questions == [
        {"id": "q", "type": "true_false", "prompt": "P", "explanation": "", "weight": 1.0, "answer": True,
         "feedback_true": "", "feedback_false": ""}
    ]
    set_fields = {name for name, field in block.fields.items() if field.is_set_on(block)}
    assert set_fields == {"display_name", "mode", "question_set", "max_attempts", "pass_mark", "weight",
                          "show_answers", "shuffle", "questions"}


def test_defaults_are_not_written(runtime, new_keys):
    block = parse(f'<kuza_quiz url_name="x">{QUESTION}</kuza_quiz>', runtime, new_keys)
    assert serialise(block, "x").startswith('<kuza_quiz url_name="x" xblock-family="xblock.v1">\n  <true_false')


def test_numbers_are_written_as_authors_write_them(runtime, new_keys):
    block = parse(f'<kuza_quiz url_name="x" weight="2.0" pass_mark=".5">{QUESTION}</kuza_quiz>', runtime, new_keys)
    assert 'pass_mark="0.5" weight="2"' in serialise(block, "x")


def test_an_empty_quiz_round_trips(runtime, new_keys):
    olx = '<kuza_quiz url_name="x" display_name="Soon" xblock-family="xblock.v1"/>\n'
    block = parse(olx, runtime, new_keys)
    assert block.questions == []
    assert serialise(block, "x") == olx


@pytest.mark.parametrize(
    ("olx", "reason"),
    [
        (f'<kuza_quiz url_name="x" attempts="3">{QUESTION}</kuza_quiz>', 'unknown attribute "attempts"'),
        (f'<kuza_quiz url_name="x" questions="[]">{QUESTION}</kuza_quiz>', 'unknown attribute "questions"'),
        (f'<kuza_quiz url_name="x" mode="exam">{QUESTION}</kuza_quiz>', 'mode must be one of graded, practice'),
        (f'<kuza_quiz url_name="x" show_answers="sometimes">{QUESTION}</kuza_quiz>', "show_answers must be one of"),
        (f'<kuza_quiz url_name="x" max_attempts="three">{QUESTION}</kuza_quiz>', 'attribute "max_attempts" has an invalid value'),
        (f'<kuza_quiz url_name="x" max_attempts="-1">{QUESTION}</kuza_quiz>', "max_attempts must be a whole number"),
        (f'<kuza_quiz url_name="x" pass_mark="60">{QUESTION}</kuza_quiz>', "pass_mark must be a fraction from 0 to 1"),
        (f'<kuza_quiz url_name="x" question_set="{"s" * 101}">{QUESTION}</kuza_quiz>', "at most 100 characters"),
        # The three of the issue: no correct answer, an unknown type, a tolerance that is not a number.
        ('<kuza_quiz url_name="x"><single_choice id="q"><prompt>P</prompt><choice id="a">A</choice>'
         '<choice id="b">B</choice></single_choice></kuza_quiz>', "no choice is marked"),
        ('<kuza_quiz url_name="x"><essay id="q"><prompt>P</prompt></essay></kuza_quiz>', "<essay> is not a question type"),
        ('<kuza_quiz url_name="x"><numeric id="q" answer="1" tolerance="a bit"><prompt>P</prompt></numeric></kuza_quiz>',
         "not a number"),
    ],
)
def test_a_malformed_quiz_is_refused_with_a_reason(runtime, new_keys, olx, reason):
    with pytest.raises(OLXError) as error:
        parse(olx, runtime, new_keys)
    assert reason in error.value.message


def test_the_error_names_the_line_of_the_question(runtime, new_keys):
    olx = '<kuza_quiz url_name="x">\n  <true_false id="ok" answer="true"><prompt>P</prompt></true_false>\n  <essay id="q"/>\n</kuza_quiz>'
    with pytest.raises(OLXError) as error:
        parse(olx, runtime, new_keys)
    assert error.value.line == 3


def test_host_settings_mixed_into_the_class_survive_a_round_trip(runtime, new_keys):
    # Open edX mixes its own settings (visible_to_staff_only, …) into every block class.
    from xblock.core import XBlockMixin
    from xblock.fields import Boolean, Scope
    from xblock.runtime import Mixologist

    class StaffOnly(XBlockMixin):
        visible_to_staff_only = Boolean(scope=Scope.settings, default=False)

    mixed = Mixologist([StaffOnly]).mix(QuizBlock)
    olx = (
        f'<kuza_quiz url_name="x" display_name="D" visible_to_staff_only="true" xblock-family="xblock.v1">\n'
        f'  <true_false id="q" answer="true">\n    <prompt>P</prompt>\n  </true_false>\n</kuza_quiz>\n'
    )
    block = mixed.parse_xml(etree.fromstring(olx), runtime, new_keys(runtime, "kuza_quiz"))
    assert block.visible_to_staff_only is True
    assert serialise(block, "x") == olx
