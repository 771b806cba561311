"""QUESTION_TYPES, the registry keyed by type name, and the functions that dispatch on a question's type."""

import math

from kuza_xblocks.quiz.questions.arrangement import Matching, Ordering
from kuza_xblocks.quiz.questions.base import QuestionType, Result
from kuza_xblocks.quiz.questions.choice import MultipleResponse, SingleChoice, TrueFalse
from kuza_xblocks.quiz.questions.numeric import Numeric
from kuza_xblocks.quiz.questions.short_text import ShortText

QUESTION_TYPES: dict[str, QuestionType] = {
    kind.name: kind
    for kind in (SingleChoice(), MultipleResponse(), TrueFalse(), Numeric(), ShortText(), Ordering(), Matching())
}


def type_of(question: dict) -> QuestionType:
    """The type of ``question``; raises ValueError if it names none."""
    kind = question.get("type") if isinstance(question, dict) else None
    if kind not in QUESTION_TYPES:
        raise ValueError(f"{kind!r} is not a question type; use one of: {', '.join(QUESTION_TYPES)}")
    return QUESTION_TYPES[kind]


def grade(question: dict, response) -> Result:
    """Grade ``response`` to ``question`` by the rule of its type."""
    return type_of(question).grade(question, response)


def validate(question: dict) -> list[str]:
    """Problems that make ``question`` unusable (empty when it is fine)."""
    try:
        kind = type_of(question)
    except ValueError as error:
        return [str(error)]
    return kind.validate(question)


def partial_credit_types(questions: list[dict]) -> tuple[str, ...]:
    """The types of ``questions`` that give part of a point, once each, in the order first met;
    a question whose type is unknown gives none."""
    found: list[str] = []
    for question in questions:
        kind = QUESTION_TYPES.get(question.get("type") if isinstance(question, dict) else None)
        if kind is not None and kind.name not in found and kind.gives_partial_credit(question):
            found.append(kind.name)
    return tuple(found)


def max_points(questions: list[dict]) -> float:
    """The points a perfect attempt earns: the sum of the questions' weights."""
    return math.fsum(question.get("weight", 1.0) for question in questions)


def score_attempt(questions: list[dict], responses: dict) -> tuple[float, dict[str, Result]]:
    """Grade one attempt: (points earned, {question id: Result}); a question with no response scores 0."""
    results = {question["id"]: grade(question, responses.get(question["id"])) for question in questions}
    earned = math.fsum(question.get("weight", 1.0) * results[question["id"]].score for question in questions)
    return earned, results
