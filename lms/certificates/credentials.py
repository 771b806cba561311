"""Open Badges 3.0 credentials for certificates, signed and verified as VC-JWT with Ed25519."""
from __future__ import annotations

import json
import time
import uuid
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc import jws
from joserfc.errors import BadSignatureError, SecurityWarning
from joserfc.jwk import OKPKey

from lms.certificates.keys import Keyring, published_kid

# VC Data Model 2.0 first, then the OB 3.0 context, as OB 3.0 (context-3.0.3) requires.
CONTEXT = ["https://www.w3.org/ns/credentials/v2",
           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
TYPE = ["VerifiableCredential", "OpenBadgeCredential"]
# The contexts exactly as published (contexts/README.md), for JSON-LD processors that must
# work offline; nothing here fetches a context.
CONTEXT_FILES = {CONTEXT[0]: Path(__file__).parent / "contexts" / "credentials-v2.json",
                 CONTEXT[1]: Path(__file__).parent / "contexts" / "ob-v3p0-context-3.0.3.json"}
# Ed25519 in JOSE is "EdDSA" (RFC 8037), the name VC-JWT verifiers know; RFC 9864's newer
# "Ed25519" is accepted when verifying, but signing with it would lock out today's verifiers.
SIGNING_ALG = "EdDSA"
ACCEPTED_ALGS = ["EdDSA", "Ed25519"]
# Used only inside a VC 2.0 EnvelopedVerifiableCredential, to carry the JWT in a JSON file.
ENVELOPE_PREFIXES = ("data:application/vc+jwt,", "data:application/jwt,")
# OB 3.0 §8.2 rejects a credential whose validFrom is still ahead; offline verifiers on shared
# computers often have clocks that are hours off, so allow a day before calling it future-dated.
CLOCK_LEEWAY_SECONDS = 24 * 3600

# joserfc warns on every "EdDSA" use since RFC 9864; we choose it on purpose (see SIGNING_ALG).
warnings.filterwarnings("ignore", message="EdDSA is deprecated via RFC 9864", category=SecurityWarning)


@dataclass(frozen=True)
class CredentialKind:
    """What a verified payload must declare: its contexts (the first one first) and types."""

    contexts: tuple[str, ...]
    types: tuple[str, ...]
    name: str


OPEN_BADGE = CredentialKind(tuple(CONTEXT), tuple(TYPE), "an OpenBadgeCredential")
STATUS_LIST = CredentialKind((CONTEXT[0],), ("VerifiableCredential", "BitstringStatusListCredential"),
                             "a BitstringStatusListCredential")


@dataclass(frozen=True)
class VerificationResult:
    valid: bool
    reason: str
    credential: dict | None = None
    kid: str | None = None


def document_loader(url: str, options: Mapping | None = None) -> dict:
    """The shipped context for a URL of CONTEXT_FILES, as a JSON-LD document loader (pyld's
    shape) returns it; any other URL is refused, never fetched."""
    if url not in CONTEXT_FILES:
        raise ValueError(f"no shipped JSON-LD context for {url}; contexts are never fetched")
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(CONTEXT_FILES[url].read_bytes())}


def timestamp(moment: datetime) -> str:
    """A VC date-time: UTC, to the second."""
    if moment.tzinfo is None:
        raise ValueError("credential times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_credential(certificate_fields: Mapping, verification_url: str, issuer: Mapping) -> dict:
    """The unsigned OpenBadgeCredential for a certificate.

    certificate_fields: learner_name, course_title, criteria (the rule met, as a narrative),
    issued_at (aware datetime); optional course_description, achievement_id,
    achievement_type (an OB 3.0 achievementType, default "Certificate"), credential_name,
    subject_id (default: a pseudonymous urn:uuid derived from the verification URL),
    credential_status (a credentialStatus object).
    issuer: id, name, url and any other Profile properties.
    """
    title = certificate_fields["course_title"]
    achievement = {
        "id": certificate_fields.get("achievement_id") or f"{verification_url}#achievement",
        "type": ["Achievement"],
        "achievementType": certificate_fields.get("achievement_type") or "Certificate",
        "name": title,
        "description": certificate_fields.get("course_description") or title,
        "criteria": {"narrative": certificate_fields["criteria"]},
    }
    # OB 3.0's VC-JWT requires a sub claim, hence a subject id; one that says nothing about
    # the learner beyond this certificate.
    subject_id = (certificate_fields.get("subject_id")
                  or uuid.uuid5(uuid.NAMESPACE_URL, verification_url).urn)
    subject: dict = {"id": subject_id, "type": ["AchievementSubject"]}
    # OB 3.0 names a learner through an IdentityObject; a plain name needs no hash to be shown.
    subject["identifier"] = [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                              "identityHash": certificate_fields["learner_name"]}]
    subject["achievement"] = achievement
    credential = {
        "@context": list(CONTEXT),
        "id": verification_url,
        "type": list(TYPE),
        "issuer": {"type": ["Profile"], **issuer},
        "validFrom": timestamp(certificate_fields["issued_at"]),
        "name": certificate_fields.get("credential_name") or title,
        "credentialSubject": subject,
    }
    if certificate_fields.get("credential_status"):
        credential["credentialStatus"] = dict(certificate_fields["credential_status"])
    return credential


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _jwt_claims(credential: Mapping) -> dict:
    """The registered claims OB 3.0 §8.2 adds beside the credential's own properties.

    jti only in Open Badges: the OB 3.0 context defines it, VC 2.0's alone does not, so a
    status list carrying it would hold a term no context defines.
    """
    issuer = credential["issuer"]
    claims = {"iss": issuer["id"] if isinstance(issuer, Mapping) else issuer,
              "nbf": _epoch(credential["validFrom"])}
    if CONTEXT[1] in credential.get("@context", []):
        claims["jti"] = credential["id"]
    if "id" in credential["credentialSubject"]:
        claims["sub"] = credential["credentialSubject"]["id"]
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"])
    return claims


