"""The QuestionType base class, the Result of grading, and the checks every type's validate shares."""

import math
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from lxml import etree

from kuza_xblocks.quiz.questions.elements import (
    add_text_element,
    indent_children,
    read_attributes,
    read_children,
    read_number,
    single_child,
    text_of,
)
from kuza_xblocks.quiz.questions.numbers import number_text

ID_PATTERN = re.compile(r"[a-z0-9_-]{1,40}\Z")
SCORINGS = ("all_or_nothing", "partial")


@dataclass(frozen=True)
class Result:
    """How one response to one question was graded."""

    score: float
    correct: bool
    answered: bool
    feedback: tuple[str, ...]
    invalid: bool = False


UNANSWERED = Result(score=0.0, correct=False, answered=False, feedback=())


def scored(score: float, feedback=(), *, invalid: bool = False) -> Result:
    """The Result of an answered response that earned ``score`` (correct only at 1)."""
    return Result(score=score, correct=score == 1, answered=True, feedback=tuple(feedback), invalid=invalid)


def invalid_result() -> Result:
    """The Result of an answered response the rule cannot read: 0, marked invalid."""
    return scored(0.0, invalid=True)


def is_unanswered(response) -> bool:
    """Whether ``response`` is missing, None or empty."""
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, (list, tuple, dict, set, frozenset)):
        return not response
    return False


# Checks shared by the types' validate -------------------------------------------------


def is_number(value) -> bool:
    """Whether ``value`` is a finite int or float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_text(value) -> bool:
    """Whether ``value`` is a string with something besides whitespace."""
    return isinstance(value, str) and bool(value.strip())


def id_problems(ids, what: str) -> list[str]:
    """Problems with ``ids`` of ``what``s: malformed, missing or repeated."""
    problems = []
    seen = set()
    for value in ids:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            problems.append(
                f'{what} id {value!r} must be 1 to 40 lowercase letters, digits, "_" or "-"'
                if value else f"a {what} has no id"
            )
        elif value in seen:
            problems.append(f'two {what}s have the id "{value}"')
        seen.add(value)
    return problems


def duplicate_texts(texts, what: str) -> list[str]:
    """A problem for each of ``texts`` that repeats an earlier one, ignoring surrounding whitespace."""
    seen = set()
    problems = []
    for text in texts:
        key = text.strip() if isinstance(text, str) else text
        if key in seen:
            problems.append(f'two {what} read "{key}": learners could not tell them apart')
        seen.add(key)
    return problems


def record_list(question: dict, key: str, tag: str, minimum: int) -> tuple[list[dict], list[str]]:
    """The list of dicts under ``key`` and the problems with it: not a list, or fewer than ``minimum``."""
    records = question.get(key)
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return [], [f"its {key} must be a list"]
    if len(records) < minimum:
        return records, [f"it needs at least {minimum} {tag}s (<{tag}> elements), but has {len(records)}"]
    return records, []


# The base of the types -----------------------------------------------------------------


class QuestionType(ABC):
    """One kind of question: how it is graded, checked, revealed and written in OLX.

    Subclasses set ``name`` (the ``type`` key and the OLX tag) and implement the
    type-specific parts; grading and checking take a question dict and nothing else.
    """

    name = ""
    # Attributes and child elements of the type's OLX element besides the common ones.
    attributes: tuple[str, ...] = ()
    children: tuple[str, ...] = ()

    @abstractmethod
    def grade(self, question: dict, response) -> Result:
        """Grade ``response``; pure, and never raises on a learner's response."""

    @abstractmethod
    def correct_response(self, question: dict):
        """The response that scores 1, for showing the correct answer."""

    def gives_partial_credit(self, question: dict) -> bool:
        """Whether a response can earn part of the question's points, so a host can say so."""
        return False

    def validate(self, question: dict) -> list[str]:
        """Problems that make ``question`` unusable, each a sentence an author can act on."""
        problems = id_problems([question.get("id")], "question")
        if not is_text(question.get("prompt")):
            problems.append("it has no prompt: write the question in <prompt>")
        if not isinstance(question.get("explanation", ""), str):
            problems.append("its explanation must be text")
        weight = question.get("weight", 1.0)
        if not is_number(weight) or weight <= 0:
            problems.append(f"its weight must be a number greater than 0, not {weight!r}")
        return problems + self.problems(question)

    def problems(self, question: dict) -> list[str]:
        """The type-specific part of validate."""
        return []

    def from_olx(self, element: etree._Element) -> dict:
        """Read a question from its OLX element; raises OLXError, with the line, for what cannot be read."""
        attributes = read_attributes(element, ("id", "weight", *self.attributes))
        children = read_children(element, ("prompt", *self.children, "explanation"))
        weight = attributes.get("weight")
        question = {
            "id": attributes.get("id", ""),
            "type": self.name,
            "prompt": text_of(single_child(children, "prompt", element)),
            "explanation": text_of(single_child(children, "explanation", element)),
            "weight": 1.0 if weight is None else read_number(element, "weight", weight),
        }
        question.update(self.read_olx(element, attributes, [c for c in children if c.tag in self.children]))
        return question

    def read_olx(self, element: etree._Element, attributes: dict[str, str], children: list) -> dict:
        """The type-specific keys of the question, read from its element."""
        return {}

    def to_olx(self, question: dict, parent_element: etree._Element) -> etree._Element:
        """Append the question's OLX element to ``parent_element`` (a quiz) and return it."""
        element = etree.SubElement(parent_element, self.name, {"id": question["id"]})
        add_text_element(element, "prompt", question.get("prompt", ""), 2)
        self.write_olx(question, element)
        weight = question.get("weight", 1.0)
        if weight != 1:
            element.set("weight", number_text(weight))
        if question.get("explanation"):
            add_text_element(element, "explanation", question["explanation"], 2)
        indent_children(element, 1)
        return element

    def write_olx(self, question: dict, element: etree._Element) -> None:
        """Write the type-specific attributes and children (after <prompt>) of the question."""
