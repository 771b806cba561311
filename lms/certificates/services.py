"""Certificate services: a learner's standing under a course's rules, and issuing what they earned.

Reads the runtime's tables (scores, completions, attempts) and never calls back into the
runtime. Services flush; views commit.
"""
from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _  # lazy: translated when shown, in the reader's language
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from xblock.core import XBlock
from xblock.plugin import PluginMissingError

from lms.accounts.models import Role, User
from lms.accounts.services import require_role
from lms.catalog import services as catalog
from lms.catalog.models import Course, CourseVersion
from lms.certificates import rules
from lms.certificates.credentials import VerificationResult, issue_credential, verify_credential
from lms.certificates.keys import (ACTIVE_FILE, Keyring, default_key_folder, generate_key, jwks, load_keyring,
                                  load_public_keys)
from lms.certificates.models import COMPLETION, PARTICIPATION, Certificate
from lms.courseware import services as courseware
from lms.courseware.models import Attempt, Score
from lms.courseware.structure import STRUCTURE_BLOCKS
from lms.database import conflict_insert, utcnow
from lms.extensions import db

POST_TEST = "post_test"
KIND_OF_STATE = {rules.PASSED: COMPLETION, rules.COMPLETED: PARTICIPATION}
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_ISSUER_NAME = "Kuza"
# OB 3.0 achievementType values; OB 3.0 has no "participation" type, so that one is a plain Certificate.
ACHIEVEMENT_TYPES = {COMPLETION: "CertificateOfCompletion", PARTICIPATION: "Certificate"}
# Credentials are data for any verifier, in one language: the pages around them are translated.
CREDENTIAL_NAMES = {COMPLETION: "Certificate of completion", PARTICIPATION: "Certificate of participation"}

MAX_REASON_LENGTH = 1000

log = logging.getLogger(__name__)
# Two requests of one process issuing the very first certificate make one key, not two.
_first_key = threading.Lock()


def key_folder() -> Path:
    """Where the issuer's keys live: config KUZA_KEYS_DIR, else the instance folder's keys/."""
    configured = current_app.config.get("KUZA_KEYS_DIR")
    return Path(configured) if configured else default_key_folder(current_app.instance_path)


def base_url() -> str:
    """The server's public address: services have no request, so it comes from KUZA_BASE_URL."""
    return str(current_app.config.get("KUZA_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def issuer_profile() -> dict:
    """The issuer's OB 3.0 Profile, as published at /issuer and embedded in every credential."""
    base = base_url()
    return {"id": f"{base}/issuer", "type": ["Profile"],
            "name": current_app.config.get("KUZA_ISSUER_NAME") or DEFAULT_ISSUER_NAME, "url": base}


def keys_url() -> str:
    return f"{base_url()}/issuer/keys.json"


def verification_url(public_id: str) -> str:
    return f"{base_url()}/certificates/{public_id}"


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
            return (f"Completed every lesson and passed the course: a course score of "
                    f"{round(100 * rule['course_score'])} % against a pass mark of {round(100 * rule['pass_mark'])} %.")
        return "Completed every lesson and passed the course."
    return "Completed every lesson of the course."


def sign_certificate(*, public_id: str, learner_name: str, course: Course, version: CourseVersion, kind: str,
                     rule: dict, issued_at: datetime) -> str:
    """The certificate's Open Badges 3.0 credential, signed as a VC-JWT with the active key."""
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
    }
    return issue_credential(fields, signing_keyring(), verification_url(public_id), issuer_profile(),
                            keys_url=keys_url())


class RevocationError(ValueError):
    """A revocation the rules refuse, with a message for the person revoking."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Operator:
    """Whoever runs ``kuza`` commands on the server: an administrator by having the shell."""

    is_authenticated: bool = True
    role: str = Role.ADMIN
    name: str = "operator"


OPERATOR = Operator()


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
        chapters=[(chapter.title, tree.leaves_under(chapter.usage_id)) for chapter in tree.chapters()],
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
    version = courseware.published_version(course)
    course_rules = rules_for(version)
    return rules.standing(
        course_rules,
        courseware.completions(user.id, course.id),
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


def public_keys_document() -> dict:
    """Every public key, active and retired, as the JWKS published at /issuer/keys.json."""
    return jwks(load_public_keys(key_folder()))


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
    catalog.require_enrollment(user, course)
    now = standing(user, course)
    kind = KIND_OF_STATE.get(now.state)
    if kind is None:
        return None
    held = {certificate.kind: certificate for certificate in certificates_of(user, course)}
    if COMPLETION in held:
        return held[COMPLETION]
    if kind in held:
        return held[kind]
    version = courseware.published_version(course)
    public_id, issued_at = new_public_id(), utcnow()
    rule = {"state": now.state, "course_score": round(now.course_score, 4), "pass_mark": now.pass_mark,
            "requires_score": now.requires_score}
    # Signed before the insert, so the row and its credential arrive in one statement; a
    # request that loses the race has signed for nothing, which costs microseconds.
    credential = sign_certificate(public_id=public_id, learner_name=user.name, course=course, version=version,
                                  kind=kind, rule=rule, issued_at=issued_at)
    db.session.execute(
        conflict_insert(Certificate, db.session.get_bind())
        .values(public_id=public_id, user_id=user.id, course_id=course.id, version_id=version.id,
                version_number=version.number, kind=kind, issued_at=issued_at, rule=rule, credential=credential)
        .on_conflict_do_nothing(index_elements=["user_id", "course_id", "kind"])
    )
    return db.session.execute(
        select(Certificate).where(Certificate.user_id == user.id, Certificate.course_id == course.id,
                                  Certificate.kind == kind)
    ).scalar_one()


@dataclass(frozen=True)
class CredentialCheck:
    """A credential checked offline, and what this server's database says of its certificate."""

    result: VerificationResult
    learner_name: str = ""
    course_title: str = ""
    issued_on: str = ""
    known: bool = False
    revoked_at: datetime | None = None
    revoked_reason: str | None = None


def check_credential(token_or_document) -> CredentialCheck:
    """Verify a credential with the key folder's public keys (no network), then look for its
    certificate here, so a revocation is reported too."""
    result = verify_credential(token_or_document, load_public_keys(key_folder()))
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
    return CredentialCheck(
        result,
        learner_name=names[0] if names else "",
        course_title=subject.get("achievement", {}).get("name", ""),
        issued_on=str(credential.get("validFrom", ""))[:10],
        known=found is not None,
        revoked_at=found.revoked_at if found is not None else None,
        revoked_reason=found.revoked_reason if found is not None else None,
    )


def revoke(actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate, for a reason; admins and trainers only. Never deletes.

    Idempotent: revoking again keeps the first date and reason, which are what employers
    and verifiers were already told.
    """
    require_role(actor, Role.ADMIN, Role.TRAINER)
    reason = (reason or "").strip()
    if not reason:
        raise RevocationError(_("Give the reason for revoking this certificate."))
    if len(reason) > MAX_REASON_LENGTH:
        raise RevocationError(_("Use at most %(count)d characters for the reason.", count=MAX_REASON_LENGTH))
    if certificate.revoked:
        return certificate
    certificate.revoked_at, certificate.revoked_reason = utcnow(), reason
    db.session.flush()
    log.info("Certificate %s revoked by %s: %s", certificate.public_id, getattr(actor, "name", actor), reason)
    return certificate
