"""A plan's prompts: the default set, the rules every prompt set follows, and the answers a form posts for them.

A prompt is ``{"name": ..., "text": ..., "hint": ...}``: ``name`` keys the learner's answer
and never changes once learners have answered; ``text`` labels the answer's box; ``hint``
(optional, may be "") says what a good answer holds.
"""

import re
from collections.abc import Mapping

from kuza_xblocks.i18n import N_

# Lower-case letters, digits, "-" and "_": safe in a form field's name and an element's id.
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
MAX_PROMPTS = 20
MAX_PROMPT_TEXT = 300
# A page of writing per prompt: room for a real plan, not for a pasted book, since every
# submitted version stays in the learner's state.
MAX_ANSWER = 6000
FIELD_PREFIX = "answer-"

# The default set, the steps of an adaptation plan; translated when shown, since an author
# who keeps it writes no prompt text of their own.
DEFAULT_PROMPTS = [
    {
        "name": "problem",
        "text": N_("The problem in my own context"),
        "hint": N_("Which service, where, and what goes wrong for the people who use it today."),
    },
    {
        "name": "affected",
        "text": N_("Who is affected"),
        "hint": N_("The people who use the service, those left out of it, and the staff who run it."),
    },
    {
        "name": "adapt-keep",
        "text": N_("What I would adapt, and what I would keep"),
        "hint": N_("Which parts of the practice fit your context as they are, and which must change."),
    },
    {
        "name": "first-steps",
        "text": N_("My first three steps"),
        "hint": N_("What you will do first, who does it, and by when."),
    },
    {
        "name": "risks",
        "text": N_("Risks"),
        "hint": N_("What could stop the plan, and how you would reduce each risk."),
    },
    {
        "name": "evidence",
        "text": N_("How I will know it works"),
        "hint": N_("What you will measure before and after, and where the figures come from."),
    },
]


class AnswerError(ValueError):
    """A post that the plan's own page cannot have produced: a stale page or a forged request."""


def problems(prompts) -> list[str]:
    """What is wrong with a prompt set, in an author's words ([] if nothing is)."""
    if not isinstance(prompts, list):
        return ["the prompts must be a list"]
    found = []
    if not prompts:
        found.append("a plan needs at least one prompt")
    if len(prompts) > MAX_PROMPTS:
        found.append(f"a plan has at most {MAX_PROMPTS} prompts")
    seen = set()
    for number, prompt in enumerate(prompts, start=1):
        found.extend(prompt_problems(prompt, number))
        name = prompt.get("name") if isinstance(prompt, Mapping) else None
        if isinstance(name, str) and name in seen:
            found.append(f'two prompts are named "{name}": give each prompt a name of its own')
        seen.add(name)
    return found


def prompt_problems(prompt, number: int) -> list[str]:
    """What is wrong with one prompt, the ``number``-th of its set."""
    if not isinstance(prompt, Mapping):
        return [f"prompt {number} is not an object with a name and a text"]
    found = []
    name = prompt.get("name")
    if not isinstance(name, str) or not name:
        found.append(f"prompt {number} has no name")
    elif not NAME.fullmatch(name):
        found.append(
            f'prompt {number} is named "{name}"; a name is 1 to 40 lower-case letters, digits, "-" or "_",'
            " starting with a letter or digit"
        )
    text = prompt.get("text")
    if not isinstance(text, str) or not text.strip():
        found.append(f"prompt {number} ({name or 'no name'}) has no text: write the question the learner answers")
    elif len(text) > MAX_PROMPT_TEXT:
        found.append(f"prompt {number} ({name}) is longer than {MAX_PROMPT_TEXT} characters")
    hint = prompt.get("hint", "")
    if not isinstance(hint, str):
        found.append(f"prompt {number} ({name}) has a hint that is not text")
    unknown = sorted(set(prompt) - {"name", "text", "hint"})
    if unknown:
        found.append(f"prompt {number} ({name}) has unknown keys: {', '.join(unknown)}")
    return found


def field_name(prompt_name: str) -> str:
    """The name of the form field that holds the answer to the prompt ``prompt_name``."""
    return FIELD_PREFIX + prompt_name


def answers_from_form(prompts: list[dict], post: Mapping) -> dict[str, str]:
    """The answer to each prompt from a posted form (a webob MultiDict or a plain mapping).

    Line endings become "\\n", and spaces at either end go; an empty answer is "". Fields
    that name no prompt, such as the host's CSRF token, are ignored. Raises AnswerError for
    an answer over MAX_ANSWER characters or a field sent twice.
    """
    answers = {}
    for prompt in prompts:
        name = field_name(prompt["name"])
        values = post.getall(name) if hasattr(post, "getall") else ([post[name]] if name in post else [])
        values = [value for value in values if isinstance(value, str)]
        if len(values) > 1:
            raise AnswerError(f"{name} was sent more than once")
        text = values[0].replace("\r\n", "\n").replace("\r", "\n").strip() if values else ""
        if len(text) > MAX_ANSWER:
            raise AnswerError(f"{name} is longer than {MAX_ANSWER} characters")
        answers[prompt["name"]] = text
    return answers


def unanswered(prompts: list[dict], answers: Mapping[str, str]) -> list[str]:
    """The names of the prompts that ``answers`` leaves empty, in the prompts' order."""
    return [prompt["name"] for prompt in prompts if not (answers.get(prompt["name"]) or "").strip()]
