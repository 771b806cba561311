"""Open edX CAPA problems as kuza_quiz questions: the five response types that grade the same way in both.

Each response of a problem becomes one question worth one point, as Open edX counts a
problem's score (one point per response, scaled to the problem's weight), so a learner's share
of a converted problem is the share Open edX would give. What cannot be carried over exactly
(scripts, regular expressions, formulas, answer ranges) is refused with the reason, and the
importer shows that block as not available instead of grading it differently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from kuza_xblocks.errors import OLXError
from kuza_xblocks.quiz.quiz_olx import read_quiz

RESPONSE_TYPES = ("multiplechoiceresponse", "choiceresponse", "numericalresponse", "stringresponse",
                  "optionresponse")
# Every CAPA response tag, so a problem mixing a supported one with, say, a customresponse is refused whole.
ANY_RESPONSE = re.compile(r".+response$")
# Parts of a problem that are not its question text.
NOT_PROMPT = frozenset({"solution", "demandhint", "script", "style"})
# Inside a response: its inputs and answers, which become the question's choices and answers.
RESPONSE_PARTS = NOT_PROMPT | {"label", "choicegroup", "checkboxgroup", "optioninput", "textline",
                               "formulaequationinput", "responseparam", "additional_answer", "stringequalhint",
                               "correcthint", "choicehint", "hintgroup"}
# Open edX's showanswer values, as the nearest kuza_quiz show_answers.
SHOW_ANSWERS = {"always": "always", "never": "never", "correct_or_past_due": "after_passing",
                "answered": "always", "attempted": "always", "finished": "after_last_attempt",
                "closed": "after_last_attempt", "past_due": "after_last_attempt",
                "after_all_attempts": "after_last_attempt", "after_all_attempts_or_correct": "after_passing"}
# optioninput's options="('a','b')": quoted items, with \' inside an item.
OPTION_ITEM = re.compile(r"'((?:[^'\\]|\\.)*)'")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class NotConvertible(ValueError):
    """A problem Kuza cannot grade as Open edX does; the message says why, for the import report."""


@dataclass(frozen=True)
class ConvertedProblem:
    element: etree._Element  # the <kuza_quiz>, checked by the quiz's own reader
    response_types: tuple[str, ...]


def convert_problem(problem: etree._Element, url_name: str, *, graded: bool) -> ConvertedProblem:
    """The kuza_quiz for an Open edX <problem>; raises NotConvertible with the reason."""
    responses = [element for element in problem.iter() if isinstance(element.tag, str)
                 and ANY_RESPONSE.fullmatch(element.tag) and element is not problem]
    if not responses:
        raise NotConvertible("it has no response to grade")
    unsupported = sorted({r.tag for r in responses if r.tag not in RESPONSE_TYPES})
    if unsupported:
        raise NotConvertible(f"<{'>, <'.join(unsupported)}> cannot be graded here")
    if problem.find(".//script") is not None:
        raise NotConvertible("it runs a script")
    if any(r.get("partial_credit") for r in responses):
        raise NotConvertible("it gives partial credit by rules of its own")
    quiz = etree.Element("kuza_quiz", url_name=url_name,
                         display_name=problem.get("display_name") or "Problem",
                         mode="graded" if graded else "practice")
    if (attempts := problem.get("max_attempts", "").strip()).isdigit():
        quiz.set("max_attempts", attempts)
    if (weight := problem.get("weight", "").strip()) and NUMBER.fullmatch(weight):
        quiz.set("weight", weight)
    quiz.set("show_answers", SHOW_ANSWERS.get(problem.get("showanswer", ""), "always"))
    introduction = _introduction(problem, responses[0])
    solution = _problem_solution(problem)
    for number, response in enumerate(responses, start=1):
        question = _QUESTIONS[response.tag](response)
        question.set("id", f"q{number}")
        prompt = _prompt(response)
        if number == 1 and introduction:
            prompt = f"{introduction}\n\n{prompt}" if prompt else introduction
        _prepend_text(question, "prompt", prompt or f"Question {number}")
        explanation = _solution(response) or (solution if number == len(responses) else "")
        if explanation:
            etree.SubElement(question, "explanation").text = explanation
        quiz.append(question)
        if response.find(".//choicegroup[@shuffle='true']") is not None:
            quiz.set("shuffle", "true")
    try:
        read_quiz(etree.fromstring(etree.tostring(quiz)))  # the quiz block's own checks, with its messages
    except OLXError as error:
        raise NotConvertible(str(error)) from None
    return ConvertedProblem(quiz, tuple(r.tag for r in responses))


# Question text


def _html(element: etree._Element, *, skip=NOT_PROMPT) -> str:
    """An element's content as HTML on lines of their own, which Markdown passes through as it is.

    Lines lose their indentation, or Markdown would read indented HTML as code.
    """
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in skip:
            parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=False))
        parts.append(child.tail or "")
    return _lines("".join(parts))


def _lines(html: str) -> str:
    return "\n".join(line.strip() for line in html.splitlines() if line.strip())


def _block(html: str) -> str:
    # A paragraph of its own, so Markdown treats it as HTML and leaves backslashes (MathJax's \( \)) alone.
    return f"<p>{html}</p>" if html and not html.startswith("<") else html


def _introduction(problem: etree._Element, first_response: etree._Element) -> str:
    """What the problem says before its first response: paragraphs, tables, images."""
    kept = []
    for child in problem:
        if child is first_response or first_response in child.iterdescendants():
            break
        if isinstance(child.tag, str) and child.tag not in NOT_PROMPT:
            kept.append(etree.tostring(child, encoding="unicode", method="html", with_tail=False))
    return _block(_lines("".join(kept))) if kept else ""


def _prompt(response: etree._Element) -> str:
    """The label first, then what else the response says (paragraphs, its description); for a
    response with no words of its own inside a table, its row and column."""
    label = response.find("label")
    parts = [_block(_html(label))] if label is not None else []
    parts += [_block(_html(child)) if child.tag == "description"
              else _lines(etree.tostring(child, encoding="unicode", method="html", with_tail=False))
              for child in response if isinstance(child.tag, str) and child.tag not in RESPONSE_PARTS]
    if not any(parts) and (cell := _table_cell_context(response)):
        parts.append(_block(cell))
    return "\n\n".join(part for part in parts if part)


def _table_cell_context(response: etree._Element) -> str:
    """For a response inside a table cell, the row's first cell and the column's heading."""
    cell = next((a for a in response.iterancestors() if a.tag == "td"), None)
    if cell is None:
        return ""
    row = cell.getparent()
    table = next((a for a in row.iterancestors() if a.tag == "table"), None)
    row_label = " ".join(row[0].itertext()).split() if len(row) else []
    heading = []
    if table is not None:
        header = next((r for r in table.iter("tr") if r.find("th") is not None), None)
        column = list(row).index(cell)
        if header is not None and column < len(header):
            heading = " ".join(header[column].itertext()).split()
    return " — ".join(" ".join(words) for words in (row_label, heading) if words)


def _solution(response: etree._Element) -> str:
    solution = response.find("solution")
    return _html(solution, skip=frozenset()) if solution is not None else ""


def _problem_solution(problem: etree._Element) -> str:
    solution = problem.find("solution")
    return _html(solution, skip=frozenset()) if solution is not None else ""


def _prepend_text(question: etree._Element, tag: str, text: str) -> None:
    element = etree.Element(tag)
    element.text = text
    question.insert(0, element)


def _text_without_hints(choice: etree._Element) -> str:
    parts = [choice.text or ""]
    for child in choice:
        if child.tag not in ("choicehint", "optionhint"):
            parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=False))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _hint(choice: etree._Element, tag: str, *, selected: str | None = None) -> str:
    for hint in choice.findall(tag):
        if selected is None or hint.get("selected", "true").lower() == selected:
            return " ".join("".join(hint.itertext()).split())
    return ""


# The five response types


def _choices(question: etree._Element, choices: list[etree._Element], hint_tag: str, selected: str | None) -> int:
    correct = 0
    for number, choice in enumerate(choices, start=1):
        element = etree.SubElement(question, "choice", id=f"c{number}")
        element.text = _text_without_hints(choice)
        if choice.get("correct", "false").lower() == "true":
            element.set("correct", "true")
            correct += 1
        if feedback := _hint(choice, hint_tag, selected=selected):
            element.set("feedback", feedback)
    return correct


def _multiple_choice(response: etree._Element) -> etree._Element:
    question = etree.Element("single_choice")
    choices = response.findall("choicegroup/choice")
    if _choices(question, choices, "choicehint", None) != 1:
        raise NotConvertible("a multiple-choice response needs exactly one correct choice")
    return question


def _checkboxes(response: etree._Element) -> etree._Element:
    # Open edX grades checkboxes all or nothing unless the author asks for partial credit.
    partial = bool(response.get("partial_credit", "").strip())
    question = etree.Element("multiple_response", scoring="partial" if partial else "all_or_nothing")
    if not _choices(question, response.findall("checkboxgroup/choice"), "choicehint", "true"):
        raise NotConvertible("a checkbox response needs at least one correct choice")
    return question


def _numerical(response: etree._Element) -> etree._Element:
    answer = response.get("answer", "").strip()
    if not NUMBER.fullmatch(answer):
        raise NotConvertible(f'its numerical answer "{answer}" is a formula, a range or a script value')
    question = etree.Element("numeric", answer=answer)
    tolerance = response.find("responseparam[@type='tolerance']")
    if tolerance is not None and (value := tolerance.get("default", "").strip()):
        question.set("tolerance", value)
    return question


def _string(response: etree._Element) -> etree._Element:
    kinds = response.get("type", "").lower().split()
    if "regexp" in kinds:
        raise NotConvertible("its text answer is a regular expression")
    answers = [response.get("answer", "")] + [a.get("answer", "") for a in response.findall("additional_answer")]
    question = etree.Element("short_text")
    # Open edX compares the text exactly, accents included, and letter case too unless "ci".
    question.set("accent_sensitive", "true")
    if "ci" not in kinds:
        question.set("case_sensitive", "true")
    for answer in answers:
        if answer.strip():
            etree.SubElement(question, "answer").text = answer.strip()
    return question


def _options(response: etree._Element) -> etree._Element:
    select = response.find("optioninput")
    if select is None:
        raise NotConvertible("a dropdown response has no <optioninput>")
    question = etree.Element("single_choice")
    options = select.findall("option")
    if options:  # the newer form: <option correct="True">text<optionhint>…</optionhint></option>
        correct = _choices(question, options, "optionhint", None)
    else:  # the older form: options="('a','b')" correct="b"
        names = [item.replace("\\'", "'") for item in OPTION_ITEM.findall(select.get("options", ""))]
        correct = 0
        for number, name in enumerate(names, start=1):
            choice = etree.SubElement(question, "choice", id=f"c{number}")
            choice.text = name
            if name == select.get("correct"):
                choice.set("correct", "true")
                correct += 1
    if correct != 1:
        raise NotConvertible("a dropdown response needs exactly one correct option")
    return question


_QUESTIONS = {
    "multiplechoiceresponse": _multiple_choice,
    "choiceresponse": _checkboxes,
    "numericalresponse": _numerical,
    "stringresponse": _string,
    "optionresponse": _options,
}
