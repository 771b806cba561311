"""A quiz submission as the learner's state keeps it, as the runtime hears of it, and as the page's script reads it.

Attempts are append-only: an attempt, once stored, is never changed or dropped. Each
is stored with the token of the page it came from, so a form sent twice is recognised
and counted once.
"""

from datetime import UTC, datetime

from kuza_xblocks.quiz import policy, questions

ATTEMPT_EVENT = "kuza.quiz.attempt"


def find(attempts: list[dict], token: str) -> dict | None:
    """The stored attempt that came from the page with ``token``, if any."""
    return next((attempt for attempt in attempts if attempt.get("id") == token), None)


def record(
    quiz_questions: list[dict],
    responses: dict,
    *,
    token: str,
    pass_mark: float,
    submitted_at: datetime | None = None,
) -> dict:
    """Grade ``responses`` and return the attempt to append to the learner's attempts."""
    earned, results = questions.score_attempt(quiz_questions, responses)
    possible = questions.max_points(quiz_questions)
    # Float sums may overshoot by a rounding error; hosts refuse earned > possible.
    earned = min(max(earned, 0.0), possible)
    when = (submitted_at or datetime.now(UTC)).astimezone(UTC)
    return {
        "id": token,
        "submitted_at": when.isoformat(timespec="seconds"),
        "responses": responses,
        "results": {
            question_id: {
                "score": result.score,
                "correct": result.correct,
                "answered": result.answered,
                "invalid": result.invalid,
            }
            for question_id, result in results.items()
        },
        "earned": earned,
        "possible": possible,
        "passed": policy.passed(earned, possible, pass_mark),
    }


def event(attempt: dict, *, mode: str, question_set: str) -> dict:
    """The ``kuza.quiz.attempt`` event for a new attempt (Kuza stores it; Open edX logs it)."""
    return {
        "attempt_id": attempt["id"],
        "mode": mode,
        "question_set": question_set,
        "submitted_at": attempt["submitted_at"],
        "responses": attempt["responses"],
        "results": attempt["results"],
        "earned": attempt["earned"],
        "possible": attempt["possible"],
        "passed": attempt["passed"],
    }


def summary(
    attempt: dict | None,
    *,
    reveal: policy.Reveal,
    mode: str,
    used: int,
    left: int | None,
    repeated: bool = False,
) -> dict:
    """What the JSON answer tells the page's script about ``attempt``: no more than the page shows."""
    result = {
        "attempts_used": used,
        "attempts_left": left,
        "repeated": repeated,
    }
    if attempt is None:
        return result
    result.update(attempt_id=attempt["id"], earned=attempt["earned"], possible=attempt["possible"])
    if policy.shows_pass_or_fail(mode):
        result["passed"] = attempt["passed"]
    if reveal.results:
        result["questions"] = {
            question_id: {"score": value["score"], "correct": value["correct"], "answered": value["answered"]}
            for question_id, value in attempt["results"].items()
        }
    return result
