"""Certificate services: a learner's standing under a course's rules, and issuing what they earned.

Reads the runtime's tables (scores, completions, attempts) and never calls back into the
runtime. Services flush; views commit.
"""
from __future__ import annotations

import logging
import random
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _  # lazy: translated when shown, in the reader's language
from kuza_xblocks.quiz.questions import partial_credit_types
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import joinedload
from xblock.core import XBlock
from xblock.plugin import PluginMissingError

from lms.accounts.models import User
from lms.accounts.services import PermissionDenied
from lms.catalog import services as catalog
from lms.catalog.models import Course, CourseVersion
from lms.certificates import rules, status
from lms.certificates.credentials import (CONTEXT, STATUS_LIST, VerificationResult, issue_credential, sign,
                                          verify_credential)
from lms.certificates.keys import (ACTIVE_FILE, Keyring, default_key_folder, generate_key, jwks, load_keyring,
                                  load_public_keys)
from lms.certificates.models import COMPLETION, PARTICIPATION, Certificate
from lms.courseware import services as courseware
from lms.courseware.models import Attempt, Score
from lms.courseware.structure import STRUCTURE_BLOCKS
from lms.database import conflict_insert, utcnow
from lms.extensions import db
from lms.progress import services as progress
from lms.site import base_url

POST_TEST = "post_test"
QUIZ_BLOCK = "kuza_quiz"
KIND_OF_STATE = {rules.PASSED: COMPLETION, rules.COMPLETED: PARTICIPATION}
DEFAULT_ISSUER_NAME = "Kuza"
# OB 3.0 achievementType values; OB 3.0 has no "participation" type, so that one is a plain Certificate.
ACHIEVEMENT_TYPES = {COMPLETION: "CertificateOfCompletion", PARTICIPATION: "Certificate"}
# Credentials are data for any verifier, in one language: the pages around them are translated.
CREDENTIAL_NAMES = {COMPLETION: "Certificate of completion", PARTICIPATION: "Certificate of participation"}

MAX_REASON_LENGTH = 1000
# Draws of a random status bit before giving up: with lists kept at most a quarter full,
# sixteen taken bits in a row happen less than once in 2**32 issues.
STATUS_INDEX_ATTEMPTS = 16

log = logging.getLogger(__name__)
# Two requests of one process issuing the very first certificate make one key, not two.
_first_key = threading.Lock()


def key_folder() -> Path:
    """Where the issuer's keys live: config KUZA_KEYS_DIR, else the instance folder's keys/."""
    configured = current_app.config.get("KUZA_KEYS_DIR")
    return Path(configured) if configured else default_key_folder(current_app.instance_path)


def issuer_profile() -> dict:
    """The issuer's OB 3.0 Profile, as published at /issuer and embedded in every credential."""
    base = base_url()
    return {"id": f"{base}/issuer", "type": ["Profile"],
            "name": current_app.config.get("KUZA_ISSUER_NAME") or DEFAULT_ISSUER_NAME, "url": base}


def keys_url() -> str:
    return f"{base_url()}/issuer/keys.json"


# The W3C security vocabulary's terms for keys, with the IRIs that the Controlled Identifiers
# (and DID) contexts give them. Neither VC 2.0's nor OB 3.0's context defines them, and
# contexts are never fetched, so the profile carries them as an inline context.
KEY_TERMS = {
    "verificationMethod": {"@id": "https://w3id.org/security#verificationMethod", "@type": "@id",
                           "@container": "@set"},
    "assertionMethod": {"@id": "https://w3id.org/security#assertionMethod", "@type": "@id",
                        "@container": "@set"},
    "controller": {"@id": "https://w3id.org/security#controller", "@type": "@id"},
    "JsonWebKey": "https://w3id.org/security#JsonWebKey",
    "publicKeyJwk": {"@id": "https://w3id.org/security#publicKeyJwk", "@type": "@json"},
}


def published_issuer_profile() -> dict:
    """The Profile published at /issuer: the embedded one, plus every public key as a
    verification method whose id is the kid that JWT headers and the JWKS give it, so a
    verifier that resolves a kid through the issuer finds the same key as one using the JWKS."""
    profile = issuer_profile()
    methods = [{"id": jwk["kid"], "type": "JsonWebKey", "controller": profile["id"], "publicKeyJwk": jwk}
               for jwk in public_keys_document()["keys"]]
    return {"@context": [*CONTEXT, KEY_TERMS], **profile,
            "verificationMethod": methods, "assertionMethod": [method["id"] for method in methods]}


