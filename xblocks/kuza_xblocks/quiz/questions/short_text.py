"""The short-text type: a word or phrase, compared after normalise_text."""

from kuza_xblocks.olx import read_text
from kuza_xblocks.quiz.questions.base import (
    UNANSWERED,
    QuestionType,
    Result,
    invalid_result,
    is_text,
    is_unanswered,
    scored,
)
from kuza_xblocks.quiz.questions.elements import add_text_element, read_attributes, read_boolean
from kuza_xblocks.quiz.questions.text import normalise_text


class ShortText(QuestionType):
    """A word or phrase. ``answers``: the accepted texts; ``case_sensitive`` and
    ``accent_sensitive`` (both false by default) say what normalise_text keeps.
    Response: the text the learner typed."""

    name = "short_text"
    attributes = ("case_sensitive", "accent_sensitive")
    children = ("answer",)

    def problems(self, question):
        problems = []
        answers = question.get("answers")
        if not isinstance(answers, list) or not answers:
            problems.append("it has no accepted answer: add at least one <answer>")
        elif not all(is_text(a) for a in answers):
            problems.append("an accepted answer is empty")
        for key in ("case_sensitive", "accent_sensitive"):
            if not isinstance(question.get(key, False), bool):
                problems.append(f"its {key} must be true or false")
        return problems

    def read_olx(self, element, attributes, children) -> dict:
        for child in children:
            read_attributes(child, ())
        return {
            "answers": [read_text(child) for child in children],
            "case_sensitive": read_boolean(element, "case_sensitive", False),
            "accent_sensitive": read_boolean(element, "accent_sensitive", False),
        }

    def write_olx(self, question, element) -> None:
        for key in ("case_sensitive", "accent_sensitive"):
            if question.get(key):
                element.set(key, "true")
        for answer in question["answers"]:
            add_text_element(element, "answer", answer, 2)

    def grade(self, question, response) -> Result:
        if is_unanswered(response):
            return UNANSWERED
        if not isinstance(response, str):
            return invalid_result()
        options = {
            "case_sensitive": question.get("case_sensitive", False),
            "accent_sensitive": question.get("accent_sensitive", False),
        }
        given = normalise_text(response, **options)
        accepted = {normalise_text(answer, **options) for answer in question["answers"]}
        return scored(1.0 if given in accepted else 0.0)

    def correct_response(self, question):
        return question["answers"][0]
