"""Builds what the plan template shows one learner: their prompts and answers, their versions, the feedback on them.

Everything comes from this learner's own state and what the host's review service says
about this learner's versions; nothing here can reach another learner's plan.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from kuza_xblocks.reflection import prompts as plan_prompts
from kuza_xblocks.reflection import versions as plan_versions


@dataclass(frozen=True)
class PlanPage:
    """Everything the learner's view of a plan depends on."""

    title: str
    prompts: list[dict]  # as the learner reads them: translated when they are the default set
    draft: dict
    draft_saved_at: str
    versions: list[dict]
    unanswered: list[str]
    token: str  # the submission token of this rendering
    action: str  # the save_plan handler's URL
    id_prefix: str  # unique per block on the page
    gettext: Callable[[str], str]
    # What the host's review service says of each version by number; None without the service.
    reviews: Mapping[int, dict] | None = field(default=None)


def when(value: str) -> str:
    """A stored UTC time as a learner reads it, in every language: 2026-12-02 18:40 UTC.

    Isolated left to right (U+2066 … U+2069), so a right-to-left sentence around it cannot
    reorder its digits into 02-12-2026.
    """
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value or ""
    return "\u2066" + moment.strftime("%Y-%m-%d %H:%M") + "\xa0UTC\u2069"


def context(page: PlanPage) -> dict:
    """The template context for ``page``."""
    _ = page.gettext
    reviews = page.reviews or {}
    reviewed = None if page.reviews is None else {n for n, review in reviews.items() if review.get("reviewed")}
    editable = plan_versions.may_revise(page.versions, reviewed)
    latest = page.versions[-1] if page.versions else None
    # A revision starts from the draft, else from the latest version: the learner edits, not retypes.
    start = page.draft or (latest["answers"] if latest else {})
    missing = set(page.unanswered)
    fields = [
        {
            "id": f"{page.id_prefix}{prompt['name']}",
            "name": plan_prompts.field_name(prompt["name"]),
            "text": prompt["text"],
            "hint": prompt.get("hint", ""),
            "value": start.get(prompt["name"], ""),
            "missing": prompt["name"] in missing,
        }
        for prompt in page.prompts
    ]
    return {
        "_": _,
        "id": page.id_prefix,
        "title": page.title,
        "action": page.action,
        "token": page.token,
        "max_answer": plan_prompts.MAX_ANSWER,
        "status": _status(page, latest, reviews, _),
        "feedback": _feedback(latest, reviews, _) if latest else None,
        "editable": editable,
        "fields": fields,
        "missing": [f for f in fields if f["missing"]] if editable else [],
        "next_version": len(page.versions) + 1,
        "waiting": None if editable else _("Your trainer will review version %(number)d. You can revise your plan "
                                           "after their feedback.") % {"number": latest["version"]},
        "versions": [_version(version, reviews.get(version["version"], {}), _) for version in reversed(page.versions)],
    }


def _status(page: PlanPage, latest: dict | None, reviews: Mapping[int, dict], _) -> str:
    if latest is None:
        if page.draft_saved_at:
            return _("Draft saved on %(date)s. Not submitted yet.") % {"date": when(page.draft_saved_at)}
        return _("Not submitted yet.")
    review = reviews.get(latest["version"], {})
    submitted = {"number": latest["version"], "date": when(latest["submitted_at"])}
    if review.get("reviewed"):
        line = _("Version %(number)d submitted on %(date)s and reviewed.") % submitted
    elif page.reviews is not None:
        line = _("Version %(number)d submitted on %(date)s. Waiting for your trainer's feedback.") % submitted
    else:
        line = _("Version %(number)d submitted on %(date)s.") % submitted
    if page.draft_saved_at:
        line += " " + _("Draft of version %(number)d saved on %(date)s.") % {
            "number": latest["version"] + 1, "date": when(page.draft_saved_at)}
    return line


def _feedback(version: dict, reviews: Mapping[int, dict], _) -> dict | None:
    review = reviews.get(version["version"], {})
    if not review.get("reviewed"):
        return None
    return {
        "heading": _("Feedback on version %(number)d") % {"number": version["version"]},
        "by": _byline(review, _),
        "text": review.get("feedback", ""),
    }


def _byline(review: dict, _) -> str:
    values = {"name": review.get("reviewer") or _("your trainer"), "date": when(review.get("reviewed_at", ""))}
    return _("Reviewed by %(name)s on %(date)s.") % values


def _version(version: dict, review: dict, _) -> dict:
    return {
        "number": version["version"],
        "summary": _("Version %(number)d, submitted on %(date)s") % {
            "number": version["version"], "date": when(version["submitted_at"])},
        "datetime": version["submitted_at"],
        "answers": [
            {"text": prompt["text"], "answer": version["answers"].get(prompt["name"], "")}
            for prompt in version["prompts"]
        ],
        "reviewed": bool(review.get("reviewed")),
        "by": _byline(review, _) if review.get("reviewed") else "",
        "feedback": review.get("feedback", "") if review.get("reviewed") else "",
        "markdown_url": review.get("markdown_url", ""),
        "pdf_url": review.get("pdf_url", ""),
    }
