"""The choice types: single choice, multiple response, and true or false."""

from kuza_xblocks.errors import OLXError
from kuza_xblocks.olx import read_text
from kuza_xblocks.quiz.questions.base import (
    SCORINGS,
    UNANSWERED,
    QuestionType,
    Result,
    duplicate_texts,
    id_problems,
    invalid_result,
    is_text,
    is_unanswered,
    record_list,
    scored,
)
from kuza_xblocks.quiz.questions.elements import add_text_element, describe_element, read_attributes, read_boolean


class _ChoiceType(QuestionType):
    """Shared by single choice and multiple response: ``choices``, each ``{id, text, correct, feedback}``."""

    children = ("choice",)

    def problems(self, question: dict) -> list[str]:
        choices, problems = record_list(question, "choices", "choice", 2)
        problems += id_problems([c.get("id") for c in choices], "choice")
        for choice in choices:
            if not is_text(choice.get("text")):
                problems.append(f'choice "{choice.get("id")}" has no text')
            if not isinstance(choice.get("correct"), bool):
                problems.append(f'choice "{choice.get("id")}" must say whether it is correct (true or false)')
            if not isinstance(choice.get("feedback", ""), str):
                problems.append(f'the feedback of choice "{choice.get("id")}" must be text')
        problems += duplicate_texts([c.get("text") for c in choices if is_text(c.get("text"))], "choices")
        return problems + self.correct_count_problems(sum(c.get("correct") is True for c in choices))

    def correct_count_problems(self, count: int) -> list[str]:
        return []

    def read_olx(self, element, attributes, children) -> dict:
        choices = []
        for child in children:
            read_attributes(child, ("id", "correct", "feedback"))
            choices.append({
                "id": child.get("id", ""),
                "text": read_text(child),
                "correct": read_boolean(child, "correct", False),
                "feedback": child.get("feedback", ""),
            })
        return {"choices": choices}

    def write_olx(self, question, element) -> None:
        for choice in question["choices"]:
            add_text_element(
                element, "choice", choice["text"], 2,
                id=choice["id"],
                correct="true" if choice.get("correct") else None,
                feedback=choice.get("feedback") or None,
            )

    @staticmethod
    def _feedback(question: dict, chosen) -> list[str]:
        return [c["feedback"] for c in question["choices"] if c["id"] in chosen and c.get("feedback")]


class SingleChoice(_ChoiceType):
    """One right choice among several. Response: the chosen choice's id."""

    name = "single_choice"

    def correct_count_problems(self, count: int) -> list[str]:
        if count == 0:
            return ['no choice is marked correct="true"; mark exactly one']
        if count > 1:
            return [f'{count} choices are marked correct="true", but a single choice question has exactly one'
                    " (use <multiple_response> to accept several)"]
        return []

    def grade(self, question, response) -> Result:
        if is_unanswered(response):
            return UNANSWERED
        choice = next((c for c in question["choices"] if c["id"] == response), None)
        if choice is None:
            return invalid_result()
        return scored(1.0 if choice["correct"] else 0.0, self._feedback(question, {response}))

    def correct_response(self, question):
        return next(c["id"] for c in question["choices"] if c["correct"])


class MultipleResponse(_ChoiceType):
    """Several right choices. Response: the list of chosen ids.

    ``scoring`` "all_or_nothing": 1 for exactly the right set, else 0. "partial": (right
    choices chosen - wrong choices chosen) / right choices, at least 0, so choosing
    everything earns nothing.
    """

    name = "multiple_response"
    attributes = ("scoring",)

    def gives_partial_credit(self, question):
        return question.get("scoring", "all_or_nothing") == "partial"

    def problems(self, question):
        problems = super().problems(question)
        if question.get("scoring", "all_or_nothing") not in SCORINGS:
            problems.append(f'its scoring must be "all_or_nothing" or "partial", not "{question.get("scoring")}"')
        return problems

    def correct_count_problems(self, count: int) -> list[str]:
        return [] if count else ['no choice is marked correct="true"; mark at least one']

    def read_olx(self, element, attributes, children) -> dict:
        return {**super().read_olx(element, attributes, children), "scoring": attributes.get("scoring", "all_or_nothing")}

    def write_olx(self, question, element) -> None:
        if question.get("scoring", "all_or_nothing") != "all_or_nothing":
            element.set("scoring", question["scoring"])
        super().write_olx(question, element)

    def grade(self, question, response) -> Result:
        if is_unanswered(response):
            return UNANSWERED
        if not isinstance(response, (list, tuple, set, frozenset)) or not all(isinstance(r, str) for r in response):
            return invalid_result()
        chosen = set(response)
        ids = {c["id"] for c in question["choices"]}
        right = {c["id"] for c in question["choices"] if c["correct"]}
        feedback = self._feedback(question, chosen)
        if not chosen <= ids:
            return scored(0.0, feedback, invalid=True)
        if question.get("scoring", "all_or_nothing") == "partial":
            score = max(0.0, (len(chosen & right) - len(chosen - right)) / len(right))
        else:
            score = 1.0 if chosen == right else 0.0
        return scored(score, feedback)

    def correct_response(self, question):
        return [c["id"] for c in question["choices"] if c["correct"]]


class TrueFalse(QuestionType):
    """A statement that is true or false. ``answer``: bool; ``feedback_true``/``feedback_false``
    are shown for the option the learner picked. Response: a bool."""

    name = "true_false"
    attributes = ("answer", "feedback_true", "feedback_false")

    def problems(self, question):
        problems = []
        if not isinstance(question.get("answer"), bool):
            problems.append('its answer must be "true" or "false"')
        for key in ("feedback_true", "feedback_false"):
            if not isinstance(question.get(key, ""), str):
                problems.append(f"its {key} must be text")
        return problems

    def read_olx(self, element, attributes, children) -> dict:
        if "answer" not in attributes:
            raise OLXError(f'{describe_element(element)} has no answer: add answer="true" or answer="false".',
                           line=element.sourceline)
        return {
            "answer": read_boolean(element, "answer", False),
            "feedback_true": attributes.get("feedback_true", ""),
            "feedback_false": attributes.get("feedback_false", ""),
        }

    def write_olx(self, question, element) -> None:
        element.set("answer", "true" if question["answer"] else "false")
        for key in ("feedback_true", "feedback_false"):
            if question.get(key):
                element.set(key, question[key])

    def grade(self, question, response) -> Result:
        if is_unanswered(response):
            return UNANSWERED
        if not isinstance(response, bool):
            return invalid_result()
        feedback = question.get("feedback_true" if response else "feedback_false") or ""
        return scored(1.0 if response == question["answer"] else 0.0, [feedback] if feedback else [])

    def correct_response(self, question):
        return question["answer"]
