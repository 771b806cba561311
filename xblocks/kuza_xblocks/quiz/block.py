"""The kuza_quiz XBlock: its fields, its learner and Studio views, its submit handler and its OLX form."""

import hashlib
import json
import uuid
from functools import cache
from importlib import resources

from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin, XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from kuza_xblocks import olx
from kuza_xblocks.errors import OLXError
from kuza_xblocks.i18n import N_
from kuza_xblocks.quiz import attempts, checks, forms, policy, questions, quiz_olx, scenarios, views
from kuza_xblocks.quiz.layout import learner_seed
from kuza_xblocks.templating import render_template

_PACKAGE = "kuza_xblocks.quiz"

# Settings in the order they are written as OLX attributes, so a file written in this
# order reads back and writes out unchanged.
SETTINGS = ("display_name", "mode", "question_set", "max_attempts", "pass_mark", "weight", "show_answers", "shuffle")

_MODE_NAMES = {
    "graded": N_("Graded"),
    "practice": N_("Practice"),
    "pre_test": N_("Pre-test"),
    "post_test": N_("Post-test"),
}
_SHOW_ANSWERS_NAMES = {
    "never": N_("Never"),
    "after_passing": N_("After passing"),
    "after_last_attempt": N_("After the last attempt"),
    "always": N_("Always, after submitting"),
}


@cache
def stylesheet() -> str:
    """The block's CSS, which every student_view fragment carries inline."""
    return resources.files(_PACKAGE).joinpath("public/quiz.css").read_text(encoding="utf-8")


@cache
def script() -> str:
    """The block's JavaScript, which every student_view fragment carries inline."""
    return resources.files(_PACKAGE).joinpath("public/quiz.js").read_text(encoding="utf-8")


def _choices(names: dict[str, str]):
    # A values_provider, so the Studio editor shows the names in the author's language.
    def provide(block):
        return [{"display_name": block.ugettext(name), "value": value} for value, name in names.items()]

    return provide


