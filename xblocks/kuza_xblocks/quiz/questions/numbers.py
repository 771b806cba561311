"""Numbers: reading what a learner typed, writing one as OLX does, comparing within a tolerance."""

import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

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
