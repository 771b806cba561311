"""The numeric type: a number within a tolerance, absolute or relative."""

import math
from decimal import Decimal, localcontext

from kuza_xblocks.errors import OLXError
from kuza_xblocks.quiz.questions.base import (
    UNANSWERED,
    QuestionType,
    Result,
    invalid_result,
    is_number,
    is_unanswered,
    scored,
)
from kuza_xblocks.quiz.questions.elements import describe_element, read_decimal, read_number, require_finite
from kuza_xblocks.quiz.questions.numbers import number_text, parse_number, within_tolerance

TOLERANCE_KINDS = ("exact", "absolute", "relative")
EXACT = {"kind": "exact", "value": 0.0}


class Numeric(QuestionType):
    """A number. ``answer``: float; ``tolerance``: {"kind": "exact"|"absolute"|"relative", "value"}.

    Absolute: right within answer ± value. Relative: within answer ± value × |answer|
    (value is a fraction: 0.05 is 5%). Bounds are included, and computed on the numbers
    as written, so 1.1 is within 0.1 of 1. Response: the text the learner typed (see
    parse_number for what is read as a number).
    """

    name = "numeric"
    attributes = ("answer", "tolerance")

    def problems(self, question):
        problems = []
        answer = question.get("answer")
        if not is_number(answer):
            problems.append(f"its answer must be a number, not {answer!r}")
        tolerance = question.get("tolerance", EXACT)
        if not isinstance(tolerance, dict) or tolerance.get("kind") not in TOLERANCE_KINDS:
            problems.append('its tolerance must have a kind "exact", "absolute" or "relative"')
        elif not is_number(tolerance.get("value")) or tolerance["value"] < 0:
            problems.append(f"its tolerance must be a number, 0 or more, not {tolerance.get('value')!r}")
        elif tolerance["kind"] == "relative" and is_number(answer) and answer == 0 and tolerance["value"] > 0:
            problems.append(
                "a relative tolerance around an answer of 0 accepts only 0 itself; "
                'give an absolute tolerance instead, such as tolerance="0.01"'
            )
        return problems

    def read_olx(self, element, attributes, children) -> dict:
        if "answer" not in attributes:
            raise OLXError(f'{describe_element(element)} has no answer: add answer="…" with the number.',
                           line=element.sourceline)
        answer = read_number(element, "answer", attributes["answer"])
        return {"answer": answer, "tolerance": self._read_tolerance(element, attributes.get("tolerance"))}

    @staticmethod
    def _read_tolerance(element, raw: str | None) -> dict:
        if raw is None:
            return dict(EXACT)
        text = raw.strip()
        relative = text.endswith("%")
        hint = (': write an absolute tolerance such as tolerance="0.5", '
                'a relative one such as tolerance="5%", or tolerance="0" for an exact answer')
        if text.startswith("-"):
            raise OLXError(f'{describe_element(element)} tolerance "{raw}" is negative; a tolerance is 0 or more.',
                           line=element.sourceline)
        number = read_decimal(element, "tolerance", text[:-1].strip() if relative else text, hint=hint)
        if number == 0:
            return dict(EXACT)
        if relative:
            # Divided as written, exactly, then rounded once: 7 / 100 in floats is not 0.07.
            with localcontext() as context:
                context.prec = len(text) + 3
                number = number / 100
        return {"kind": "relative" if relative else "absolute",
                "value": require_finite(element, "tolerance", raw, float(number))}

    def write_olx(self, question, element) -> None:
        element.set("answer", number_text(question["answer"]))
        tolerance = question.get("tolerance", EXACT)
        if tolerance["kind"] == "absolute" and tolerance["value"]:
            element.set("tolerance", number_text(tolerance["value"]))
        elif tolerance["kind"] == "relative" and tolerance["value"]:
            percent = Decimal(repr(float(tolerance["value"]))) * 100
            element.set("tolerance", f"{format(percent.normalize(), 'f')}%")

    def grade(self, question, response) -> Result:
        if is_unanswered(response):
            return UNANSWERED
        if isinstance(response, bool):
            value = None
        elif isinstance(response, int):
            value = Decimal(response)
        elif isinstance(response, float):
            # A JSON client may send a number; read it as it would be written.
            value = Decimal(repr(response)) if math.isfinite(response) else None
        else:
            value = parse_number(response)
        if value is None:
            return invalid_result()
        return scored(1.0 if within_tolerance(value, question["answer"], question.get("tolerance", EXACT)) else 0.0)

    def correct_response(self, question):
        return number_text(question["answer"])