@XBlock.needs("i18n")
# Open edX rewrites /static/ links in the page it renders, but not in a handler's answer:
# the re-rendered quiz in the JSON answer goes through this service when the host has it.
@XBlock.wants("replace_urls")
class QuizBlock(CompletableXBlockMixin, StudioEditableXBlockMixin, XBlock):
    """A quiz: questions graded by pure rules, append-only attempts, feedback as its policy allows."""

    display_name = String(
        display_name=N_("Display name"),
        help=N_("The quiz's name, as learners see it above the questions."),
        scope=Scope.settings,
        default=N_("Quiz"),
    )
    questions = List(
        display_name=N_("Questions"),
        help=N_(
            "The questions as JSON: a list of objects with id, type, prompt, explanation, weight and the keys "
            "of their type. The authoring guide describes each type."
        ),
        scope=Scope.content,
        default=[],
    )
    mode = String(
        display_name=N_("Mode"),
        help=N_(
            "Graded counts towards the course grade; practice is for trying; a pre-test and a post-test with "
            "the same question set measure what learners gained."
        ),
        scope=Scope.settings,
        default="graded",
        values_provider=_choices(_MODE_NAMES),
    )
    question_set = String(
        display_name=N_("Question set"),
        help=N_("A name that a pre-test and its post-test share, so gains can be computed per learner."),
        scope=Scope.settings,
        default="",
    )
    max_attempts = Integer(
        display_name=N_("Maximum attempts"),
        help=N_("How many times a learner may submit the quiz; 0 for no limit."),
        scope=Scope.settings,
        default=0,
        values={"min": 0, "step": 1},
    )
    pass_mark = Float(
        display_name=N_("Pass mark"),
        help=N_("The fraction of the points needed to pass, from 0 to 1: 0.6 is 60%."),
        scope=Scope.settings,
        default=0.6,
        values={"min": 0, "max": 1, "step": 0.05},
    )
    weight = Float(
        display_name=N_("Weight"),
        help=N_("The quiz's weight in the course grade."),
        scope=Scope.settings,
        default=1.0,
        values={"min": 0, "step": 0.1},
    )
    show_answers = String(
        display_name=N_("Show answers"),
        help=N_("When learners see the correct answers, the feedback and the explanations."),
        scope=Scope.settings,
        default="always",
        values_provider=_choices(_SHOW_ANSWERS_NAMES),
    )
    shuffle = Boolean(
        display_name=N_("Shuffle choices"),
        help=N_("Show each learner the choices in an order of their own, the same on every visit."),
        scope=Scope.settings,
        default=False,
    )
    attempts = List(
        help="Every submission, oldest first; append-only.",
        scope=Scope.user_state,
        default=[],
    )

    editable_fields = (*SETTINGS, "questions")

    has_score = True
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True
    icon_class = "problem"

    def max_score(self):
        """The raw points of a perfect attempt: the sum of the questions' weights."""
        return questions.max_points(self.questions)

    # Learner view

    def student_view(self, context=None):  # noqa: ARG002 - the XBlock view signature
        """The quiz as a plain form, its result and history; CSS and JavaScript inline."""
        fragment = Fragment(self._render())
        # Inline rather than URLs: requests are what cost most on a slow line.
        fragment.add_css(stylesheet())
        fragment.add_javascript(script())
        fragment.initialize_js("KuzaQuizInit")
        return fragment

    def _render(self, message: str = "") -> str:
        gettext = self.runtime.service(self, "i18n").gettext
        page = views.QuizPage(
            title=self.display_name if self.fields["display_name"].is_set_on(self) else gettext(self.display_name),
            mode=self.mode,
            show_answers=self.show_answers,
            max_attempts=self.max_attempts,
            pass_mark=self.pass_mark,
            shuffle=self.shuffle,
            questions=self.questions,
            attempts=self.attempts,
            seed=self._seed(),
            # A new token per rendering: the form it goes in is one submission.
            token=str(uuid.uuid4()),
            action=self.runtime.handler_url(self, "submit"),
            id_prefix=self._id_prefix(),
            gettext=gettext,
            message=message,
        )
        return render_template(_PACKAGE, "quiz.html", **views.context(page))

    def _with_host_urls(self, html: str) -> str:
        service = self.runtime.service(self, "replace_urls")
        return service.replace_urls(html) if service is not None else html

    def _seed(self) -> str:
        return learner_seed(self.scope_ids.user_id, self.scope_ids.usage_id)

    def _id_prefix(self) -> str:
        # From the usage id alone: unique per block on a page, the same on every render and
        # for every learner, so learners share render_markdown's cached fragments.
        digest = hashlib.sha256(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()
        return f"kq{digest[:8]}-"

    # Submitting

    @XBlock.handler
    def submit(self, request, suffix=""):  # noqa: ARG002 - the XBlock handler signature
        """Record one attempt from the quiz form (a plain post or JSON) and answer as the request asked.

        A plain post is answered with 303 See Other back to the page; JSON with the quiz
        re-rendered and a summary of the result.
        """
        if request.method != "POST":
            return Response(status=405, headers={"Allow": "POST"})
        as_json = request.content_type == "application/json"
        gettext = self.runtime.service(self, "i18n").gettext
        try:
            if as_json:
                try:
                    body = json.loads(request.body or b"null")
                except ValueError as error:
                    raise forms.ResponseError("the body is not JSON") from error
                token, fields = forms.json_fields(body)
            else:
                fields = forms.form_fields(request.POST)
                token = (fields.get("submission") or [""])[0]
            token = forms.submission_token(token)
            responses = forms.decode(
                self.questions, views.layouts(self._seed(), self.questions, shuffle=self.shuffle), fields
            )
        except forms.ResponseError:
            message = gettext("This quiz page is out of date. Reload the page and submit your answers again.")
            return self._json(400, error=message) if as_json else Response(message, status=400, charset="utf-8",
                                                                          content_type="text/plain")
        attempt, outcome = self._record(token, responses)
        if not as_json:
            return Response(
                status=303,
                location=forms.redirect_target(request.POST.get("return_to"), request.referer, request.host_url),
            )
        message = ""
        if outcome == "refused":
            message = gettext("You have used all your attempts at this quiz, so this one was not recorded.")
        elif outcome == "empty":
            message = gettext("This quiz has no questions yet.")
        return self._json(
            409 if outcome in ("refused", "empty") else 200,
            html=self._with_host_urls(self._render(message)),
            result=self._summary(attempt, repeated=outcome == "repeated"),
            **({"error": message} if message else {}),
        )

    def _record(self, token: str, responses: dict) -> tuple[dict | None, str]:
        """Append the attempt and tell the runtime, unless it was recorded before or is over the limit.

        The check and the append happen in this one handler call; the host serialises
        handler calls for one learner and block, so two racing posts cannot both pass.
        """
        stored = list(self.attempts)
        previous = attempts.find(stored, token)
        if previous is not None:
            return previous, "repeated"
        if not self.questions:
            return None, "empty"
        if not policy.may_submit(self.max_attempts, len(stored)):
            return (stored[-1] if stored else None), "refused"
        attempt = attempts.record(self.questions, responses, token=token, pass_mark=self.pass_mark)
        self.attempts = [*stored, attempt]
        self.runtime.publish(self, "grade", {"value": attempt["earned"], "max_value": attempt["possible"]})
        self.runtime.publish(
            self, attempts.ATTEMPT_EVENT, attempts.event(attempt, mode=self.mode, question_set=self.question_set)
        )
        self.emit_completion(1.0)
        return attempt, "new"

    def _summary(self, attempt: dict | None, *, repeated: bool) -> dict:
        stored = self.attempts
        return attempts.summary(
            attempt,
            reveal=policy.reveal(
                mode=self.mode, show_answers=self.show_answers, max_attempts=self.max_attempts, attempts=stored
            ),
            mode=self.mode,
            used=len(stored),
            left=policy.attempts_left(self.max_attempts, len(stored)),
            repeated=repeated,
        )

    @staticmethod
    def _json(status: int, **body) -> Response:
        return Response(
            json.dumps(body), status=status, content_type="application/json", charset="utf-8"
        )

    # Authoring

    def validate_field_data(self, validation, data):
        """Refuse questions that cannot be graded and settings out of range; warn about odd combinations."""
        for problem in checks.question_problems(data.questions) + checks.settings_problems(
            mode=data.mode,
            show_answers=data.show_answers,
            max_attempts=data.max_attempts,
            pass_mark=data.pass_mark,
            weight=data.weight,
            question_set=data.question_set,
        ):
            validation.add(ValidationMessage(ValidationMessage.ERROR, problem))
        for warning in checks.settings_warnings(
            mode=data.mode, show_answers=data.show_answers, max_attempts=data.max_attempts,
            question_set=data.question_set,
        ):
            validation.add(ValidationMessage(ValidationMessage.WARNING, warning))

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build a quiz from its OLX element (see kuza_xblocks.quiz.quiz_olx for the form).

        Raises kuza_xblocks.errors.OLXError for an unknown attribute, a setting out of
        range or a question that cannot be graded.
        """
        attributes, quiz_questions = quiz_olx.read_quiz(node)
        # Any settings field of the class as the runtime mixed it is accepted, so Open edX's
        # own (visible_to_staff_only, …) survive a round trip; anything else is a mistake.
        values = {
            name: olx.field_value(cls, node, name, raw, not_attribute="questions", line=node.sourceline)
            for name, raw in attributes.items()
        }
        merged = {name: values.get(name, cls.fields[name].default) for name in SETTINGS}
        problems = checks.settings_problems(
            mode=merged["mode"], show_answers=merged["show_answers"], max_attempts=merged["max_attempts"],
            pass_mark=merged["pass_mark"], weight=merged["weight"], question_set=merged["question_set"],
        )
        if problems:
            raise OLXError(f"<{node.tag}>: {'; '.join(problems)}.", line=node.sourceline)
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in values.items():
            setattr(block, name, value)
        if quiz_questions:
            block.questions = quiz_questions
        return block

    def add_xml_to_node(self, node):
        """Write this quiz into the OLX element ``node``; the host adds url_name."""
        node.tag = self.xml_element_name()
        names = [*SETTINGS, *sorted(name for name in self.fields if name not in SETTINGS)]
        settings = {}
        for name in names:
            field = self.fields[name]
            if not olx.is_attribute_field(name, field, "questions"):
                continue
            if not (field.is_set_on(self) or field.force_export):
                continue
            value = field.read_from(self)
            if value is None:
                continue
            # Numbers as authors write them (1, 0.6), not as floats print (1.0).
            settings[name] = questions.number_text(value) if isinstance(field, Float) else field.to_string(value)
        quiz_olx.write_quiz(node, settings, self.questions)
        node.set("xblock-family", self.entry_point)

    @staticmethod
    def workbench_scenarios():
        """Quizzes to try in xblock-sdk's workbench: (title, OLX) pairs."""
        return scenarios.WORKBENCH_SCENARIOS
