"""Question types: pure grading rules and their OLX form, in a registry keyed by the type's tag name.

A question is a plain, JSON-serialisable dict (the quiz block stores the list of them in
a content field). Keys every type has: ``id``, ``type``, ``prompt`` and ``explanation``
(Markdown) and ``weight``; the keys of each type are described on its class below.

Grading is a pure function of the question and the learner's response, already decoded
by the block: no request, no database, no randomness. A response that is missing, None
or empty is unanswered (score 0); one the rule cannot read (an unknown choice id, a word
where a number was asked) is answered, scores 0 and is marked ``invalid`` so the block
can say why instead of just "wrong". Grading never raises on a learner's response.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from lxml import etree

from kuza_xblocks.errors import OLXError
from kuza_xblocks.olx import read_text

ID_PATTERN = re.compile(r"[a-z0-9_-]{1,40}\Z")
SCORINGS = ("all_or_nothing", "partial")
TOLERANCE_KINDS = ("exact", "absolute", "relative")
EXACT = {"kind": "exact", "value": 0.0}

# A learner's number: an optional sign, digits grouped in threes by spaces or not grouped
# at all, and an optional decimal part after a point or a comma. A point or a comma is
# always the decimal separator, never a thousands separator: "1,234" is one point two three
# four, as in French and Portuguese, and "1,234.5" is refused rather than guessed at.
# Spaces are never decimal separators, so grouping with them is unambiguous. \d is any
# decimal digit, so Arabic-Indic digits work, with the Arabic decimal and thousands signs.
_GROUP = "[ \u00a0\u202f\u2009\u066c]"
_LEARNER_NUMBER = re.compile(
    rf"(?P<sign>[+\-\u2212]?)(?P<whole>\d{{1,3}}(?:{_GROUP}\d{{3}})+|\d*)(?:[.,\u066b](?P<fraction>\d+))?\Z"
)
# Long enough for every float written out in plain digits (5e-324 takes 326 characters);
# refusing longer texts bounds the work of reading one.
_LEARNER_NUMBER_MAX_LENGTH = 1000

# A number in OLX, written by an author: a point for decimals, no grouping, no exponent,
# so a file reads the same in every locale.
_OLX_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\Z")

_INDENT = "  "


@dataclass(frozen=True)
class Result:
    """How one response to one question was graded."""

    score: float
    correct: bool
    answered: bool
    feedback: tuple[str, ...]
    invalid: bool = False


UNANSWERED = Result(score=0.0, correct=False, answered=False, feedback=())


def _scored(score: float, feedback=(), *, invalid: bool = False) -> Result:
    return Result(score=score, correct=score == 1, answered=True, feedback=tuple(feedback), invalid=invalid)


def _invalid() -> Result:
    return _scored(0.0, invalid=True)


def _is_unanswered(response) -> bool:
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, (list, tuple, dict, set, frozenset)):
        return not response
    return False


# Learner input -----------------------------------------------------------------------


def parse_number(text: str) -> Decimal | None:
    """Return the number a learner typed, or None if ``text`` is not one (see _LEARNER_NUMBER)."""
    if not isinstance(text, str) or len(text) > _LEARNER_NUMBER_MAX_LENGTH:
        return None
    match = _LEARNER_NUMBER.match(text.strip())
    if not match or not (match["whole"] or match["fraction"]):
        return None
    digits = "".join(str(unicodedata.decimal(c)) for c in match["whole"] if c.isdecimal()) or "0"
    fraction = "".join(str(unicodedata.decimal(c)) for c in match["fraction"] or "")
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    return Decimal(f"{sign}{digits}.{fraction or '0'}")


def normalise_text(text: str, *, case_sensitive: bool = False, accent_sensitive: bool = False) -> str:
    """Return ``text`` as short-text answers are compared.

    Compatibility forms are unified (a no-break space is a space, "ﬁ" is "fi"), case is
    folded unless ``case_sensitive``, accents and other combining marks (also Arabic
    short-vowel marks) are removed unless ``accent_sensitive``, and whitespace is
    stripped around and collapsed to one space inside.
    """
    text = unicodedata.normalize("NFKD", text)
    if not case_sensitive:
        # Twice, as Unicode's compatibility caseless match does: folding the case can
        # produce characters that decompose further, and those can fold again.
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text.casefold()).casefold())
    if not accent_sensitive:
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(unicodedata.normalize("NFC", text).split())


def _exact(number: float) -> Fraction:
    # The number as the author wrote it (the shortest decimal that gives the float), not
    # the float's binary value: with a tolerance of 0.1 around 1, "1.1" must be right.
    return Fraction(repr(float(number)))


def number_text(number: float) -> str:
    """Write ``number`` as plain decimal digits, as OLX and learners write numbers: 0.5, 9827, 0.00001."""
    return format(Decimal(repr(float(number))).normalize(), "f")


def within_tolerance(value: Decimal, answer: float, tolerance: dict) -> bool:
    """Whether ``value`` is ``answer`` within ``tolerance`` (bounds included), computed exactly."""
    difference = abs(Fraction(value) - _exact(answer))
    kind = tolerance.get("kind", "exact")
    if kind == "absolute":
        return difference <= _exact(tolerance["value"])
    if kind == "relative":
        return difference <= _exact(tolerance["value"]) * abs(_exact(answer))
    return difference == 0


# Checks shared by the types' validate -------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _id_problems(ids, what: str) -> list[str]:
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


def _duplicate_texts(texts, what: str) -> list[str]:
    seen = set()
    problems = []
    for text in texts:
        key = text.strip() if isinstance(text, str) else text
        if key in seen:
            problems.append(f'two {what} read "{key}": learners could not tell them apart')
        seen.add(key)
    return problems


def _records(question: dict, key: str, tag: str, minimum: int) -> tuple[list[dict], list[str]]:
    records = question.get(key)
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return [], [f"its {key} must be a list"]
    if len(records) < minimum:
        return records, [f"it needs at least {minimum} {tag}s (<{tag}> elements), but has {len(records)}"]
    return records, []


# OLX reading and writing shared by the types -------------------------------------------


def describe_element(element: etree._Element) -> str:
    """Name an OLX element as an author finds it in the file: <single_choice id="q1">."""
    identifier = element.get("id")
    return f'<{element.tag} id="{identifier}">' if identifier else f"<{element.tag}>"


def _attributes(element: etree._Element, allowed: tuple[str, ...]) -> dict[str, str]:
    """Return the attributes of ``element``, refusing any it does not accept."""
    for name in element.attrib:
        if name not in allowed:
            raise OLXError(
                f'{describe_element(element)} has an unknown attribute "{name}"; it accepts {_list(allowed)}.',
                line=element.sourceline,
            )
    return dict(element.attrib)


def _children(element: etree._Element, allowed: tuple[str, ...]) -> list[etree._Element]:
    """Return the child elements of ``element``, refusing unknown ones and text between them."""
    children = []
    if (element.text or "").strip():
        raise OLXError(
            f"{describe_element(element)} holds text outside its {_list(f'<{t}>' for t in allowed)}: "
            f"move the text into one of them.",
            line=element.sourceline,
        )
    for child in element:
        if (child.tail or "").strip():
            raise OLXError(
                f"{describe_element(element)} holds text after <{child.tag}>, outside any element of the question.",
                line=child.sourceline,
            )
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions are not content
        if child.tag not in allowed:
            raise OLXError(
                f"{describe_element(element)} cannot contain <{child.tag}>; it holds {_list(f'<{t}>' for t in allowed)}.",
                line=child.sourceline,
            )
        children.append(child)
    return children


def _list(names) -> str:
    names = list(names)
    if not names:
        return "no attributes"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _boolean(element: etree._Element, name: str, default: bool) -> bool:
    raw = element.get(name)
    if raw is None:
        return default
    if raw.strip().lower() not in ("true", "false"):
        raise OLXError(
            f'{describe_element(element)} attribute "{name}" must be "true" or "false", not "{raw}".',
            line=element.sourceline,
        )
    return raw.strip().lower() == "true"


def _olx_decimal(element: etree._Element, name: str, raw: str, *, hint: str = "") -> Decimal:
    text = raw.strip()
    if not _OLX_NUMBER.match(text):
        comma = " OLX numbers use a decimal point, not a comma." if "," in text else ""
        raise OLXError(
            f'{describe_element(element)} attribute "{name}" is "{raw}", which is not a number{hint}.{comma}',
            line=element.sourceline,
        )
    return Decimal(text)


def _finite(element: etree._Element, name: str, raw: str, value: float) -> float:
    if not math.isfinite(value):
        raise OLXError(f'{describe_element(element)} attribute "{name}" is too large: "{raw}".',
                       line=element.sourceline)
    return value


def _olx_number(element: etree._Element, name: str, raw: str, *, hint: str = "") -> float:
    return _finite(element, name, raw, float(_olx_decimal(element, name, raw, hint=hint)))


def _single(children: list[etree._Element], tag: str, parent: etree._Element) -> etree._Element | None:
    found = [child for child in children if child.tag == tag]
    if len(found) > 1:
        raise OLXError(f"{describe_element(parent)} has more than one <{tag}>.", line=found[1].sourceline)
    return found[0] if found else None


def _text_of(element: etree._Element | None) -> str:
    return "" if element is None else read_text(element)


def _set_text(element: etree._Element, text: str, depth: int) -> None:
    # One line is written inline, <prompt>like this</prompt>; longer text flush left
    # between newlines, as kuza_xblocks.olx's text rule reads back exactly.
    if not text:
        element.text = None
    elif "\n" not in text:
        element.text = text
    else:
        element.text = f"\n{text}\n{_INDENT * depth}"


def indent_children(element: etree._Element, depth: int) -> None:
    """Put each child of ``element`` (at ``depth``) on its own line, indented one level deeper."""
    children = list(element)
    if not children:
        return
    element.text = "\n" + _INDENT * (depth + 1)
    for child in children:
        child.tail = "\n" + _INDENT * (depth + 1)
    children[-1].tail = "\n" + _INDENT * depth


def _text_element(parent: etree._Element, tag: str, text: str, depth: int, **attributes) -> etree._Element:
    element = etree.SubElement(parent, tag, {name: value for name, value in attributes.items() if value is not None})
    _set_text(element, text, depth)
    return element


# The types -----------------------------------------------------------------------------


class QuestionType:
    """One kind of question: how it is graded, checked, revealed and written in OLX.

    Subclasses set ``name`` (the ``type`` key and the OLX tag) and implement the
    type-specific parts; grading and checking take a question dict and nothing else.
    """

    name = ""
    # Attributes and child elements of the type's OLX element besides the common ones.
    attributes: tuple[str, ...] = ()
    children: tuple[str, ...] = ()

    def grade(self, question: dict, response) -> Result:
        """Grade ``response``; pure, and never raises on a learner's response."""
        raise NotImplementedError

    def correct_response(self, question: dict):
        """The response that scores 1, for showing the correct answer."""
        raise NotImplementedError

    def validate(self, question: dict) -> list[str]:
        """Problems that make ``question`` unusable, each a sentence an author can act on."""
        problems = _id_problems([question.get("id")], "question")
        if not _is_text(question.get("prompt")):
            problems.append("it has no prompt: write the question in <prompt>")
        if not isinstance(question.get("explanation", ""), str):
            problems.append("its explanation must be text")
        weight = question.get("weight", 1.0)
        if not _is_number(weight) or weight <= 0:
            problems.append(f"its weight must be a number greater than 0, not {weight!r}")
        return problems + self.problems(question)

    def problems(self, question: dict) -> list[str]:
        """The type-specific part of validate."""
        return []

    def from_olx(self, element: etree._Element) -> dict:
        """Read a question from its OLX element; raises OLXError, with the line, for what cannot be read."""
        attributes = _attributes(element, ("id", "weight", *self.attributes))
        children = _children(element, ("prompt", *self.children, "explanation"))
        weight = attributes.get("weight")
        question = {
            "id": attributes.get("id", ""),
            "type": self.name,
            "prompt": _text_of(_single(children, "prompt", element)),
            "explanation": _text_of(_single(children, "explanation", element)),
            "weight": 1.0 if weight is None else _olx_number(element, "weight", weight),
        }
        question.update(self.read_olx(element, attributes, [c for c in children if c.tag in self.children]))
        return question

    def read_olx(self, element: etree._Element, attributes: dict[str, str], children: list) -> dict:
        """The type-specific keys of the question, read from its element."""
        return {}

    def to_olx(self, question: dict, parent_element: etree._Element) -> etree._Element:
        """Append the question's OLX element to ``parent_element`` (a quiz) and return it."""
        element = etree.SubElement(parent_element, self.name, {"id": question["id"]})
        _text_element(element, "prompt", question.get("prompt", ""), 2)
        self.write_olx(question, element)
        weight = question.get("weight", 1.0)
        if weight != 1:
            element.set("weight", number_text(weight))
        if question.get("explanation"):
            _text_element(element, "explanation", question["explanation"], 2)
        indent_children(element, 1)
        return element

    def write_olx(self, question: dict, element: etree._Element) -> None:
        """Write the type-specific attributes and children (after <prompt>) of the question."""


