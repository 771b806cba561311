"""A case study's facts as a plain dict, read from its stored fields: what a practice library indexes.

The input is the mapping of field names to JSON values that a host stores for the block
(Kuza's ``Block.fields``, a modulestore's fields); fields left out have their defaults. No
block, runtime, Django or rendering is involved, so a server can index every case of every
course in one pass.
"""

import re
from collections.abc import Mapping

from kuza_xblocks.case_study import countries
from kuza_xblocks.markdown.rendering import plain_text

# The summary is what a list of cases shows under each title: one sentence, or the start of one.
SUMMARY_LENGTH = 240
DEFAULT_TITLE = "Case study"
# A sentence ends at a full stop, question or exclamation mark (Latin or Arabic) before a space
# and a word that does not start in lower case: "e.g. a plot" goes on, "2017. Then" ends.
_SENTENCE_END = re.compile(r"[.?!\u061f](?= +[^\s])(?! +[a-zà-ÿ])")
# "[1]", "[2, 5]": numbers of the case's sources, which mean nothing in a list without them.
_CITATION = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")


def case_facts(fields: Mapping) -> dict:
    """The facts of the case whose fields are ``fields``.

    Keys: ``title``, ``institution``, ``country`` (the ISO 3166-1 alpha-2 code, whichever form
    the author wrote, or "" if it names no country), ``region`` and ``level`` (their codes,
    see ``vocabulary``), ``year`` (an int or None), ``award``, ``category``, ``award_year``
    (an int or None), ``sdgs`` (sorted goal numbers) and ``summary`` (plain text: the first
    sentence of the innovation, or of the problem when the innovation is empty, at most
    SUMMARY_LENGTH characters).
    """
    return {
        "title": _text(fields, "display_name") or DEFAULT_TITLE,
        "institution": _text(fields, "institution"),
        "country": countries.alpha_2(_text(fields, "country")),
        "region": _text(fields, "region"),
        "level": _text(fields, "level"),
        "year": _year(fields.get("year")),
        "award": _text(fields, "award"),
        "category": _text(fields, "award_category"),
        "award_year": _year(fields.get("award_year")),
        "sdgs": sorted({goal for goal in fields.get("sdgs") or [] if isinstance(goal, int)}),
        "summary": summary(_text(fields, "innovation") or _text(fields, "problem")),
    }


def summary(markdown_text: str) -> str:
    """The first sentence of ``markdown_text`` as plain text, without citation numbers, cut at a word
    with "…" if it is too long."""
    words = _CITATION.sub("", plain_text(markdown_text))
    match = _SENTENCE_END.search(words)
    if match:
        words = words[: match.start() + 1]
    if len(words) <= SUMMARY_LENGTH:
        return words
    cut = words[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _text(fields: Mapping, name: str) -> str:
    value = fields.get(name)
    return value.strip() if isinstance(value, str) else ""


def _year(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
