"""What a quiz lets a learner do and see: attempts left, pass or fail, and what it reveals after submitting.

Pure functions of the quiz's settings and the learner's attempts; no runtime, no request.

What each show_answers policy reveals, once the learner has submitted at least once:

- ``never``: the score and, per question, right or wrong. No correct answers, no
  feedback, no explanations, ever.
- ``always``: everything, right after the first submission.
- ``after_passing``: right or wrong per question; everything once an attempt passed.
- ``after_last_attempt``: right or wrong per question; everything once no attempt is
  left. With unlimited attempts there is no last attempt, so this reveals no more than
  ``never`` (the Studio editor warns about it).

Feedback on the chosen options and explanations follow the same rule as the correct
answers: an option's feedback often says which option was right ("No: the law came in
2015"), so showing it earlier would leak the answer.

A pre-test reveals only the total score, whatever its show_answers says: its post-test
asks the same questions, and anything learnt from the pre-test's answers would inflate
the measured gain. Even right or wrong per question would give away true/false answers.
"""

from dataclasses import dataclass

MODES = ("graded", "practice", "pre_test", "post_test")
SHOW_ANSWERS = ("never", "after_passing", "after_last_attempt", "always")

# Scores are sums of float weights: 0.1 + 0.2 must pass a pass mark of 0.3.
_EPSILON = 1e-9


@dataclass(frozen=True)
class Reveal:
    """What the learner may see about their latest attempt."""

    results: bool = False  # right or wrong per question, and each question's points
    answers: bool = False  # the correct answers, the feedback on what was chosen, the explanations


NOTHING = Reveal()
RESULTS_ONLY = Reveal(results=True)
EVERYTHING = Reveal(results=True, answers=True)


def attempts_left(max_attempts: int, used: int) -> int | None:
    """How many more attempts the learner may submit; None when attempts are unlimited."""
    if not max_attempts or max_attempts <= 0:
        return None
    return max(max_attempts - used, 0)


def may_submit(max_attempts: int, used: int) -> bool:
    """Whether one more attempt is accepted."""
    left = attempts_left(max_attempts, used)
    return left is None or left > 0


def passed(earned: float, possible: float, pass_mark: float) -> bool:
    """Whether ``earned`` out of ``possible`` points reaches ``pass_mark`` (a fraction, 0 to 1).

    A quiz worth no points is passed by submitting it: there is nothing to fail.
    """
    if possible <= 0:
        return True
    return earned / possible >= pass_mark - _EPSILON


def reveal(*, mode: str, show_answers: str, max_attempts: int, attempts: list[dict]) -> Reveal:
    """What the learner may see after ``attempts`` (their attempts so far, oldest first)."""
    if not attempts:
        return NOTHING
    if mode == "pre_test":
        return NOTHING
    if show_answers == "always":
        return EVERYTHING
    if show_answers == "after_passing" and any(attempt.get("passed") for attempt in attempts):
        return EVERYTHING
    if show_answers == "after_last_attempt" and attempts_left(max_attempts, len(attempts)) == 0:
        return EVERYTHING
    return RESULTS_ONLY


def shows_pass_or_fail(mode: str) -> bool:
    """Whether the learner is told they passed or failed: not in practice, not in a pre-test.

    A pre-test measures what learners knew before the course; calling that a failure
    discourages them for no purpose. Practice has no stakes.
    """
    return mode in ("graded", "post_test")