class _ChoiceType(QuestionType):
    """Shared by single choice and multiple response: ``choices``, each ``{id, text, correct, feedback}``."""

    children = ("choice",)

    def problems(self, question: dict) -> list[str]:
        choices, problems = _records(question, "choices", "choice", 2)
        problems += _id_problems([c.get("id") for c in choices], "choice")
        for choice in choices:
            if not _is_text(choice.get("text")):
                problems.append(f'choice "{choice.get("id")}" has no text')
            if not isinstance(choice.get("correct"), bool):
                problems.append(f'choice "{choice.get("id")}" must say whether it is correct (true or false)')
            if not isinstance(choice.get("feedback", ""), str):
                problems.append(f'the feedback of choice "{choice.get("id")}" must be text')
        problems += _duplicate_texts([c.get("text") for c in choices if _is_text(c.get("text"))], "choices")
        return problems + self.correct_count_problems(sum(c.get("correct") is True for c in choices))

    def correct_count_problems(self, count: int) -> list[str]:
        return []

    def read_olx(self, element, attributes, children) -> dict:
        choices = []
        for child in children:
            _attributes(child, ("id", "correct", "feedback"))
            choices.append({
                "id": child.get("id", ""),
                "text": read_text(child),
                "correct": _boolean(child, "correct", False),
                "feedback": child.get("feedback", ""),
            })
        return {"choices": choices}

    def write_olx(self, question, element) -> None:
        for choice in question["choices"]:
            _text_element(
                element, "choice", choice["text"], 2,
                id=choice["id"],
                correct="true" if choice.get("correct") else None,
                feedback=choice.get("feedback") or None,
            )

    @staticmethod
    def _feedback(question: dict, chosen) -> list[str]:
        return [c["feedback"] for c in question["choices"] if c["id"] in chosen and c.get("feedback")]


