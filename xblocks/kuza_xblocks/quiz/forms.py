"""Turns what a learner posted (a plain form, or the same fields as JSON) into responses per question type.

The page names every input after its question, ``q-<question id>``, and, for ordering
and matching, after the option too, ``q-<question id>-<position>``. Options are named by
their position on the learner's page (see layout), never by their authored ids. A field
left empty means the question was not answered, and it is left out of the responses.

The JSON body that the page's script posts is ``{"submission": <token>, "responses":
{<field name>: <value or list of values>}}``: the form's own fields, so both paths decode
alike. What comes back is keyed by question id, in the shapes that questions.grade reads.
"""

import re
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from kuza_xblocks.quiz.layout import Layout

# uuid4 as the page writes it; anything else is not a token this block handed out.
TOKEN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")

# Generous for a typed answer, small enough that a posted value cannot bloat the
# learner's state, which keeps every attempt for ever.
MAX_TEXT = 500


class ResponseError(ValueError):
    """A post that the quiz's own page cannot have produced: a stale page or a forged request."""


def field_name(question_id: str, position: int | None = None) -> str:
    """The name of the input for a question, or for one of its options in ordering and matching."""
    return f"q-{question_id}" if position is None else f"q-{question_id}-{position}"


def form_fields(post) -> dict[str, list[str]]:
    """The fields of a webob form post (a MultiDict), every value a list."""
    fields: dict[str, list[str]] = {}
    for name, value in post.items():
        if isinstance(value, str):  # file uploads are not answers
            fields.setdefault(name, []).append(value)
    return fields


def json_fields(body) -> tuple[str, dict[str, list[str]]]:
    """The submission token and fields of a JSON body; raises ResponseError if it has another shape."""
    if not isinstance(body, Mapping):
        raise ResponseError("the body is not a JSON object")
    responses = body.get("responses", {})
    if not isinstance(responses, Mapping):
        raise ResponseError('"responses" is not an object')
    fields: dict[str, list[str]] = {}
    for name, value in responses.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, bool):
                fields.setdefault(name, []).append("true" if item else "false")
            elif isinstance(item, (str, int, float)):
                fields.setdefault(name, []).append(str(item))
            else:
                raise ResponseError(f"the value of {name!r} is not text")
    token = body.get("submission")
    return (token if isinstance(token, str) else ""), fields


def submission_token(value: str) -> str:
    """The token of the page that was submitted; raises ResponseError if it is not one."""
    token = (value or "").strip().lower()
    if not TOKEN.fullmatch(token):
        raise ResponseError("the submission token is missing or malformed")
    return token


def decode(questions: list[dict], layouts: Mapping[str, Layout], fields: Mapping[str, list[str]]) -> dict:
    """Responses ``{question id: response}`` for the answered questions among ``questions``.

    ``layouts`` are the learner's layouts by question id (layout.question_layout).
    Fields that name no question, such as the host's CSRF token, are ignored. Raises
    ResponseError for a value the page cannot have offered.
    """
    responses = {}
    for question in questions:
        decoder = _DECODERS.get(question.get("type"))
        if decoder is None:
            continue
        response = decoder(question, layouts.get(question["id"], Layout()), fields)
        if response is not None:
            responses[question["id"]] = response
    return responses


def _values(fields, name) -> list[str]:
    values = fields.get(name, [])
    if any(len(value) > MAX_TEXT for value in values):
        raise ResponseError(f"{name} is longer than {MAX_TEXT} characters")
    return values


def _one(fields, name) -> str | None:
    values = [value for value in _values(fields, name) if value.strip()]
    if len(values) > 1:
        raise ResponseError(f"{name} has several values")
    return values[0].strip() if values else None


def _option(layout: Layout, options: list[dict], key: str, name: str) -> dict:
    index = layout.authored_index(key)
    if index is None or index >= len(options):
        raise ResponseError(f"{name} names no option: {key!r}")
    return options[index]


def _single_choice(question, layout, fields):
    name = field_name(question["id"])
    key = _one(fields, name)
    return None if key is None else _option(layout, question["choices"], key, name)["id"]


def _multiple_response(question, layout, fields):
    name = field_name(question["id"])
    chosen = {_option(layout, question["choices"], key, name)["id"] for key in _values(fields, name) if key}
    # Unticked boxes send nothing, so ticking none looks like skipping the question.
    if not chosen:
        return None
    return [choice["id"] for choice in question["choices"] if choice["id"] in chosen]


def _true_false(question, layout, fields):
    name = field_name(question["id"])
    value = _one(fields, name)
    if value is None:
        return None
    if value not in ("true", "false"):
        raise ResponseError(f"{name} is neither true nor false")
    return value == "true"


def _text(question, layout, fields):
    # Kept as typed (numbers too: "3,5" with a decimal comma); the grader normalises it.
    return _one(fields, field_name(question["id"]))


def _ordering(question, layout, fields):
    items = question["items"]
    positions = {}
    for shown, authored in enumerate(layout.options):
        name = field_name(question["id"], shown)
        value = _one(fields, name)
        if value is None:
            continue
        if not value.isdecimal() or not 1 <= int(value) <= len(items):
            raise ResponseError(f"{name} is not a position from 1 to {len(items)}")
        positions[authored] = int(value)
    if not positions:
        return None
    # Items the learner left without a position go last, in the order shown; two items
    # given the same position keep the order shown. The grader scores the order as it
    # stands, so an incomplete answer earns what its placed items earn.
    shown_at = {authored: shown for shown, authored in enumerate(layout.options)}
    ordered = sorted(
        shown_at, key=lambda authored: (positions.get(authored, len(items) + 1), shown_at[authored])
    )
    return [items[authored]["id"] for authored in ordered]


def _matching(question, layout, fields):
    pairs = question["pairs"]
    chosen = {}
    for index, pair in enumerate(pairs):
        name = field_name(question["id"], index)
        key = _one(fields, name)
        if key is not None:
            chosen[pair["id"]] = _option(layout, pairs, key, name)["id"]
    return chosen or None


_DECODERS: dict[str, Callable] = {
    "single_choice": _single_choice,
    "multiple_response": _multiple_response,
    "true_false": _true_false,
    "numeric": _text,
    "short_text": _text,
    "ordering": _ordering,
    "matching": _matching,
}


def redirect_target(return_to: str | None, referer: str | None, host_url: str | None) -> str:
    """Where to send the browser after a form post: back to the page it came from.

    ``return_to`` is the unit's path that the Kuza host adds to every form; it is used only
    if it is a path on this site ("/…", not "//…" or "/\\…", which browsers read as another
    host). Without it (Open edX), the Referer is used if it is on this site
    (``host_url``, such as "https://kuza.example"); else ".", the handler's own folder,
    which hosts send on to the unit.
    """
    if return_to and _is_local_path(return_to):
        return return_to
    origin = _origin(host_url) if host_url else None
    if origin and referer and _origin(referer) == origin and not _UNSAFE.search(referer):
        return referer
    return "."


_UNSAFE = re.compile(r"[\x00-\x20\x7f]")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple | None:
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port


def _is_local_path(value: str) -> bool:
    # Browsers drop tabs and newlines in URLs, so "/\t/evil.example" would be "//evil.example".
    return value.startswith("/") and not value.startswith(("//", "/\\")) and not _UNSAFE.search(value)
