"""Checks of a quiz's settings and questions, shared by the OLX reader and the Studio editor.

Messages are sentences in English addressed to the author, like those of
kuza_xblocks.quiz.questions.validate, which they wrap.
"""

from kuza_xblocks.quiz import policy, questions

# The Kuza attempts table keeps a question set in 100 characters.
QUESTION_SET_MAX = 100


def settings_problems(
    *, mode, show_answers, max_attempts, pass_mark, weight, question_set
) -> list[str]:
    """Settings that make a quiz unusable, each as a sentence naming the setting."""
    problems = []
    if mode not in policy.MODES:
        problems.append(f'mode must be one of {", ".join(policy.MODES)}, not "{mode}"')
    if show_answers not in policy.SHOW_ANSWERS:
        problems.append(f'show_answers must be one of {", ".join(policy.SHOW_ANSWERS)}, not "{show_answers}"')
    if not isinstance(max_attempts, int) or max_attempts < 0:
        problems.append(f"max_attempts must be a whole number, 0 (no limit) or more, not {max_attempts!r}")
    if not questions.is_number(pass_mark) or not 0 <= pass_mark <= 1:
        problems.append(f"pass_mark must be a fraction from 0 to 1 (0.6 is 60%), not {pass_mark!r}")
    if not questions.is_number(weight) or weight < 0:
        problems.append(f"weight must be a number, 0 or more, not {weight!r}")
    if not isinstance(question_set, str) or len(question_set) > QUESTION_SET_MAX:
        problems.append(f"question_set must be text of at most {QUESTION_SET_MAX} characters")
    return problems


def settings_warnings(*, mode, show_answers, max_attempts, question_set) -> list[str]:
    """Settings that work but are probably not what the author meant."""
    warnings = []
    if show_answers == "after_last_attempt" and not max_attempts:
        warnings.append(
            "show_answers is after_last_attempt but attempts are unlimited, so learners never see the answers;"
            " set max_attempts, or choose another show_answers"
        )
    if mode in ("pre_test", "post_test") and not (question_set or "").strip():
        warnings.append(
            f"a {mode.replace('_', '-')} needs a question_set, the same in the pre-test and the post-test,"
            " so that learners' gains can be computed"
        )
    if mode in ("graded", "post_test") and not max_attempts and show_answers in ("always", "after_passing"):
        warnings.append(
            "attempts are unlimited and the answers are shown before the last attempt,"
            " so a learner can copy them into a new attempt; set max_attempts"
        )
    return warnings


def question_problems(quiz_questions) -> list[str]:
    """Problems with the questions: each question's own (questions.validate) and duplicate ids."""
    if not isinstance(quiz_questions, list):
        return ["questions must be a list of question objects"]
    problems = []
    seen = set()
    for number, question in enumerate(quiz_questions, start=1):
        label = f"question {number}"
        if isinstance(question, dict) and question.get("id"):
            label += f' ("{question["id"]}")'
        for problem in questions.validate(question):
            problems.append(f"{label}: {problem}")
        if isinstance(question, dict) and question.get("id") in seen:
            problems.append(f'{label}: another question has the id "{question["id"]}"; give each its own')
        if isinstance(question, dict):
            seen.add(question.get("id"))
    return problems

