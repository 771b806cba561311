"""Reads and writes a quiz's OLX: its settings as attributes, its questions as one element each.

The form (docs/authoring.md, "Quizzes", has the full reference)::

    <kuza_quiz url_name="ch1-quiz" display_name="Check your understanding" mode="graded" xblock-family="xblock.v1">
      <single_choice id="q1">
        <prompt>Who organises the UN Public Service Awards?</prompt>
        <choice id="a" correct="true" feedback="Yes: UN DESA runs the awards.">UN DESA</choice>
        <choice id="b">UNDP</choice>
        <explanation>The Division for Public Institutions and Digital Government of UN DESA.</explanation>
      </single_choice>
    </kuza_quiz>

Each question element is read by its type in kuza_xblocks.quiz.questions and checked
there too, so a quiz that loads is a quiz that can be graded: every problem is an
OLXError with the line of the element at fault.
"""

from lxml import etree

from kuza_xblocks.errors import OLXError
from kuza_xblocks.olx import IGNORED_ATTRIBUTES
from kuza_xblocks.quiz.questions import QUESTION_TYPES, describe_element, indent_children, type_of


def read_quiz(node: etree._Element) -> tuple[dict[str, str], list[dict]]:
    """Return the quiz's settings attributes, as written, and its questions.

    The settings are left as strings for the block to convert through its fields; only
    ``url_name`` and ``xblock-family``, which are not fields, are left out.
    """
    settings = {name: value for name, value in node.attrib.items() if name not in IGNORED_ATTRIBUTES}
    if (node.text or "").strip():
        raise OLXError(
            f"<{node.tag}> holds text outside any question: put it in a question's <prompt>.",
            line=node.sourceline,
        )
    questions = []
    lines: dict[str, int | None] = {}
    for element in node:
        if (element.tail or "").strip():
            raise OLXError(
                f"<{node.tag}> holds text after <{element.tag}>, outside any question.", line=element.sourceline
            )
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions are not content
        kind = QUESTION_TYPES.get(element.tag)
        if kind is None:
            raise OLXError(
                f"<{element.tag}> is not a question type; use one of: {', '.join(QUESTION_TYPES)}.",
                line=element.sourceline,
            )
        question = kind.from_olx(element)
        problems = kind.validate(question)
        if problems:
            raise OLXError(f"{describe_element(element)}: {'; '.join(problems)}.", line=element.sourceline)
        if question["id"] in lines:
            raise OLXError(
                f'two questions have the id "{question["id"]}"; the first is on line {lines[question["id"]]}.'
                " Give each question of a quiz its own id.",
                line=element.sourceline,
            )
        lines[question["id"]] = element.sourceline
        questions.append(question)
    return settings, questions


def write_quiz(node: etree._Element, settings: dict, questions: list[dict]) -> None:
    """Write ``settings`` as attributes of ``node`` and ``questions`` as its children.

    Settings given as strings are written as they are; booleans as "true"/"false", None
    not at all, anything else with str().
    """
    for name, value in settings.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        node.set(name, value if isinstance(value, str) else str(value))
    for question in questions:
        type_of(question).to_olx(question, node)
    indent_children(node, 0)
