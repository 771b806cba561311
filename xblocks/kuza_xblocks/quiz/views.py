"""Builds what the quiz template shows one learner: the questions as they see them, their result, their history.

Everything that could give an answer away (which option is correct, feedback,
explanations) is put into the context only when policy.reveal allows it; the template
cannot show what it is not given.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from kuza_xblocks.markdown.rendering import plain_text, render_markdown
from kuza_xblocks.quiz import forms, policy, questions
from kuza_xblocks.quiz.layout import Layout, question_layout


@dataclass(frozen=True)
class QuizPage:
    """Everything the learner's view of a quiz depends on."""

    title: str
    mode: str
    show_answers: str
    max_attempts: int
    pass_mark: float
    shuffle: bool
    questions: list[dict]
    attempts: list[dict]
    seed: str  # layout.learner_seed
    token: str  # the submission token of this rendering
    action: str  # the submit handler's URL
    id_prefix: str  # unique per block on the page
    gettext: Callable[[str], str]
    message: str = ""  # an explanation of a refused submission, for the script's re-render


def layouts(seed: str, quiz_questions: list[dict], *, shuffle: bool) -> dict[str, Layout]:
    """Each question's layout for the learner with ``seed``, by question id."""
    return {question["id"]: question_layout(seed, question, shuffle=shuffle) for question in quiz_questions}


def context(page: QuizPage) -> dict:
    """The template context for ``page``."""
    _ = page.gettext
    latest = page.attempts[-1] if page.attempts else None
    used = len(page.attempts)
    left = policy.attempts_left(page.max_attempts, used)
    reveal = policy.reveal(
        mode=page.mode, show_answers=page.show_answers, max_attempts=page.max_attempts, attempts=page.attempts
    )
    can_submit = policy.may_submit(page.max_attempts, used) and bool(page.questions)
    shown = layouts(page.seed, page.questions, shuffle=page.shuffle)
    return {
        "_": _,
        "id": page.id_prefix,
        "title": page.title,
        "action": page.action,
        "token": page.token,
        "message": page.message,
        "can_submit": can_submit,
        "intro": _intro(page, _),
        "result": _result(page, latest, used, left, _) if latest else None,
        "questions": [
            _question(page, question, number, shown[question["id"]], latest, reveal, disabled=not can_submit)
            for number, question in enumerate(page.questions, start=1)
        ],
        "history": _history(page, _) if page.attempts else [],
        "shows_pass_or_fail": policy.shows_pass_or_fail(page.mode),
    }


def points(value: float) -> str:
    """Points as a learner reads them: 2, 1.5, 0.33 (never 0.30000000000000004)."""
    return f"{round(value, 2):g}"


def percent(earned: float, possible: float) -> int:
    return round(100 * earned / possible) if possible > 0 else 100


def _intro(page: QuizPage, _) -> list[str]:
    lines = []
    if page.mode == "pre_test":
        lines.append(
            _(
                "This pre-test shows what you know before the module. Answer as well as you can. "
                "You will see your score but not the answers: the post-test asks the same questions."
            )
        )
    if page.max_attempts > 0:
        lines.append(_("Attempts allowed: %(count)d.") % {"count": page.max_attempts})
    else:
        lines.append(_("You may submit this quiz as many times as you like."))
    if policy.shows_pass_or_fail(page.mode):
        lines.append(_("To pass, score at least %(percent)d%%.") % {"percent": round(page.pass_mark * 100)})
    return lines


def _result(page: QuizPage, latest: dict, used: int, left: int | None, _) -> dict:
    earned, possible = latest["earned"], latest["possible"]
    lines = [
        _("Score: %(earned)s of %(possible)s (%(percent)d%%).")
        % {"earned": points(earned), "possible": points(possible), "percent": percent(earned, possible)}
    ]
    passed = None
    if policy.shows_pass_or_fail(page.mode):
        passed = bool(latest["passed"])
        lines.append(_("You passed.") if passed else _("You did not pass this time."))
    if left is None:
        lines.append(_("Attempts used: %(used)d.") % {"used": used})
    else:
        lines.append(_("Attempts used: %(used)d of %(total)d.") % {"used": used, "total": page.max_attempts})
        lines.append(
            _("Attempts left: %(left)d.") % {"left": left} if left else _("You have used all your attempts.")
        )
    return {"heading": _("Your result"), "lines": lines, "passed": passed}