class SingleChoice(_ChoiceType):
    """One right choice among several. Response: the chosen choice's id."""

    name = "single_choice"

    def correct_count_problems(self, count: int) -> list[str]:
        if count == 0:
            return ['no choice is marked correct="true"; mark exactly one']
        if count > 1:
            return [f'{count} choices are marked correct="true", but a single choice question has exactly one'
                    " (use <multiple_response> to accept several)"]
        return []

    def grade(self, question, response) -> Result:
        if _is_unanswered(response):
            return UNANSWERED
        choice = next((c for c in question["choices"] if c["id"] == response), None)
        if choice is None:
            return _invalid()
        return _scored(1.0 if choice["correct"] else 0.0, self._feedback(question, {response}))

    def correct_response(self, question):
        return next(c["id"] for c in question["choices"] if c["correct"])


class MultipleResponse(_ChoiceType):
    """Several right choices. Response: the list of chosen ids.

    ``scoring`` "all_or_nothing": 1 for exactly the right set, else 0. "partial": (right
    choices chosen - wrong choices chosen) / right choices, at least 0, so choosing
    everything earns nothing.
    """

    name = "multiple_response"
    attributes = ("scoring",)

    def problems(self, question):
        problems = super().problems(question)
        if question.get("scoring", "all_or_nothing") not in SCORINGS:
            problems.append(f'its scoring must be "all_or_nothing" or "partial", not "{question.get("scoring")}"')
        return problems

    def correct_count_problems(self, count: int) -> list[str]:
        return [] if count else ['no choice is marked correct="true"; mark at least one']

    def read_olx(self, element, attributes, children) -> dict:
        return {**super().read_olx(element, attributes, children), "scoring": attributes.get("scoring", "all_or_nothing")}

    def write_olx(self, question, element) -> None:
        if question.get("scoring", "all_or_nothing") != "all_or_nothing":
            element.set("scoring", question["scoring"])
        super().write_olx(question, element)

    def grade(self, question, response) -> Result:
        if _is_unanswered(response):
            return UNANSWERED
        if not isinstance(response, (list, tuple, set, frozenset)) or not all(isinstance(r, str) for r in response):
            return _invalid()
        chosen = set(response)
        ids = {c["id"] for c in question["choices"]}
        right = {c["id"] for c in question["choices"] if c["correct"]}
        feedback = self._feedback(question, chosen)
        if not chosen <= ids:
            return _scored(0.0, feedback, invalid=True)
        if question.get("scoring", "all_or_nothing") == "partial":
            score = max(0.0, (len(chosen & right) - len(chosen - right)) / len(right))
        else:
            score = 1.0 if chosen == right else 0.0
        return _scored(score, feedback)

    def correct_response(self, question):
        return [c["id"] for c in question["choices"] if c["correct"]]


