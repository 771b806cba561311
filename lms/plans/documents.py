"""A plan version as a Markdown file to keep: its answers under their prompts, then the trainer's feedback."""
from __future__ import annotations

import re

from flask_babel import format_datetime, gettext

from lms.plans.services import LearnerPlan, PlanVersion

ASCII_WHITESPACE = re.compile(r"[ \t\n\r\f]+")

# What would start a heading, list, quote or block at the start of a line: a mark ("# ", "- ")
# or a number and its full stop or parenthesis ("1. ").
_BLOCK_MARK = re.compile(r"^([#>*+\-=|`~])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\d+)([.)])", re.MULTILINE)


def file_name(plan: LearnerPlan, version: PlanVersion, extension: str) -> str:
    """kuza-plan-<block>-v<n>.<extension>: the url_name keeps it ASCII and says which plan it is."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", plan.usage_id).strip("-") or "plan"
    return f"kuza-plan-{safe}-v{version.plan.version}.{extension}"


def markdown(plan: LearnerPlan, version: PlanVersion) -> str:
    """The version as Markdown, in the reader's language; the learner's words as they wrote them."""
    facts = [
        gettext("Course: %(title)s", title=plan.course.published_version.title),
        gettext("Lesson: %(title)s", title=plan.unit_title or plan.title),
        gettext("Learner: %(name)s", name=plan.learner.name),
        gettext("Version %(number)d of %(count)d, submitted on %(date)s", number=version.plan.version,
                count=len(plan.versions), date=format_datetime(version.plan.submitted_at, "medium")),
    ]
    lines = [f"# {_heading(plan.title)}", "", *(f"- {_inline(fact)}" for fact in facts), ""]
    for prompt, answer in version.answers:
        lines += [f"## {_heading(prompt)}", "", _text(answer) if answer else gettext("(no answer)"), ""]
    if version.reviewed:
        review = version.review
        lines += [f"## {gettext('Feedback from your trainer')}", "",
                  _inline(gettext("Reviewed by %(name)s on %(date)s.", name=review.reviewer.name,
                                  date=format_datetime(review.reviewed_at, "medium"))), ""]
        if review.feedback:
            lines += [_text(review.feedback), ""]
    return "\n".join(lines)


def _heading(text: str) -> str:
    # Only the whitespace HTML collapses: a French prompt's no-break spaces ("Risques :") stay.
    return " ".join(ASCII_WHITESPACE.split(text.strip(" \t\n\r\f"))).replace("#", "\\#")


def _inline(text: str) -> str:
    return text.replace("\n", " ")


def _text(text: str) -> str:
    """Plain text kept as paragraphs: each line ends in a hard break, and a line that Markdown
    would read as a heading, list or quote is escaped, so the file shows what was written."""
    escaped = _NUMBERED.sub(r"\1\\\2", _BLOCK_MARK.sub(r"\\\1", text.strip()))
    return "\n".join(line + "  " if line.strip() else "" for line in escaped.split("\n")).rstrip()