def _history(page: QuizPage, _) -> list[dict]:
    rows = []
    for number, attempt in enumerate(page.attempts, start=1):
        when = datetime.fromisoformat(attempt["submitted_at"])
        rows.append(
            {
                "number": number,
                "datetime": attempt["submitted_at"],
                # A no-break space: a narrow screen wraps after the date, never before "UTC".
                "date": when.strftime("%Y-%m-%d %H:%M\u00a0UTC"),
                "score": _("%(earned)s of %(possible)s (%(percent)d%%)")
                % {
                    "earned": points(attempt["earned"]),
                    "possible": points(attempt["possible"]),
                    "percent": percent(attempt["earned"], attempt["possible"]),
                },
                "passed": _("Passed") if attempt["passed"] else _("Not passed"),
            }
        )
    return rows


def _markdown(text: str, prefix: str, _) -> Markup:
    """Safe HTML for the Markdown ``text``, its ids prefixed with ``prefix``.

    Each fragment of a page (a prompt, a choice, a feedback) has a prefix of its own, so two
    fragments with footnotes never share an id and each back-link finds its own note.
    ``_`` translates the labels that the Markdown extensions add (the table box, the
    footnote back-links), as the markdown block does.
    """
    # Sanitised by render_markdown (nh3), so it is not escaped again.
    return Markup(render_markdown(text or "", id_prefix=prefix, gettext=_))  # noqa: S704


def _inline(text: str, prefix: str, _) -> Markup:
    """Markdown for a label or a list item: one paragraph is given without its <p>.

    Choices, items and sides of a pair are short Markdown; a label holds phrasing
    content only, so the paragraph Markdown wraps every text in is taken off.
    """
    html = str(_markdown(text, prefix, _))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)  # noqa: S704 - sanitised by render_markdown


def _question(
    page: QuizPage,
    question: dict,
    number: int,
    layout: Layout,
    latest: dict | None,
    reveal: policy.Reveal,
    *,
    disabled: bool,
) -> dict:
    _ = page.gettext
    kind = question["type"]
    dom = f"{page.id_prefix}q{number}"
    response = latest["responses"].get(question["id"]) if latest else None
    view = {
        "id": dom,
        "type": kind,
        "number": number,
        "count": len(page.questions),
        "points": points(question.get("weight", 1)),
        "prompt": _markdown(question.get("prompt", ""), f"{dom}-p-", _),
        "name": forms.field_name(question["id"]),
        "disabled": disabled,
        "status": None,
        "feedback": [],
        "answer": None,
        "answer_list": [],
        "explanation": None,
    }
    view.update(_inputs(question, dom, layout, response, reveal, _))
    if latest and reveal.results:
        view["status"] = _status(latest["results"].get(question["id"]), question, _)
    if latest and reveal.answers:
        result = questions.grade(question, response) if response is not None else None
        view["feedback"] = [
            _markdown(text, f"{dom}-f{index}-", _) for index, text in enumerate(result.feedback if result else ())
        ]
        view["answer"], view["answer_list"] = _correct_answer(question, dom, _)
        if question.get("explanation"):
            view["explanation"] = _markdown(question["explanation"], f"{dom}-e-", _)
    return view


