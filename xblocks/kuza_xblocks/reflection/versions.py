"""Submitted versions of a plan: how one is recorded, what the host hears of it, and when a learner may revise.

Versions are append-only: a version, once stored, is never changed or dropped, and
revising makes the next one. Each is stored with the token of the page it came from, so a
form sent twice makes one version.
"""

from datetime import UTC, datetime

SUBMITTED_EVENT = "kuza.reflection.submitted"


def find(versions: list[dict], token: str) -> dict | None:
    """The stored version that came from the page with ``token``, if any."""
    return next((version for version in versions if version.get("id") == token), None)


def record(
    versions: list[dict],
    prompts: list[dict],
    answers: dict[str, str],
    *,
    token: str,
    submitted_at: datetime | None = None,
) -> dict:
    """The version to append after ``versions``: the prompts as the learner saw them, and the answers."""
    when = (submitted_at or datetime.now(UTC)).astimezone(UTC)
    return {
        "version": len(versions) + 1,
        "id": token,
        "submitted_at": when.isoformat(timespec="seconds"),
        "prompts": [{"name": prompt["name"], "text": prompt["text"]} for prompt in prompts],
        "answers": {prompt["name"]: answers.get(prompt["name"], "") for prompt in prompts},
    }


def event(version: dict) -> dict:
    """The ``kuza.reflection.submitted`` event for a new version (Kuza stores it; Open edX logs it)."""
    return {
        "version": version["version"],
        "submission_id": version["id"],
        "submitted_at": version["submitted_at"],
        "prompts": version["prompts"],
        "answers": version["answers"],
    }


def may_revise(versions: list[dict], reviewed: set[int] | None) -> bool:
    """Whether the learner may change their plan and submit it again.

    Before a first submission, always. After one, once the latest version has been reviewed
    (``reviewed``: the version numbers the host's review service marks reviewed), so a
    trainer never reviews a plan that changes under them. A host without reviews
    (``reviewed`` is None, as in Open edX) leaves the learner free to revise at any time.
    """
    if not versions or reviewed is None:
        return True
    return versions[-1]["version"] in reviewed