def verification_url(public_id: str) -> str:
    return f"{base_url()}/certificates/{public_id}"


def status_list_url(number: int) -> str:
    return f"{base_url()}/issuer/status/{number}"


def signing_keyring() -> Keyring:
    """The keyring that signs; the very first issuance creates a key. A folder with an active
    key that cannot be loaded is an operator's problem, never silently replaced."""
    folder = key_folder()
    with _first_key:
        if not (folder / ACTIVE_FILE).exists():
            try:
                kid = generate_key(folder)
                log.warning("No issuer key in %s: generated signing key %s", folder, kid)
            except OSError:
                # Another process made the first key at the same moment; its key will do.
                if not (folder / ACTIVE_FILE).exists():
                    raise
    return load_keyring(folder)


def criteria_narrative(rule: dict) -> str:
    """The rule a certificate was earned under, in words, for the credential's criteria."""
    if rule.get("state") == rules.PASSED:
        if rule.get("requires_score"):
            # The percentages the progress page shows (rounded down), never rounded up.
            return (f"Completed every lesson and passed the course: a course score of "
                    f"{rule['score_percent']} % against a pass mark of {rule['pass_percent']} %.")
        return "Completed every lesson and passed the course."
    return "Completed every lesson of the course."


def sign_certificate(*, public_id: str, learner_name: str, course: Course, version: CourseVersion, kind: str,
                     rule: dict, issued_at: datetime, status_index: int) -> str:
    """The certificate's Open Badges 3.0 credential, signed as a VC-JWT with the active key."""
    number, bit = status.locate(status_index)
    base = base_url()
    fields = {
        "learner_name": learner_name,
        "course_title": version.title,
        "course_description": version.short_description or version.title,
        "criteria": criteria_narrative(rule),
        "issued_at": issued_at,
        # The same achievement for everyone who earns this kind in this course.
        "achievement_id": f"{base}/courses/{course.slug}#{kind}",
        "achievement_type": ACHIEVEMENT_TYPES[kind],
        "credential_name": f"{CREDENTIAL_NAMES[kind]}: {version.title}",
        "credential_status": status.entry(status_list_url(number), bit),
    }
    return issue_credential(fields, signing_keyring(), verification_url(public_id), issuer_profile(),
                            keys_url=keys_url())


class RevocationError(ValueError):
    """A revocation the rules refuse, with a message for the person revoking."""

    def __str__(self) -> str:
        return str(self.args[0])



def rules_for(version: CourseVersion) -> rules.CompletionRules:
    """The version's rules, from its policy and its (cached) block tree; both never change."""
    tree = courseware.load_tree(version)
    graded = [
        rules.GradedSequential(
            node.usage_id, node.title, str(node.fields.get("format", "")),
            tuple(rules.ScoredBlock(leaf, float(tree.nodes[leaf].fields.get("weight", 1.0)))
                  for leaf in tree.leaves_under(node.usage_id) if _has_score(tree.nodes[leaf].block_type)),
        )
        for node in _in_reading_order(tree, tree.root)
        if node.block_type == "sequential" and node.fields.get("graded")
    ]
    return rules.rules_from(
        version.policy or {},
        chapters=[(chapter.title, [tree.leaves_under(unit) for unit in tree.units_under(chapter.usage_id)])
                  for chapter in tree.chapters()],
        graded=graded,
        post_tests=[leaf for leaf in tree.leaves if tree.nodes[leaf].fields.get("mode") == POST_TEST],
    )


def _in_reading_order(tree: courseware.CourseTree, usage_id: str) -> list[courseware.Node]:
    found = [tree.nodes[usage_id]]
    for child in tree.nodes[usage_id].children:
        found.extend(_in_reading_order(tree, child))
    return found


def _has_score(block_type: str) -> bool:
    """Whether the block's class says it is scored, as Open edX's grading asks; any installed
    class, so operators' KUZA_EXTRA_XBLOCKS count as well as kuza_* blocks."""
    if block_type in STRUCTURE_BLOCKS:
        return False
    try:
        return bool(getattr(XBlock.load_class(block_type), "has_score", False))
    except PluginMissingError:
        return False


def scores(user_id: int, course_id: int) -> dict[str, rules.Score]:
    rows = db.session.execute(
        select(Score.usage_id, Score.earned, Score.possible).where(Score.user_id == user_id,
                                                                   Score.course_id == course_id)
    )
    return {usage_id: rules.Score(earned, possible) for usage_id, earned, possible in rows}


