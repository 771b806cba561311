"""Reads and writes a plan's OLX: its settings as attributes, its prompts as one element each.

The form (docs/authoring.md, "Adaptation plans", has the full reference)::

    <kuza_reflection url_name="my-plan" display_name="Your adaptation plan" xblock-family="xblock.v1">
      <prompt name="problem" hint="Which service, where, and what goes wrong.">The problem in my own context</prompt>
      <prompt name="steps">My first three steps</prompt>
    </kuza_reflection>

A prompt's text is plain text; runs of spaces and line breaks read as one space, so a long
prompt may be wrapped over several lines. A plan with no prompt element gets the default
set. Every problem is an OLXError with the line of the element at fault.
"""

from lxml import etree

from kuza_xblocks.errors import OLXError
from kuza_xblocks.olx import IGNORED_ATTRIBUTES
from kuza_xblocks.reflection import prompts as plan_prompts

PROMPT_TAG = "prompt"
_PROMPT_ATTRIBUTES = ("name", "hint")
_INDENT = "  "


def read_plan(node: etree._Element) -> tuple[dict[str, str], list[dict]]:
    """Return the plan's settings attributes, as written, and its prompts ([] when it has none)."""
    settings = {name: value for name, value in node.attrib.items() if name not in IGNORED_ATTRIBUTES}
    if (node.text or "").strip():
        raise OLXError(
            f"<{node.tag}> holds text outside any prompt: put each question in a <{PROMPT_TAG}> element.",
            line=node.sourceline,
        )
    found: list[dict] = []
    lines: dict[str, int | None] = {}
    for element in node:
        if (element.tail or "").strip():
            raise OLXError(f"<{node.tag}> holds text after <{element.tag}>, outside any prompt.",
                           line=element.sourceline)
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions are not content
        if element.tag != PROMPT_TAG:
            raise OLXError(f"<{node.tag}> cannot contain <{element.tag}>; it holds only <{PROMPT_TAG}> elements.",
                           line=element.sourceline)
        prompt = _read_prompt(element)
        problems = plan_prompts.prompt_problems(prompt, len(found) + 1)
        if problems:
            raise OLXError(f"<{PROMPT_TAG}> on line {element.sourceline}: {'; '.join(problems)}.",
                           line=element.sourceline)
        if prompt["name"] in lines:
            raise OLXError(
                f'two prompts are named "{prompt["name"]}"; the first is on line {lines[prompt["name"]]}.'
                " Give each prompt of a plan a name of its own.",
                line=element.sourceline,
            )
        lines[prompt["name"]] = element.sourceline
        found.append(prompt)
    if len(found) > plan_prompts.MAX_PROMPTS:
        raise OLXError(f"<{node.tag}> has {len(found)} prompts; a plan has at most {plan_prompts.MAX_PROMPTS}.",
                       line=node.sourceline)
    return settings, found


def _read_prompt(element: etree._Element) -> dict:
    unknown = sorted(set(element.attrib) - set(_PROMPT_ATTRIBUTES))
    if unknown:
        raise OLXError(f'<{PROMPT_TAG}> has an unknown attribute "{unknown[0]}"; it accepts name and hint.',
                       line=element.sourceline)
    for child in element:
        if isinstance(child.tag, str):
            raise OLXError(f"<{PROMPT_TAG}> must contain only text, but it contains the element <{child.tag}>.",
                           line=child.sourceline)
    text = " ".join("".join(element.itertext()).split())
    prompt = {"name": element.get("name", ""), "text": text}
    hint = " ".join(element.get("hint", "").split())
    if hint:
        prompt["hint"] = hint
    return prompt


def write_plan(node: etree._Element, settings: dict[str, str], prompts: list[dict] | None) -> None:
    """Write ``settings`` as attributes of ``node`` and ``prompts`` (None: the default set) as its children."""
    for name, value in settings.items():
        node.set(name, value)
    if not prompts:
        return
    node.text = "\n" + _INDENT
    for prompt in prompts:
        element = etree.SubElement(node, PROMPT_TAG, {"name": prompt["name"]})
        if prompt.get("hint"):
            element.set("hint", prompt["hint"])
        element.text = prompt["text"]
        element.tail = "\n" + _INDENT
    element.tail = "\n"
