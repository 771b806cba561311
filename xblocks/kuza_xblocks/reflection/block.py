"""The kuza_reflection XBlock: an adaptation plan written to guided prompts, saved as a draft, submitted in versions."""

import hashlib
import uuid
from datetime import UTC, datetime
from functools import cache
from importlib import resources

from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import CompletableXBlockMixin, XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Dict, List, Scope, String
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from kuza_xblocks import olx
from kuza_xblocks.i18n import N_
from kuza_xblocks.quiz.forms import redirect_target
from kuza_xblocks.reflection import plan_olx, prompts, scenarios, versions, view
from kuza_xblocks.templating import render_template

_PACKAGE = "kuza_xblocks.reflection"
SETTINGS = ("display_name",)


@cache
def stylesheet() -> str:
    """The block's CSS, which every student_view fragment carries inline."""
    return resources.files(_PACKAGE).joinpath("public/reflection.css").read_text(encoding="utf-8")


@XBlock.needs("i18n")
# Kuza's runtime offers "plans": the trainers' reviews of this learner's versions and where to
# download them. Open edX has no such service; the block then works without feedback.
@XBlock.wants("plans")
class ReflectionBlock(CompletableXBlockMixin, StudioEditableXBlockMixin, XBlock):
    """An adaptation plan: the learner answers guided prompts, saves drafts and submits versions for review."""

    display_name = String(
        display_name=N_("Display name"),
        help=N_("The plan's name, as learners see it above the prompts."),
        scope=Scope.settings,
        default=N_("Adaptation plan"),
    )
    prompts = List(
        display_name=N_("Prompts"),
        help=N_(
            'The prompts as JSON: a list of objects with a "name" (lower-case letters, digits, "-" and "_"; '
            'never change it once learners have answered), a "text" and an optional "hint". '
            "Leave it empty for the default set."
        ),
        scope=Scope.content,
        default=[],
    )
    draft = Dict(help="The answers saved but not submitted, by prompt name.", scope=Scope.user_state, default={})
    draft_saved_at = String(help="When the draft was last saved, in UTC.", scope=Scope.user_state, default="")
    versions = List(help="Every submitted version, oldest first; append-only.", scope=Scope.user_state, default=[])
    unanswered = List(
        help="The prompts left empty in a submission that was refused for it.", scope=Scope.user_state, default=[]
    )

    editable_fields = ("display_name", "prompts")

    # Writing the plan is the work: complete on submission, never on view, and no score.
    has_score = False
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True
    icon_class = "problem"

    # Learner view

    def student_view(self, context=None):  # noqa: ARG002 - the XBlock view signature
        """The plan as a plain form (or, while a version awaits review, as submitted); CSS inline, no JavaScript."""
        gettext = self.runtime.service(self, "i18n").gettext
        page = view.PlanPage(
            title=self.display_name if self.fields["display_name"].is_set_on(self) else gettext(self.display_name),
            prompts=self.shown_prompts(gettext),
            draft=dict(self.draft),
            draft_saved_at=self.draft_saved_at,
            versions=list(self.versions),
            unanswered=list(self.unanswered),
            # A new token per rendering: the form it goes in is one submission.
            token=str(uuid.uuid4()),
            action=self.runtime.handler_url(self, "save_plan"),
            id_prefix=self._id_prefix(),
            gettext=gettext,
            reviews=self._reviews(),
        )
        fragment = Fragment(render_template(_PACKAGE, "reflection.html", **view.context(page)))
        # Inline rather than a URL: one request fewer on a learner page limited to four.
        fragment.add_css(stylesheet())
        return fragment

    def shown_prompts(self, gettext) -> list[dict]:
        """The prompts as the learner reads them: the author's as written, the default set translated."""
        if self.prompts:
            return [dict(prompt) for prompt in self.prompts]
        return [
            {"name": prompt["name"], "text": gettext(prompt["text"]), "hint": gettext(prompt["hint"])}
            for prompt in prompts.DEFAULT_PROMPTS
        ]

    def _reviews(self):
        service = self.runtime.service(self, "plans")
        return None if service is None else service.versions(self)

    def _id_prefix(self) -> str:
        digest = hashlib.sha256(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()
        return f"kr{digest[:8]}-"

    # Saving and submitting

    @XBlock.handler
    def save_plan(self, request, suffix=""):  # noqa: ARG002 - the XBlock handler signature
        """Save the draft (``action=draft``) or submit a new version (``action=submit``) from the plan's form.

        Answered with 303 See Other back to the page, whatever happened: the page shows the
        outcome (the draft's time, the new version, or the prompts still to answer).
        """
        if request.method != "POST":
            return Response(status=405, headers={"Allow": "POST"})
        gettext = self.runtime.service(self, "i18n").gettext
        shown = self.shown_prompts(gettext)
        try:
            answers = prompts.answers_from_form(shown, request.POST)
            action = request.POST.get("action", "draft")
            if action not in ("draft", "submit"):
                raise prompts.AnswerError(f"unknown action {action!r}")
            token = self._token(request.POST.get("submission", "")) if action == "submit" else ""
        except prompts.AnswerError:
            message = gettext("This plan's page is out of date. Reload the page, then save your answers again.")
            return Response(message, status=400, charset="utf-8", content_type="text/plain")
        self._apply(action, shown, answers, token)
        return Response(
            status=303, location=redirect_target(request.POST.get("return_to"), request.referer, request.host_url)
        )

    def _apply(self, action: str, shown: list[dict], answers: dict[str, str], token: str) -> None:
        """Change the learner's state as ``action`` asks; the host serialises handler calls per learner and block."""
        stored = list(self.versions)
        if versions.find(stored, token) is not None:
            return  # the same form sent again: its version is already kept
        if not versions.may_revise(stored, self._reviewed()):
            return  # a stale page: the submitted version stays as it is until reviewed
        now = datetime.now(UTC)
        missing = prompts.unanswered(shown, answers)
        if action == "draft" or missing:
            self.draft = answers
            self.draft_saved_at = now.isoformat(timespec="seconds")
            self.unanswered = missing if action == "submit" else []
            return
        version = versions.record(stored, shown, answers, token=token, submitted_at=now)
        self.versions = [*stored, version]
        self.draft = {}
        self.draft_saved_at = ""
        self.unanswered = []
        self.runtime.publish(self, versions.SUBMITTED_EVENT, versions.event(version))
        self.emit_completion(1.0)

    def _reviewed(self) -> set[int] | None:
        reviews = self._reviews()
        return None if reviews is None else {number for number, review in reviews.items() if review.get("reviewed")}

    @staticmethod
    def _token(value: str) -> str:
        try:
            return str(uuid.UUID(value.strip()))
        except (AttributeError, ValueError) as error:
            raise prompts.AnswerError("the submission token is missing or malformed") from error

    # Authoring

    def validate_field_data(self, validation, data):
        """Refuse prompts without a name or text, and two prompts with one name."""
        if data.prompts:
            for problem in prompts.problems(data.prompts):
                validation.add(ValidationMessage(ValidationMessage.ERROR, problem))

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build a plan from its OLX element (see kuza_xblocks.reflection.plan_olx for the form).

        Raises kuza_xblocks.errors.OLXError, with the line, for an unknown attribute, an
        empty prompt, two prompts with one name, or anything but prompts inside.
        """
        attributes, plan = plan_olx.read_plan(node)
        values = {
            name: olx.field_value(cls, node, name, raw, not_attribute="prompts", line=node.sourceline)
            for name, raw in attributes.items()
        }
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in values.items():
            setattr(block, name, value)
        if plan:
            block.prompts = plan
        return block

    def add_xml_to_node(self, node):
        """Write this plan into the OLX element ``node``; the host adds url_name."""
        node.tag = self.xml_element_name()
        names = [*SETTINGS, *sorted(name for name in self.fields if name not in SETTINGS)]
        settings = {}
        for name in names:
            field = self.fields[name]
            if not olx.is_attribute_field(name, field, "prompts"):
                continue
            if not (field.is_set_on(self) or field.force_export):
                continue
            value = field.read_from(self)
            if value is not None:
                settings[name] = field.to_string(value)
        settings["xblock-family"] = self.entry_point
        plan_olx.write_plan(node, settings, self.prompts)

    @staticmethod
    def workbench_scenarios():
        """Plans to try in xblock-sdk's workbench: (title, OLX) pairs."""
        return scenarios.WORKBENCH_SCENARIOS