def post_tests_passed(user_id: int, course_id: int, usage_ids: tuple[str, ...]) -> dict[str, bool]:
    """Whether each post-test's latest attempt passed."""
    if not usage_ids:
        return {}
    rows = db.session.execute(
        select(Attempt.usage_id, Attempt.passed)
        .where(Attempt.user_id == user_id, Attempt.course_id == course_id, Attempt.mode == POST_TEST,
               Attempt.usage_id.in_(usage_ids))
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    # Ordered oldest first, so the latest attempt of each block is the one left in the dict.
    return {usage_id: passed for usage_id, passed in rows}


def standing(user: User, course: Course) -> rules.Standing:
    return _standing(user, course, courseware.completions(user.id, course.id))


def progress_and_standing(user: User, course: Course) -> tuple[progress.CourseProgress, rules.Standing]:
    """An enrolled learner's progress and standing, for the progress page: one read of their completions."""
    enrollment = catalog.require_enrollment(user, course)
    completions = courseware.completions(user.id, course.id)
    return progress.progress_of(enrollment, completions), _standing(user, course, completions)


@dataclass(frozen=True)
class ProgressPage:
    """What the progress page shows a learner: lessons done, their standing under the rules, their
    pre-test and post-test side by side, and which question types of each graded quiz give part
    of a point (keyed by the quiz's sequential)."""

    progress: progress.CourseProgress
    standing: rules.Standing
    gains: list[progress.KnowledgeGain]
    partial_credit: dict[str, tuple[str, ...]]
    # Whether the certificate of completion asks for a post-test passed.
    requires_post_test: bool


def progress_page(user: User, course: Course) -> ProgressPage:
    learner_progress, now = progress_and_standing(user, course)
    tree = courseware.load_tree(courseware.published_version(course))
    return ProgressPage(
        progress=learner_progress,
        standing=now,
        gains=progress.knowledge_gains(tree, user.id, course.id),
        partial_credit={quiz.sequential.usage_id: _partial_credit(tree, quiz.sequential.usage_id)
                        for quiz in now.quizzes},
        requires_post_test=bool(rules_for(courseware.published_version(course)).post_tests),
    )


def _partial_credit(tree: courseware.CourseTree, usage_id: str) -> tuple[str, ...]:
    """The question types of the quizzes under ``usage_id`` that give part of a point, as the quiz
    block itself scores them."""
    found: list[str] = []
    for leaf in tree.leaves_under(usage_id):
        if tree.nodes[leaf].block_type == QUIZ_BLOCK:
            found += [kind for kind in partial_credit_types(tree.nodes[leaf].fields.get("questions") or [])
                      if kind not in found]
    return tuple(found)


def _standing(user: User, course: Course, completions: Mapping[str, float]) -> rules.Standing:
    course_rules = rules_for(courseware.published_version(course))
    return rules.standing(
        course_rules,
        completions,
        scores(user.id, course.id),
        post_tests_passed(user.id, course.id, course_rules.post_tests),
    )


def new_public_id() -> str:
    """128 random bits, URL-safe; never starting with "-", which a command line would take for an option."""
    while (public_id := secrets.token_urlsafe(16)).startswith("-"):
        pass
    return public_id


def find_certificate(public_id: str) -> Certificate | None:
    return db.session.execute(select(Certificate).where(Certificate.public_id == public_id)).scalar_one_or_none()


def signature_of(certificate: Certificate) -> VerificationResult | None:
    """The certificate's stored credential checked as a verifier checks it, with the published
    keys alone; None for a certificate issued without one."""
    if not certificate.credential:
        return None
    return verify_credential(certificate.credential, load_public_keys(key_folder()))


def public_keys_document() -> dict:
    """Every public key, active and retired, as the JWKS published at /issuer/keys.json."""
    return jwks(load_public_keys(key_folder()), keys_url())


def certificates_of(user: User, course: Course | None = None) -> list[Certificate]:
    query = select(Certificate).where(Certificate.user_id == user.id)
    if course is not None:
        query = query.where(Certificate.course_id == course.id)
    return list(db.session.execute(query.order_by(Certificate.issued_at, Certificate.id)).scalars())


def issue_if_earned(user: User, course: Course) -> Certificate | None:
    """Issue the certificate the learner's standing earns, once; return it, or None if none is earned.

    A learner who already holds a certificate of completion is given nothing more, and a
    revoked certificate is returned as it is: claiming again must not undo a revocation. Two
    requests at once insert one row: the unique key (user, course, kind) and ON CONFLICT DO
    NOTHING make the second insert a no-op on SQLite and PostgreSQL alike.
    """
    return _issue(user, course)[0]


def issue_new(user: User, course: Course) -> Certificate | None:
    """Like issue_if_earned, but only a certificate this call issued: None when nothing is
    earned or what is earned is already held, so the learner is told of it once."""
    certificate, new = _issue(user, course)
    return certificate if new else None


def _issue(user: User, course: Course) -> tuple[Certificate | None, bool]:
    """The certificate earned, and whether it was issued now rather than already held."""
    catalog.require_enrollment(user, course)
    now = standing(user, course)
    kind = KIND_OF_STATE.get(now.state)
    if kind is None:
        return None, False
    # Read only once something is earned: most progress earns nothing yet.
    held = {certificate.kind: certificate for certificate in certificates_of(user, course)}
    if COMPLETION in held:
        return held[COMPLETION], False
    if kind in held:
        return held[kind], False
    version = courseware.published_version(course)
    rule = {"state": now.state, "course_score": round(now.course_score, 4), "pass_mark": now.pass_mark,
            "requires_score": now.requires_score,
            # From the unrounded score: 0.99995 rounded to 4 places would read 100 %.
            "score_percent": now.score_percent, "pass_percent": now.pass_percent}
    for _attempt in range(STATUS_INDEX_ATTEMPTS):
        public_id, issued_at, status_index = new_public_id(), utcnow(), new_status_index()
        # Signed before the insert, so the row and its credential arrive in one statement; a
        # request that loses the race has signed for nothing, which costs microseconds.
        credential = sign_certificate(public_id=public_id, learner_name=user.name, course=course, version=version,
                                      kind=kind, rule=rule, issued_at=issued_at, status_index=status_index)
        try:
            # A savepoint, so a status bit taken by another certificate undoes only this insert.
            with db.session.begin_nested():
                db.session.execute(
                    conflict_insert(Certificate, db.session.get_bind())
                    .values(public_id=public_id, user_id=user.id, course_id=course.id, version_id=version.id,
                            version_number=version.number, kind=kind, issued_at=issued_at, rule=rule,
                            credential=credential, status_index=status_index)
                    .on_conflict_do_nothing(index_elements=["user_id", "course_id", "kind"])
                )
            break
        except IntegrityError:
            log.info("Status bit %s already taken; drawing another", status_index)
    else:
        raise RuntimeError(f"no free status bit after {STATUS_INDEX_ATTEMPTS} draws")
    return db.session.execute(
        select(Certificate).where(Certificate.user_id == user.id, Certificate.course_id == course.id,
                                  Certificate.kind == kind)
    ).scalar_one(), True


def new_status_index() -> int:
    """A random bit across enough lists to keep them at most a quarter full.

    Random, not sequential, as Bitstring Status List advises: neighbouring bits must not tell
    a verifier who was certified at about the same time. The unique key catches the rare
    draw of a taken bit, and the caller draws again.
    """
    issued = db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.status_index.is_not(None)))
    lists = 1 + 4 * issued // status.LIST_SIZE
    return random.SystemRandom().randrange(lists * status.LIST_SIZE)