def _inputs(question: dict, dom: str, layout: Layout, response, reveal: policy.Reveal, _) -> dict:
    # Options' fragments are prefixed by their position on the page, like their inputs:
    # a prefix made from an authored id would show that id to the learner.
    kind = question["type"]
    if kind in ("single_choice", "multiple_response"):
        chosen = set(response or ()) if kind == "multiple_response" else {response}
        return {
            "choices": [
                {
                    "key": str(position),
                    "text": _inline(question["choices"][authored]["text"], f"{dom}-c{position}-", _),
                    "checked": question["choices"][authored]["id"] in chosen,
                    "correct": reveal.answers and bool(question["choices"][authored].get("correct")),
                }
                for position, authored in enumerate(layout.options)
            ]
        }
    if kind == "true_false":
        return {
            "choices": [
                {"key": "true", "text": _("True"), "checked": response is True, "correct": False},
                {"key": "false", "text": _("False"), "checked": response is False, "correct": False},
            ]
        }
    if kind in ("numeric", "short_text"):
        return {"value": response if isinstance(response, str) else ""}
    if kind == "ordering":
        items = question["items"]
        placed = {item_id: position for position, item_id in enumerate(response or (), start=1)}
        return {
            "rows": [
                {
                    "name": forms.field_name(question["id"], shown),
                    "text": _inline(items[authored]["text"], f"{dom}-i{shown}-", _),
                    "selected": str(placed.get(items[authored]["id"], "")),
                }
                for shown, authored in enumerate(layout.options)
            ],
            "options": [{"key": str(position), "text": str(position)} for position in range(1, len(items) + 1)],
        }
    if kind == "matching":
        pairs = question["pairs"]
        index_of = {pair["id"]: index for index, pair in enumerate(pairs)}
        chosen = response if isinstance(response, dict) else {}
        return {
            "rows": [
                {
                    "name": forms.field_name(question["id"], index),
                    "text": _inline(pair["left"], f"{dom}-l{index}-", _),
                    "selected": layout.key(index_of[chosen[pair["id"]]])
                    if chosen.get(pair["id"]) in index_of
                    else "",
                }
                for index, pair in enumerate(pairs)
            ],
            # An <option> holds text only: the right sides lose their Markdown markup there.
            "options": [
                {"key": str(shown), "text": plain_text(pairs[authored]["right"])}
                for shown, authored in enumerate(layout.options)
            ],
        }
    return {}


def _status(result: dict | None, question: dict, _) -> dict:
    weight = question.get("weight", 1.0)
    if not result or not result.get("answered"):
        kind, text = "unanswered", _("Not answered.")
    elif result.get("invalid"):
        kind, text = "incorrect", _("Your answer could not be read, so it earned no points.")
    elif result.get("correct"):
        kind, text = "correct", _("Correct.")
    elif result.get("score", 0) > 0:
        kind, text = "partial", _("Partly correct.")
    else:
        kind, text = "incorrect", _("Incorrect.")
    # A result's score is the fraction of the question's weight that the answer earned.
    earned = weight * (result or {}).get("score", 0)
    score = _("Points: %(earned)s of %(possible)s.") % {"earned": points(earned), "possible": points(weight)}
    return {"kind": kind, "text": text, "score": score}


def _correct_answer(question: dict, dom: str, _) -> tuple[str | None, list]:
    """The correct answer as a sentence, or as a list of lines, for the types that need one."""
    kind = question["type"]
    if kind == "true_false":
        return (_("The correct answer is: %(answer)s") % {"answer": _("True") if question["answer"] else _("False")}), []
    if kind == "numeric":
        answer = questions.number_text(question["answer"])
        tolerance = question.get("tolerance") or {}
        value = tolerance.get("value") or 0
        if tolerance.get("kind") == "absolute" and value:
            answer = _("%(answer)s, give or take %(tolerance)s") % {"answer": answer, "tolerance": questions.number_text(value)}
        elif tolerance.get("kind") == "relative" and value:
            answer = _("%(answer)s, give or take %(tolerance)s%%") % {"answer": answer, "tolerance": questions.number_text(round(value * 100, 6))}
        return _("The correct answer is: %(answer)s") % {"answer": answer}, []
    if kind == "short_text":
        return _("Accepted answers:"), list(question.get("answers") or ())
    if kind == "ordering":
        return _("The correct order:"), [
            _inline(item["text"], f"{dom}-a{index}-", _) for index, item in enumerate(question["items"])
        ]
    if kind == "matching":
        # Pairs, not "left → right" strings: an arrow points the wrong way in Arabic.
        return _("The correct pairs:"), [
            (_inline(pair["left"], f"{dom}-a{index}l-", _), _inline(pair["right"], f"{dom}-a{index}r-", _))
            for index, pair in enumerate(question["pairs"])
        ]
    # Choices are marked in place.
    return None, []