def sign(credential: Mapping, keyring: Keyring, *, keys_url: str | None = None) -> str:
    """Any credential of ours (a certificate's, a status list) signed with the keyring's active
    key, as a compact VC-JWT.

    keys_url: where the JWKS is published; the header's kid is then the key's published_kid,
    the very string that the JWKS and the issuer profile give the key.
    """
    payload = {**credential, **_jwt_claims(credential)}
    header = {"alg": SIGNING_ALG, "typ": "JWT", "kid": published_kid(keyring.active_kid, keys_url)}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return jws.serialize_compact(header, body, OKPKey.import_key(keyring.signing_key),
                                 algorithms=[SIGNING_ALG])


def issue_credential(certificate_fields: Mapping, keyring: Keyring, verification_url: str,
                     issuer: Mapping, *, keys_url: str | None = None) -> str:
    """A certificate's OpenBadgeCredential (see build_credential), signed as a compact VC-JWT."""
    return sign(build_credential(certificate_fields, verification_url, issuer), keyring, keys_url=keys_url)


def envelope(token: str) -> dict:
    """The JWT wrapped as a VC 2.0 EnvelopedVerifiableCredential, for a downloadable JSON file."""
    return {"@context": CONTEXT[0], "id": ENVELOPE_PREFIXES[0] + token,
            "type": "EnvelopedVerifiableCredential"}


def _token_of(token_or_document) -> str | None:
    if isinstance(token_or_document, bytes):
        token_or_document = token_or_document.decode("ascii")
    if isinstance(token_or_document, str):
        text = token_or_document.strip()
        if text.startswith("{"):
            return _token_of(json.loads(text))
        return text
    if isinstance(token_or_document, Mapping):
        value = token_or_document.get("id")
        if isinstance(value, str):
            for prefix in ENVELOPE_PREFIXES:
                if value.startswith(prefix):
                    return value[len(prefix):]
    return None


def _local_kid(kid, keys: Mapping) -> str | None:
    """The known key a header kid names: a bare thumbprint, or a published_kid's fragment.

    Credentials issued before the JWKS carried published kids name their key by the same URL,
    so every kid Kuza ever wrote resolves here.
    """
    if not isinstance(kid, str):
        return None
    if kid in keys:
        return kid
    # Never dereferenced: the thumbprint is a hash of the key, and the signature must still verify.
    fragment = kid.rpartition("#")[2]
    return fragment if fragment in keys else None


JWT_CLAIMS = ("iss", "jti", "nbf", "sub", "exp")


def _claims_problem(payload: Mapping, credential: Mapping, now: float, kind: CredentialKind) -> str | None:
    """Why a correctly signed payload is still not the kind of credential expected, or None."""
    contexts = payload.get("@context", [None])
    if contexts[:1] != list(kind.contexts[:1]) or not set(kind.contexts) <= set(contexts):
        return "not a VC 2.0 / Open Badges 3.0 context" if kind is OPEN_BADGE else "not a VC 2.0 context"
    if not set(kind.types) <= set(payload.get("type", [])):
        return f"not {kind.name}"
    expected = _jwt_claims(credential)
    for claim, value in expected.items():
        if payload.get(claim) != value:
            return f"JWT claim {claim} does not match the credential"
    if payload["nbf"] > now + CLOCK_LEEWAY_SECONDS:
        return "not valid yet"
    if "exp" in payload and payload["exp"] <= now:
        return "expired"
    return None


def verify_credential(token_or_document, public_keys: Mapping[str, Ed25519PublicKey] | Keyring,
                      *, now: float | None = None, kind: CredentialKind = OPEN_BADGE) -> VerificationResult:
    """Check a VC-JWT (or its JSON envelope) against known public keys, offline; never raises.

    The result's credential is the credential (an OpenBadgeCredential unless another kind is
    asked for) without the JWT's registered claims; its kid is the key's thumbprint when the
    key is known.
    """
    keys = public_keys.public_keys if isinstance(public_keys, Keyring) else public_keys
    kid = None
    try:
        token = _token_of(token_or_document)
        if not token or token.count(".") != 2:
            return VerificationResult(False, "not a compact JWT")
        header = jws.extract_compact(token.encode("ascii")).headers()
        kid = header.get("kid") if isinstance(header.get("kid"), str) else None
        if header.get("alg") not in ACCEPTED_ALGS:
            return VerificationResult(False, "unsupported algorithm", kid=kid)
        known = _local_kid(kid, keys)
        if known is None:
            return VerificationResult(False, "unknown key", kid=kid)
        kid = known
        key = OKPKey.import_key(keys[kid])
        try:
            verified = jws.deserialize_compact(token, key, algorithms=ACCEPTED_ALGS)
        except BadSignatureError:
            return VerificationResult(False, "bad signature", kid=kid)
        payload = json.loads(verified.payload)
        if not isinstance(payload, dict):
            return VerificationResult(False, "payload is not a credential", kid=kid)
        credential = {key: value for key, value in payload.items() if key not in JWT_CLAIMS}
        problem = _claims_problem(payload, credential, time.time() if now is None else now, kind)
        if problem:
            return VerificationResult(False, problem, kid=kid)
        return VerificationResult(True, "valid", credential=credential, kid=kid)
    except Exception:
        # Garbage in any part (encoding, JSON, header types) is an invalid credential, not a crash.
        return VerificationResult(False, "malformed credential", kid=kid)
