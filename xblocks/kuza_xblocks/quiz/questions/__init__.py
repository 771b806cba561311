"""Question types: pure grading rules and their OLX form, in a registry keyed by the type's tag name.

A question is a plain, JSON-serialisable dict (the quiz block stores the list of them in
a content field). Keys every type has: ``id``, ``type``, ``prompt`` and ``explanation``
(Markdown) and ``weight``; the keys of each type are described on its class.

Grading is a pure function of the question and the learner's response, already decoded
by the block: no request, no database, no randomness. A response that is missing, None
or empty is unanswered (score 0); one the rule cannot read (an unknown choice id, a word
where a number was asked) is answered, scores 0 and is marked ``invalid`` so the block
can say why instead of just "wrong". Grading never raises on a learner's response.

The modules: ``registry`` (QUESTION_TYPES, grade, validate, scoring an attempt), ``base``
(QuestionType, Result, the checks the types share), one module per family of types
(``choice``, ``numeric``, ``short_text``, ``arrangement``), ``elements`` (reading and
writing question elements in OLX), ``numbers`` and ``text`` (learners' numbers and texts).
Import from this package; the names below are its public interface.
"""

from kuza_xblocks.quiz.questions.arrangement import Matching, Ordering
from kuza_xblocks.quiz.questions.base import ID_PATTERN, SCORINGS, UNANSWERED, QuestionType, Result, is_number
from kuza_xblocks.quiz.questions.choice import MultipleResponse, SingleChoice, TrueFalse
from kuza_xblocks.quiz.questions.elements import describe_element, indent_children
from kuza_xblocks.quiz.questions.numbers import number_text, parse_number, within_tolerance
from kuza_xblocks.quiz.questions.numeric import EXACT, TOLERANCE_KINDS, Numeric
from kuza_xblocks.quiz.questions.registry import (QUESTION_TYPES, grade, max_points, partial_credit_types, score_attempt,
                                                   type_of, validate)
from kuza_xblocks.quiz.questions.short_text import ShortText
from kuza_xblocks.quiz.questions.text import normalise_text

__all__ = [
    "EXACT",
    "ID_PATTERN",
    "QUESTION_TYPES",
    "SCORINGS",
    "TOLERANCE_KINDS",
    "UNANSWERED",
    "Matching",
    "MultipleResponse",
    "Numeric",
    "Ordering",
    "QuestionType",
    "Result",
    "ShortText",
    "SingleChoice",
    "TrueFalse",
    "describe_element",
    "grade",
    "indent_children",
    "is_number",
    "max_points",
    "normalise_text",
    "number_text",
    "parse_number",
    "partial_credit_types",
    "score_attempt",
    "type_of",
    "validate",
    "within_tolerance",
]
