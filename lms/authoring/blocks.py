"""The leaf blocks the outline adds, each with starting content read through the block's own OLX parser.

Starting content is written as OLX and parsed by the block class, exactly as an imported
package is, so a block just added is one the importer accepts, and publishing it needs no edit.
Texts are in the course's language, since learners read them if the trainer leaves them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale, gettext, lazy_gettext
from kuza_xblocks.case_study.scenarios import E_MUTATION
from lxml import etree
from xblock.fields import ScopeIds

from lms.courseware.field_data import CONTENT_SCOPES
from lms.courseware.olx import PackageRuntime


@dataclass(frozen=True)
class LeafKind:
    block_type: str
    label: Any  # lazy: shown in the trainer's language


LEAF_KINDS = {
    kind.block_type: kind
    for kind in (
        LeafKind("kuza_markdown", lazy_gettext("Lesson")),
        LeafKind("kuza_quiz", lazy_gettext("Quiz")),
        LeafKind("kuza_case_study", lazy_gettext("Case study")),
        LeafKind("kuza_reflection", lazy_gettext("Adaptation plan")),
    )
}


def starting_fields(block_type: str, url_name: str, language: str,
                    extra_types: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The fields of a new block of this kind, as the importer would store them."""
    with force_locale(language):
        element = _starting_olx(block_type)
    runtime = PackageRuntime(extra_types)
    block_class = runtime.load_block_type(block_type)
    element.set("url_name", url_name)
    block = block_class.parse_xml(element, runtime, ScopeIds(None, block_type, url_name, url_name))
    return {name: field.to_json(field.read_from(block)) for name, field in block.fields.items()
            if field.scope in CONTENT_SCOPES and name not in ("children", "parent") and field.is_set_on(block)}


def _starting_olx(block_type: str) -> etree._Element:
    if block_type == "kuza_markdown":
        lesson = etree.Element("kuza_markdown", display_name=gettext("New lesson"))
        lesson.text = "\n" + gettext(
            "Write the lesson here in Markdown: **bold**, *italic*, lists, tables and links.\n\n"
            "## A heading\n\n- A first point\n- A second point") + "\n"
        return lesson
    if block_type == "kuza_quiz":
        quiz = etree.Element("kuza_quiz", display_name=gettext("New quiz"), mode="practice")
        question = etree.SubElement(quiz, "single_choice", id="question-1")
        etree.SubElement(question, "prompt").text = gettext("Write the question here.")
        etree.SubElement(question, "choice", id="right", correct="true",
                         feedback=gettext("Yes: say why this answer is right.")).text = gettext("The right answer")
        etree.SubElement(question, "choice", id="wrong",
                         feedback=gettext("No: say what the learner missed.")).text = gettext("A wrong answer")
        return quiz
    if block_type == "kuza_case_study":
        # A real, cited case shows what a finished one holds; the trainer replaces it with their own.
        return etree.fromstring(E_MUTATION)
    if block_type == "kuza_reflection":
        # No prompts: the block asks its own six, translated into the learner's language.
        return etree.Element("kuza_reflection", display_name=gettext("Adaptation plan"))
    raise LookupError(block_type)