def status_lists_in_use() -> int:
    """How many revocation lists exist: up to the highest bit given out, and always the first."""
    highest = db.session.scalar(select(func.max(Certificate.status_index)))
    return 1 if highest is None else status.locate(highest)[0] + 1


def status_list_credential(number: int) -> str | None:
    """Revocation list `number` as a signed BitstringStatusListCredential (VC-JWT), or None if
    there is no such list. Made when asked, so a revocation shows at once."""
    if not 0 <= number < status_lists_in_use():
        return None
    first = number * status.LIST_SIZE
    revoked = db.session.execute(
        select(Certificate.status_index).where(
            Certificate.status_index >= first, Certificate.status_index < first + status.LIST_SIZE,
            Certificate.revoked_at.is_not(None))
    ).scalars()
    document = status.list_credential(status_list_url(number), issuer_profile()["id"],
                                      (index - first for index in revoked), utcnow())
    return sign(document, signing_keyring(), keys_url=keys_url())


@dataclass(frozen=True)
class StatusCheck:
    """What a downloaded revocation list says of a credential: revoked or not as of the list's
    date, or why the list could not answer."""

    revoked: bool | None
    as_of: str = ""
    problem: str | None = None


@dataclass(frozen=True)
class CredentialCheck:
    """A credential checked offline, and what this server's database, or a revocation list the
    verifier brought, says of its certificate."""

    result: VerificationResult
    learner_name: str = ""
    course_title: str = ""
    issued_on: str = ""
    known: bool = False
    revoked_at: datetime | None = None
    revoked_reason: str | None = None
    status_list_url: str | None = None
    listed: StatusCheck | None = None