class TrueFalse(QuestionType):
    """A statement that is true or false. ``answer``: bool; ``feedback_true``/``feedback_false``
    are shown for the option the learner picked. Response: a bool."""

    name = "true_false"
    attributes = ("answer", "feedback_true", "feedback_false")

    def problems(self, question):
        problems = []
        if not isinstance(question.get("answer"), bool):
            problems.append('its answer must be "true" or "false"')
        for key in ("feedback_true", "feedback_false"):
            if not isinstance(question.get(key, ""), str):
                problems.append(f"its {key} must be text")
        return problems

    def read_olx(self, element, attributes, children) -> dict:
        if "answer" not in attributes:
            raise OLXError(f'{describe_element(element)} has no answer: add answer="true" or answer="false".',
                           line=element.sourceline)
        return {
            "answer": _boolean(element, "answer", False),
            "feedback_true": attributes.get("feedback_true", ""),
            "feedback_false": attributes.get("feedback_false", ""),
        }

    def write_olx(self, question, element) -> None:
        element.set("answer", "true" if question["answer"] else "false")
        for key in ("feedback_true", "feedback_false"):
            if question.get(key):
                element.set(key, question[key])

    def grade(self, question, response) -> Result:
        if _is_unanswered(response):
            return UNANSWERED
        if not isinstance(response, bool):
            return _invalid()
        feedback = question.get("feedback_true" if response else "feedback_false") or ""
        return _scored(1.0 if response == question["answer"] else 0.0, [feedback] if feedback else [])

    def correct_response(self, question):
        return question["answer"]


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
        if not _is_number(answer):
            problems.append(f"its answer must be a number, not {answer!r}")
        tolerance = question.get("tolerance", EXACT)
        if not isinstance(tolerance, dict) or tolerance.get("kind") not in TOLERANCE_KINDS:
            problems.append('its tolerance must have a kind "exact", "absolute" or "relative"')
        elif not _is_number(tolerance.get("value")) or tolerance["value"] < 0:
            problems.append(f"its tolerance must be a number, 0 or more, not {tolerance.get('value')!r}")
        elif tolerance["kind"] == "relative" and _is_number(answer) and answer == 0 and tolerance["value"] > 0:
            problems.append(
                "a relative tolerance around an answer of 0 accepts only 0 itself; "
                'give an absolute tolerance instead, such as tolerance="0.01"'
            )
        return problems

    def read_olx(self, element, attributes, children) -> dict:
        if "answer" not in attributes:
            raise OLXError(f'{describe_element(element)} has no answer: add answer="…" with the number.',
                           line=element.sourceline)
        answer = _olx_number(element, "answer", attributes["answer"])
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
        number = _olx_decimal(element, "tolerance", text[:-1].strip() if relative else text, hint=hint)
        if number == 0:
            return dict(EXACT)
        if relative:
            # Divided as written, exactly, then rounded once: 7 / 100 in floats is not 0.07.
            with localcontext() as context:
                context.prec = len(text) + 3
                number = number / 100
        return {"kind": "relative" if relative else "absolute", "value": _finite(element, "tolerance", raw, float(number))}

    def write_olx(self, question, element) -> None:
        element.set("answer", number_text(question["answer"]))
        tolerance = question.get("tolerance", EXACT)
        if tolerance["kind"] == "absolute" and tolerance["value"]:
            element.set("tolerance", number_text(tolerance["value"]))
        elif tolerance["kind"] == "relative" and tolerance["value"]:
            percent = Decimal(repr(float(tolerance["value"]))) * 100
            element.set("tolerance", f"{format(percent.normalize(), 'f')}%")

    def grade(self, question, response) -> Result:
        if _is_unanswered(response):
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
            return _invalid()
        return _scored(1.0 if within_tolerance(value, question["answer"], question.get("tolerance", EXACT)) else 0.0)

    def correct_response(self, question):
        return number_text(question["answer"])


