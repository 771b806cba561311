"""Kuza's XBlock runtime: builds a learner's blocks, renders them, routes handlers and events.

One runtime serves one learner in one course version for one request, as Open edX's LMS
runtime does. Scores and completions reach the database only through ``publish``.
"""
from __future__ import annotations

import gettext
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

from markupsafe import Markup, escape
from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.exceptions import NoSuchDefinition, NoSuchUsage
from xblock.fields import ScopeIds
from xblock.reference.plugins import Service
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import IdGenerator, IdReader, NullI18nService, Runtime

from lms.courseware.field_data import CourseFieldData
from lms.courseware.registry import block_class
from lms.courseware.structure import STRUCTURE_BLOCKS

log = logging.getLogger(__name__)
events_log = logging.getLogger("lms.courseware.events")

# Lessons refer to course files as /static/<path>, the Open edX convention.
STATIC_REFERENCE = re.compile(r"""(?P<quote>["'(])/static/""")
POST_FORM = re.compile(r"<form\b[^>]*\bmethod\s*=\s*[\"']?post\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class RuntimeLinks:
    """URL builders the host page provides, so the runtime needs no request or router."""

    handler: Callable[[str, str, str], str]  # (usage_id, handler, suffix) -> url
    block_resource: Callable[[str, str], str]  # (block_type, uri) -> url
    static_resource: Callable[[str], str]  # server static file -> url
    course_static_base: str  # where /static/ points for this course version
    # Added to blocks' plain HTML POST forms, which cannot know them: the CSRF token, and the
    # page to come back to after the block's handler redirects (POST, redirect, GET).
    form_token: str = ""
    return_to: str = ""


ATTEMPT_EVENT = "kuza.quiz.attempt"


@dataclass(frozen=True)
class AttemptRecord:
    """A submission as an assessment block publishes it (event ``kuza.quiz.attempt``)."""

    attempt_id: str
    mode: str
    question_set: str
    submitted_at: datetime
    earned: float
    possible: float
    passed: bool
    responses: dict
    results: dict

    @classmethod
    def from_event(cls, data: dict) -> AttemptRecord:
        """Check an attempt event; a block that sends a malformed one has a bug worth seeing."""
        attempt_id = str(data["attempt_id"])
        if not 0 < len(attempt_id) <= 64:
            raise ValueError(f"attempt id {attempt_id!r} must be 1 to 64 characters")
        earned, possible = float(data["earned"]), float(data["possible"])
        if possible < 0 or not 0 <= earned <= possible:
            raise ValueError(f"attempt score {earned}/{possible} is out of range")
        submitted_at = datetime.fromisoformat(data["submitted_at"])
        if submitted_at.tzinfo is None:
            raise ValueError("submitted_at must carry its time zone")
        return cls(
            attempt_id=attempt_id,
            mode=str(data.get("mode", "")),
            question_set=str(data.get("question_set", "")),
            submitted_at=submitted_at,
            earned=earned,
            possible=possible,
            passed=bool(data["passed"]),
            responses=dict(data.get("responses", {})),
            results=dict(data.get("results", {})),
        )

    def columns(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


PLAN_EVENT = "kuza.reflection.submitted"
# Generous for a real plan, small enough that a forged event cannot fill the table.
MAX_PLAN_ANSWER = 10_000
MAX_PLAN_PROMPTS = 50


@dataclass(frozen=True)
class PlanRecord:
    """A submitted version of a plan as a plan block publishes it (event ``kuza.reflection.submitted``)."""

    version: int
    submission_id: str
    submitted_at: datetime
    prompts: list
    answers: dict

    @classmethod
    def from_event(cls, data: dict) -> PlanRecord:
        """Check a plan event; a block that sends a malformed one has a bug worth seeing."""
        version = int(data["version"])
        if version < 1:
            raise ValueError(f"plan version {version} must be 1 or more")
        submission_id = str(data["submission_id"])
        if not 0 < len(submission_id) <= 64:
            raise ValueError(f"submission id {submission_id!r} must be 1 to 64 characters")
        submitted_at = datetime.fromisoformat(data["submitted_at"])
        if submitted_at.tzinfo is None:
            raise ValueError("submitted_at must carry its time zone")
        prompts = [{"name": str(prompt["name"]), "text": str(prompt["text"])} for prompt in data["prompts"]]
        answers = {str(name): str(text) for name, text in dict(data["answers"]).items()}
        if len(prompts) > MAX_PLAN_PROMPTS or any(len(text) > MAX_PLAN_ANSWER for text in answers.values()):
            raise ValueError("the plan has too many prompts or too long an answer")
        return cls(version, submission_id, submitted_at, prompts, answers)

    def columns(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Learner:
    """Whoever the blocks are rendered for; ``id`` None is a reader with no account or state
    (the practice library, a preview)."""

    id: int | None
    email: str
    name: str
    role: str
    locale: str


def reader(locale: str) -> Learner:
    return Learner(id=None, email="", name="", role="reader", locale=locale)


class UsageIds(IdReader, IdGenerator):
    """A course version's ids: a block's usage id and definition id are both its url_name."""

    def __init__(self, block_types: dict[str, str]):
        self._block_types = block_types

    def get_definition_id(self, usage_id):
        if usage_id not in self._block_types:
            raise NoSuchUsage(repr(usage_id))
        return usage_id

    def get_block_type(self, def_id):
        try:
            return self._block_types[def_id]
        except KeyError:
            raise NoSuchDefinition(repr(def_id)) from None

    # Learners never create blocks; authoring builds new versions through the importer.
    def create_usage(self, def_id):
        raise NotImplementedError("course versions are immutable; blocks are created by import")

    def create_definition(self, block_type, slug=None):
        raise NotImplementedError("course versions are immutable; blocks are created by import")

    def get_usage_id_from_aside(self, aside_id):
        raise NoSuchUsage(repr(aside_id))

    def get_definition_id_from_aside(self, aside_id):
        raise NoSuchDefinition(repr(aside_id))

    def get_aside_type_from_usage(self, aside_id):
        raise NoSuchUsage(repr(aside_id))

    def get_aside_type_from_definition(self, aside_id):
        raise NoSuchDefinition(repr(aside_id))

    def create_aside(self, definition_id, usage_id, aside_type):
        raise NotImplementedError("Kuza hosts no XBlock asides")


class LearnerService(UserService):
    """The ``user`` service, with the optional attributes Open edX blocks look for."""

    def __init__(self, learner: Learner):
        super().__init__()
        self._learner = learner

    def get_current_user(self):
        user = XBlockUser(is_current_user=True, emails=[self._learner.email], full_name=self._learner.name)
        user.opt_attrs.update(
            {
                "edx-platform.is_authenticated": self._learner.id is not None,
                "edx-platform.user_id": self._learner.id,
                "edx-platform.username": self._learner.email,
                "edx-platform.user_role": "student" if self._learner.role == "learner" else "staff",
                "edx-platform.user_is_staff": self._learner.role != "learner",
            }
        )
        return user


class BlockTranslations(NullI18nService):
    """The ``i18n`` service: a block's own ``text`` catalogue, in the learner's language.

    Like Open edX, the catalogue is found by the block's top-level package:
    ``<package>/translations/<locale>/LC_MESSAGES/text.mo``.
    """

    def __init__(self, translations: gettext.NullTranslations):
        super().__init__()
        self._translations = translations


@cache
def block_catalogue(package: str, locale: str) -> gettext.NullTranslations:
    try:
        localedir = resources.files(package) / "translations"
    except ModuleNotFoundError:
        return gettext.NullTranslations()
    return gettext.translation("text", localedir=str(localedir), languages=[locale], fallback=True)


class HostURLs(Service):
    """The ``replace_urls`` service: what a block's HTML needs to work in this host (Open edX's
    service of that name), for HTML a block returns from a handler rather than a view."""

    def __init__(self, runtime: KuzaRuntime):
        super().__init__()
        self._runtime = runtime

    def replace_urls(self, text: str, static_replace_only: bool = False) -> str:
        text = self._runtime.rewrite_static_urls(text)
        return text if static_replace_only else self._runtime.add_form_tokens(text)


class SettingsBucket(Service):
    """The ``settings`` service: per-block-type settings from the server's XBLOCK_SETTINGS."""

    def __init__(self, settings: dict):
        super().__init__()
        self._settings = settings

    def get_settings_bucket(self, block, default=None):
        key = getattr(block, "block_settings_key", None) or getattr(block, "unmixed_class", type(block)).__name__
        return self._settings.get(key, default if default is not None else {})


class KuzaRuntime(Runtime):
    """The runtime for one learner, one course version, one request."""

    def __init__(
        self,
        *,
        learner: Learner,
        field_data: CourseFieldData,
        block_types: dict[str, str],
        links: RuntimeLinks,
        on_score: Callable[[str, float, float, bool], bool],
        on_completion: Callable[[str, float], bool],
        on_attempt: Callable[[str, str, AttemptRecord], bool],
        on_plan: Callable[[str, str, PlanRecord], bool],
        xblock_settings: dict | None = None,
        extra_types: frozenset[str] = frozenset(),
        services: dict[str, Service] | None = None,
    ):
        ids = UsageIds(block_types)
        super().__init__(
            id_reader=ids,
            id_generator=ids,
            services={
                "field-data": field_data,
                "user": LearnerService(learner),
                "settings": SettingsBucket(xblock_settings or {}),
            },
        )
        self._services["replace_urls"] = HostURLs(self)
        # Services later domains offer blocks (plans: reviews of a learner's plan), bound to
        # this learner by whoever made them.
        self._services.update(services or {})
        self.learner = learner
        self.links = links
        self._on_score = on_score
        self._on_completion = on_completion
        self._on_attempt = on_attempt
        self._on_plan = on_plan
        self._extra_types = extra_types
        self._blocks: dict[str, object] = {}
        # Whether this request recorded new progress (the callbacks say whether they changed
        # a row), so standing against the course's rules is looked at again only then.
        self.progressed = False

    # Block construction

    def load_block_type(self, block_type):
        return block_class(block_type, self._extra_types)

    def get_block(self, usage_id, for_parent=None):
        """Build each block once per request, so a parent and its children share instances."""
        if usage_id not in self._blocks:
            block_type = self.id_reader.get_block_type(self.id_reader.get_definition_id(usage_id))
            keys = ScopeIds(self.learner.id, block_type, usage_id, usage_id)
            self._blocks[usage_id] = self.construct_xblock(block_type, keys, for_parent=for_parent)
        return self._blocks[usage_id]

    def applicable_aside_types(self, block):
        """Kuza hosts no XBlock asides; XBlock would otherwise scan every entry point per render."""
        return []

    def service(self, block, service_name):
        if service_name == "i18n" and block.service_declaration("i18n"):
            package = getattr(block, "unmixed_class", type(block)).__module__.split(".")[0]
            return BlockTranslations(block_catalogue(package, self.learner.locale))
        return super().service(block, service_name)

    # URLs

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        if thirdparty:
            # Every Kuza handler runs as the signed-in learner; none is open to third parties.
            raise NotImplementedError("Kuza does not offer third-party handler URLs")
        url = self.links.handler(block.scope_ids.usage_id, handler_name, suffix)
        return f"{url}?{query}" if query else url

    def resource_url(self, resource):
        return self.links.static_resource(resource)

    def local_resource_url(self, block, uri):
        return self.links.block_resource(block.scope_ids.block_type, uri)

    # Events

    def publish(self, block, event_type, event_data):
        usage_id = block.scope_ids.usage_id
        if event_type == "grade":
            earned = float(event_data["value"])
            possible = float(event_data["max_value"])
            if possible < 0 or earned < 0 or earned > possible:
                raise ValueError(f"grade {earned}/{possible} from {usage_id} is out of range")
            self._record(self._on_score(usage_id, earned, possible, bool(event_data.get("only_if_higher"))))
        elif event_type == "completion":
            completion = float(event_data["completion"])
            if not 0.0 <= completion <= 1.0:
                raise ValueError(f"completion {completion} from {usage_id} is out of range")
            self._record(self._on_completion(usage_id, completion))
        elif event_type == ATTEMPT_EVENT:
            self._record(self._on_attempt(usage_id, block.scope_ids.block_type, AttemptRecord.from_event(event_data)))
        elif event_type == PLAN_EVENT:
            self._record(self._on_plan(usage_id, block.scope_ids.block_type, PlanRecord.from_event(event_data)))
        elif event_type == "progress":
            # Deprecated in XBlock, still sent by older blocks: Open edX reads it as complete.
            self._record(self._on_completion(usage_id, 1.0))
        events_log.info(
            "%s", json.dumps({"event_type": event_type, "usage_id": usage_id, "user_id": self.learner.id,
                              "data": event_data}, default=str)
        )

    def complete_on_view(self, block) -> None:
        """Mark a viewed leaf complete, as Open edX does for completable blocks without a score."""
        mode = XBlockCompletionMode.get_mode(block)
        if (
            mode == XBlockCompletionMode.COMPLETABLE
            and not getattr(block, "has_custom_completion", False)
            and not getattr(block, "has_score", False)
        ):
            self._record(self._on_completion(block.scope_ids.usage_id, 1.0))

    def _record(self, changed: bool) -> None:
        self.progressed = self.progressed or changed

    # Rendering

    def wrap_xblock(self, block, view, frag, context):
        """Wrap a block for the page and the JavaScript runtime; point /static/ at the course."""
        block_type = block.scope_ids.block_type
        usage_id = block.scope_ids.usage_id
        attributes = {
            "class": f"xblock xblock-{view} {block_type}",
            "data-usage-id": usage_id,
            "data-block-type": block_type,
        }
        if frag.js_init_fn:
            attributes["data-init"] = frag.js_init_fn
            attributes["data-runtime-version"] = str(frag.js_init_version)
            attributes["data-handler-prefix"] = self.links.handler(usage_id, "", "").rstrip("/")
        rendered = "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
        body = frag.body_html()
        if block_type not in STRUCTURE_BLOCKS:
            # Structure blocks only hold leaves that were already rewritten.
            body = self.add_form_tokens(self.rewrite_static_urls(body))
        init_args = ""
        if frag.json_init_args is not None:
            # Escape "<" so block data cannot close the script element.
            payload = json.dumps(frag.json_init_args).replace("<", "\\u003c")
            init_args = f'<script type="application/json" class="xblock-json-init-args">{payload}</script>'
        wrapped = Fragment()
        wrapped.add_content(Markup(f"<div{rendered}>{body}{init_args}</div>"))
        wrapped.add_fragment_resources(frag)
        return wrapped

    def add_form_tokens(self, html: str) -> str:
        """Give every POST form in a block the CSRF token and the page to return to, so blocks'
        plain forms work with JavaScript off."""
        fields = "".join(
            f'<input type="hidden" name="{name}" value="{escape(value)}">'
            for name, value in (("csrf_token", self.links.form_token), ("return_to", self.links.return_to))
            if value
        )
        return POST_FORM.sub(lambda m: m.group(0) + fields, html) if fields else html

    def rewrite_static_urls(self, html: str) -> str:
        base = self.links.course_static_base.rstrip("/")
        return STATIC_REFERENCE.sub(lambda m: f"{m.group('quote')}{base}/", html)