def check_credential(token_or_document, status_list=None) -> CredentialCheck:
    """Verify a credential with the key folder's public keys (no network), then look for its
    certificate here, so a revocation is reported too.

    status_list: a copy of the revocation list the credential names (the signed list as
    published, or its JSON envelope), for verifiers without this server's database.
    """
    keys = load_public_keys(key_folder())
    result = verify_credential(token_or_document, keys)
    if not result.valid:
        return CredentialCheck(result)
    credential = result.credential
    subject = credential.get("credentialSubject", {})
    names = [entry.get("identityHash", "") for entry in subject.get("identifier", [])
             if entry.get("identityType") == "name"]
    found = None
    public_id = str(credential.get("id", "")).rstrip("/").rpartition("/certificates/")[2]
    if public_id:
        try:
            found = find_certificate(public_id)
        except SQLAlchemyError:
            # Offline on a machine with the keys but no database: the signature still answers.
            db.session.rollback()
    entry = status.revocation_entry(credential)
    return CredentialCheck(
        result,
        learner_name=names[0] if names else "",
        course_title=subject.get("achievement", {}).get("name", ""),
        issued_on=str(credential.get("validFrom", ""))[:10],
        known=found is not None,
        revoked_at=found.revoked_at if found is not None else None,
        revoked_reason=found.revoked_reason if found is not None else None,
        status_list_url=entry.get("statusListCredential") if entry else None,
        listed=None if status_list is None else _check_listed(credential, status_list, keys),
    )


def _check_listed(credential: dict, status_list, keys) -> StatusCheck:
    listed = verify_credential(status_list, keys, kind=STATUS_LIST)
    if not listed.valid:
        return StatusCheck(None, problem=f"the revocation list is not valid: {listed.reason}")
    try:
        revoked = status.is_revoked(credential, listed.credential)
    except status.StatusError as error:
        return StatusCheck(None, problem=str(error))
    return StatusCheck(revoked, as_of=str(listed.credential.get("validFrom", "")))


def may_revoke(actor, certificate: Certificate) -> bool:
    """Admins may revoke any certificate; trainers, those of the courses they run."""
    return catalog.manages(actor, certificate.course)


def revoke(actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate, for a reason; admins and the course's trainers only. Never deletes.

    The certificate's bit in its revocation list is set from then on, so verifiers holding
    only the credential learn of it too. Idempotent: revoking again keeps the first date and
    reason, which are what employers and verifiers were already told.
    """
    if not may_revoke(actor, certificate):
        raise PermissionDenied()
    reason = (reason or "").strip()
    if not reason:
        raise RevocationError(_("Give the reason for revoking this certificate."))
    if len(reason) > MAX_REASON_LENGTH:
        raise RevocationError(_("Use at most %(count)d characters for the reason.", count=MAX_REASON_LENGTH))
    if certificate.revoked:
        return certificate
    certificate.revoked_at, certificate.revoked_reason = utcnow(), reason
    certificate.revoked_by = actor if isinstance(actor, User) else None
    db.session.flush()
    log.info("Certificate %s revoked by %s: %s", certificate.public_id, getattr(actor, "name", actor), reason)
    return certificate


def course_certificates(actor, course: Course, *, search: str = "", limit: int = 100) -> list[Certificate]:
    """The certificates issued in a course, newest first, for its trainers and admins.

    search: part of a learner's name or email, or a certificate id.
    """
    if not catalog.manages(actor, course):
        raise PermissionDenied()
    query = (select(Certificate).join(User, Certificate.user_id == User.id)
             .where(Certificate.course_id == course.id)
             .options(joinedload(Certificate.user), joinedload(Certificate.revoked_by)))
    search = search.strip()
    if search:
        query = query.where(User.name.icontains(search, autoescape=True)
                            | User.email.icontains(search, autoescape=True) | (Certificate.public_id == search))
    return list(db.session.execute(
        query.order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(limit)).scalars())