class ShortText(QuestionType):
    """A word or phrase. ``answers``: the accepted texts; ``case_sensitive`` and
    ``accent_sensitive`` (both false by default) say what normalise_text keeps.
    Response: the text the learner typed."""

    name = "short_text"
    attributes = ("case_sensitive", "accent_sensitive")
    children = ("answer",)

    def problems(self, question):
        problems = []
        answers = question.get("answers")
        if not isinstance(answers, list) or not answers:
            problems.append("it has no accepted answer: add at least one <answer>")
        elif not all(_is_text(a) for a in answers):
            problems.append("an accepted answer is empty")
        for key in ("case_sensitive", "accent_sensitive"):
            if not isinstance(question.get(key, False), bool):
                problems.append(f"its {key} must be true or false")
        return problems

    def read_olx(self, element, attributes, children) -> dict:
        for child in children:
            _attributes(child, ())
        return {
            "answers": [read_text(child) for child in children],
            "case_sensitive": _boolean(element, "case_sensitive", False),
            "accent_sensitive": _boolean(element, "accent_sensitive", False),
        }

    def write_olx(self, question, element) -> None:
        for key in ("case_sensitive", "accent_sensitive"):
            if question.get(key):
                element.set(key, "true")
        for answer in question["answers"]:
            _text_element(element, "answer", answer, 2)

    def grade(self, question, response) -> Result:
        if _is_unanswered(response):
            return UNANSWERED
        if not isinstance(response, str):
            return _invalid()
        options = {
            "case_sensitive": question.get("case_sensitive", False),
            "accent_sensitive": question.get("accent_sensitive", False),
        }
        given = normalise_text(response, **options)
        accepted = {normalise_text(answer, **options) for answer in question["answers"]}
        return _scored(1.0 if given in accepted else 0.0)

    def correct_response(self, question):
        return question["answers"][0]


class Ordering(QuestionType):
    """Items to put in order. ``items``: ``{id, text}`` in the correct order; ``scoring``
    "all_or_nothing" or "partial" (items in their correct place / items).
    Response: the item ids in the learner's order."""

    name = "ordering"
    attributes = ("scoring",)
    children = ("item",)

    def problems(self, question):
        items, problems = _records(question, "items", "item", 2)
        problems += _id_problems([i.get("id") for i in items], "item")
        for item in items:
            if not _is_text(item.get("text")):
                problems.append(f'item "{item.get("id")}" has no text')
        problems += _duplicate_texts([i.get("text") for i in items if _is_text(i.get("text"))], "items")
        if question.get("scoring", "all_or_nothing") not in SCORINGS:
            problems.append(f'its scoring must be "all_or_nothing" or "partial", not "{question.get("scoring")}"')
        return problems

    def read_olx(self, element, attributes, children) -> dict:
        items = []
        for child in children:
            _attributes(child, ("id",))
            items.append({"id": child.get("id", ""), "text": read_text(child)})
        return {"items": items, "scoring": attributes.get("scoring", "all_or_nothing")}

    def write_olx(self, question, element) -> None:
        if question.get("scoring", "all_or_nothing") != "all_or_nothing":
            element.set("scoring", question["scoring"])
        for item in question["items"]:
            _text_element(element, "item", item["text"], 2, id=item["id"])

    def grade(self, question, response) -> Result:
        if _is_unanswered(response):
            return UNANSWERED
        expected = [item["id"] for item in question["items"]]
        # Anything but a rearrangement of the items (a tampered form) cannot be graded.
        if (
            not isinstance(response, (list, tuple))
            or not all(isinstance(given, str) for given in response)
            or sorted(response) != sorted(expected)
        ):
            return _invalid()
        in_place = sum(given == wanted for given, wanted in zip(response, expected))
        if question.get("scoring", "all_or_nothing") == "partial":
            return _scored(in_place / len(expected))
        return _scored(1.0 if in_place == len(expected) else 0.0)

    def correct_response(self, question):
        return [item["id"] for item in question["items"]]


class Matching(QuestionType):
    """Pairs to match. ``pairs``: ``{id, left, right}``; score = pairs matched right / pairs.
    Response: {pair id: id of the pair whose right side the learner chose for its left side}."""

    name = "matching"
    children = ("pair",)

    def problems(self, question):
        pairs, problems = _records(question, "pairs", "pair", 2)
        problems += _id_problems([p.get("id") for p in pairs], "pair")
        for side in ("left", "right"):
            for pair in pairs:
                if not _is_text(pair.get(side)):
                    problems.append(f'pair "{pair.get("id")}" has no <{side}> text')
            problems += _duplicate_texts([p.get(side) for p in pairs if _is_text(p.get(side))], f"{side} sides")
        return problems

    def read_olx(self, element, attributes, children) -> dict:
        pairs = []
        for child in children:
            _attributes(child, ("id",))
            sides = _children(child, ("left", "right"))
            pairs.append({
                "id": child.get("id", ""),
                "left": _text_of(_single(sides, "left", child)),
                "right": _text_of(_single(sides, "right", child)),
            })
        return {"pairs": pairs}

    def write_olx(self, question, element) -> None:
        for pair in question["pairs"]:
            pair_element = etree.SubElement(element, "pair", {"id": pair["id"]})
            _text_element(pair_element, "left", pair["left"], 3)
            _text_element(pair_element, "right", pair["right"], 3)
            indent_children(pair_element, 2)

    def grade(self, question, response) -> Result:
        if _is_unanswered(response):
            return UNANSWERED
        if not isinstance(response, dict):
            return _invalid()
        chosen = {key: value for key, value in response.items() if not _is_unanswered(value)}
        if not chosen:
            return UNANSWERED
        pairs = question["pairs"]
        return _scored(sum(chosen.get(pair["id"]) == pair["id"] for pair in pairs) / len(pairs))

    def correct_response(self, question):
        return {pair["id"]: pair["id"] for pair in question["pairs"]}


QUESTION_TYPES: dict[str, QuestionType] = {
    kind.name: kind
    for kind in (SingleChoice(), MultipleResponse(), TrueFalse(), Numeric(), ShortText(), Ordering(), Matching())
}


def _type_of(question: dict) -> QuestionType:
    kind = question.get("type") if isinstance(question, dict) else None
    if kind not in QUESTION_TYPES:
        raise ValueError(f"{kind!r} is not a question type; use one of: {', '.join(QUESTION_TYPES)}")
    return QUESTION_TYPES[kind]


def grade(question: dict, response) -> Result:
    """Grade ``response`` to ``question`` by the rule of its type."""
    return _type_of(question).grade(question, response)


def validate(question: dict) -> list[str]:
    """Problems that make ``question`` unusable (empty when it is fine)."""
    kind = question.get("type") if isinstance(question, dict) else None
    if kind not in QUESTION_TYPES:
        return [f"{kind!r} is not a question type; use one of: {', '.join(QUESTION_TYPES)}"]
    return QUESTION_TYPES[kind].validate(question)


def max_points(questions: list[dict]) -> float:
    """The points a perfect attempt earns: the sum of the questions' weights."""
    return math.fsum(question.get("weight", 1.0) for question in questions)


def score_attempt(questions: list[dict], responses: dict) -> tuple[float, dict[str, Result]]:
    """Grade one attempt: (points earned, {question id: Result}); a question with no response scores 0."""
    results = {question["id"]: grade(question, responses.get(question["id"])) for question in questions}
    earned = math.fsum(question.get("weight", 1.0) * results[question["id"]].score for question in questions)
    return earned, results
