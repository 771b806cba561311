"""Open Badges 3.0 VC-JWTs: round trip, tampering, rotation, bad input, no network.

Every verdict is checked twice: by Kuza (joserfc over OpenSSL) and by an independent
verifier written here with PyNaCl (libsodium) and the standard library only.
"""
from __future__ import annotations

import base64
import json
import socket
from datetime import UTC, datetime

import nacl.exceptions
import nacl.signing
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.certificates.credentials import CONTEXT, envelope, issue_credential, verify_credential
from lms.certificates.keys import generate_key, load_keyring

# pytest resets warning filters per test; EdDSA is chosen on purpose (see credentials.SIGNING_ALG).
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated via RFC 9864")

VERIFICATION_URL = "https://kuza.example.org/certificates/3kq7Zr9wXy"
ISSUER = {"id": "https://kuza.example.org/issuer", "name": "Kuza Academy", "url": "https://kuza.example.org/"}
FIELDS = {
    "learner_name": "فاطمة الزهراء Aïcha",
    "course_title": "Transferring public service innovations",
    "course_description": "How to adapt an award-winning practice to another country.",
    "criteria": "Completed every required unit and scored at least 70 % on the graded quizzes.",
    "issued_at": datetime(2026, 11, 28, 9, 30, tzinfo=UTC),
    "achievement_id": "https://kuza.example.org/courses/transfer#completion",
    "achievement_type": "CertificateOfCompletion",
}


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def independently_valid(token: str, public_keys) -> bool:
    """A verifier that shares no code with Kuza's: split the JWS, check Ed25519 with libsodium."""
    try:
        header_part, payload_part, signature_part = token.split(".")
        header = json.loads(_b64decode(header_part))
        kid = str(header.get("kid")).split("#")[-1]
        if header.get("alg") != "EdDSA" or kid not in public_keys:
            return False
        raw_key = public_keys[kid].public_bytes_raw()
        nacl.signing.VerifyKey(raw_key).verify(
            f"{header_part}.{payload_part}".encode("ascii"), _b64decode(signature_part))
        json.loads(_b64decode(payload_part))
        return True
    except (ValueError, KeyError, nacl.exceptions.BadSignatureError):
        return False


def _payload(token: str) -> dict:
    return json.loads(_b64decode(token.split(".")[1]))


def _with_payload(token: str, change) -> str:
    """The token with its payload edited and the original header and signature kept."""
    header_part, payload_part, signature_part = token.split(".")
    payload = json.loads(_b64decode(payload_part))
    change(payload)
    edited = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return f"{header_part}.{_b64encode(edited)}.{signature_part}"


def _with_header(token: str, change) -> str:
    header_part, payload_part, signature_part = token.split(".")
    header = json.loads(_b64decode(header_part))
    change(header)
    return f"{_b64encode(json.dumps(header).encode())}.{payload_part}.{signature_part}"


@pytest.fixture
def keyring(tmp_path):
    generate_key(tmp_path / "keys")
    return load_keyring(tmp_path / "keys")


@pytest.fixture
def token(keyring):
    return issue_credential(FIELDS, keyring, VERIFICATION_URL, ISSUER)


def test_round_trip_gives_back_an_open_badge_credential(keyring, token):
    result = verify_credential(token, keyring.public_keys)
    assert result.valid, result.reason
    assert result.reason == "valid"
    assert result.kid == keyring.active_kid
    credential = result.credential
    assert credential["@context"] == CONTEXT
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == VERIFICATION_URL
    assert credential["issuer"] == {"type": ["Profile"], **ISSUER}
    assert credential["validFrom"] == "2026-11-28T09:30:00Z"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"].startswith("urn:uuid:")
    assert subject["identifier"][0]["identityHash"] == FIELDS["learner_name"]
    achievement = subject["achievement"]
    assert achievement["name"] == FIELDS["course_title"]
    assert achievement["criteria"] == {"narrative": FIELDS["criteria"]}
    assert achievement["achievementType"] == "CertificateOfCompletion"
    # OB 3.0 §8.2: the JWT payload is the credential plus registered claims that mirror it.
    payload = _payload(token)
    assert {key: payload.pop(key) for key in ("iss", "jti", "nbf", "sub")} == {
        "iss": ISSUER["id"], "jti": VERIFICATION_URL, "nbf": int(FIELDS["issued_at"].timestamp()),
        "sub": subject["id"]}
    assert payload == credential


def test_header_is_vc_jwt_with_eddsa_and_kid(keyring, token):
    header = json.loads(_b64decode(token.split(".")[0]))
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": keyring.active_kid}


def test_the_independent_verifier_accepts_the_original(keyring, token):
    assert independently_valid(token, keyring.public_keys)


def _set_subject_name(payload):
    payload["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"


def _set_course(payload):
    payload["credentialSubject"]["achievement"]["name"] = "Another course"


def _set_criteria(payload):
    payload["credentialSubject"]["achievement"]["criteria"]["narrative"] = "Attended."


def _set_date(payload):
    payload["validFrom"] = "2020-01-01T00:00:00Z"


def _set_nbf(payload):
    payload["nbf"] -= 86400


def _set_id(payload):
    payload["id"] = "https://kuza.example.org/certificates/other"


def _set_jti(payload):
    payload["jti"] = "https://kuza.example.org/certificates/other"


def _set_issuer(payload):
    payload["issuer"]["name"] = "Diploma Mill"


def _set_sub(payload):
    payload["sub"] = payload["credentialSubject"]["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"


def _set_type(payload):
    payload["credentialSubject"]["achievement"]["achievementType"] = "Degree"


def _add_expiry(payload):
    payload["validUntil"] = "2030-01-01T00:00:00Z"


def _one_character(payload):
    payload["name"] = payload["name"][:-1] + "S"


TAMPERINGS = [_set_subject_name, _set_course, _set_criteria, _set_date, _set_nbf, _set_id, _set_jti,
              _set_issuer, _set_sub, _set_type, _add_expiry, _one_character]


@pytest.mark.parametrize("change", TAMPERINGS, ids=lambda change: change.__name__)
def test_any_changed_field_fails_in_kuza_and_independently(keyring, token, change):
    tampered = _with_payload(token, change)
    assert tampered != token
    result = verify_credential(tampered, keyring.public_keys)
    assert not result.valid
    assert result.reason == "bad signature"
    assert result.credential is None
    assert not independently_valid(tampered, keyring.public_keys)


def test_a_changed_signature_fails_in_both(keyring, token):
    header_part, payload_part, signature_part = token.split(".")
    signature = bytearray(_b64decode(signature_part))
    signature[0] ^= 1
    tampered = f"{header_part}.{payload_part}.{_b64encode(bytes(signature))}"
    assert not verify_credential(tampered, keyring.public_keys).valid
    assert not independently_valid(tampered, keyring.public_keys)


def test_a_token_signed_by_libsodium_verifies_in_kuza(keyring):
    # The other direction: the independent library signs, Kuza verifies; then one byte changes.
    seed = keyring.signing_key.private_bytes_raw()
    header = {"alg": "EdDSA", "typ": "JWT", "kid": keyring.active_kid}
    reference = _payload(issue_credential(FIELDS, keyring, VERIFICATION_URL, ISSUER))
    payload = json.dumps(reference, separators=(",", ":")).encode()
    signing_input = f"{_b64encode(json.dumps(header).encode())}.{_b64encode(payload)}"
    signature = nacl.signing.SigningKey(seed).sign(signing_input.encode("ascii")).signature
    foreign = f"{signing_input}.{_b64encode(signature)}"
    assert verify_credential(foreign, keyring).valid
    assert independently_valid(foreign, keyring.public_keys)
    changed = _with_payload(foreign, _set_course)
    assert not verify_credential(changed, keyring).valid
    assert not independently_valid(changed, keyring.public_keys)


def test_correctly_signed_but_inconsistent_claims_fail(keyring):
    # Signed by the right key, yet jti does not name the credential: not a conformant VC-JWT.
    seed = keyring.signing_key.private_bytes_raw()
    reference = _payload(issue_credential(FIELDS, keyring, VERIFICATION_URL, ISSUER))
    payload = dict(reference, jti="https://elsewhere.example/1")
    header = {"alg": "EdDSA", "typ": "JWT", "kid": keyring.active_kid}
    signing_input = f"{_b64encode(json.dumps(header).encode())}.{_b64encode(json.dumps(payload).encode())}"
    signature = nacl.signing.SigningKey(seed).sign(signing_input.encode("ascii")).signature
    result = verify_credential(f"{signing_input}.{_b64encode(signature)}", keyring)
    assert not result.valid
    assert "jti" in result.reason


def test_kid_as_a_dereferenceable_uri(keyring):
    keys_url = "https://kuza.example.org/issuer/keys.json"
    token = issue_credential(FIELDS, keyring, VERIFICATION_URL, ISSUER, keys_url=keys_url)
    header = json.loads(_b64decode(token.split(".")[0]))
    assert header["kid"] == f"{keys_url}#{keyring.active_kid}"
    # Resolved against the local keys by thumbprint: nothing is fetched.
    result = verify_credential(token, keyring)
    assert result.valid and result.kid == keyring.active_kid
    assert independently_valid(token, keyring.public_keys)
    assert not verify_credential(_with_payload(token, _set_course), keyring).valid


def test_a_credential_dated_ahead_is_not_valid_yet(keyring, token):
    issued = FIELDS["issued_at"].timestamp()
    assert verify_credential(token, keyring, now=issued - 3600).valid  # a slow clock is tolerated
    result = verify_credential(token, keyring, now=issued - 3 * 86400)
    assert not result.valid and result.reason == "not valid yet"


def test_unknown_kid_fails(tmp_path, token):
    generate_key(tmp_path / "other")
    other = load_keyring(tmp_path / "other")
    result = verify_credential(token, other.public_keys)
    assert not result.valid
    assert result.reason == "unknown key"
    assert not independently_valid(token, other.public_keys)


def test_a_known_kid_on_someone_elses_signature_fails(keyring):
    # An attacker with their own key who copies our kid into the header.
    intruder = Ed25519PrivateKey.generate()
    header = {"alg": "EdDSA", "typ": "JWT", "kid": keyring.active_kid}
    reference = _payload(issue_credential(FIELDS, keyring, VERIFICATION_URL, ISSUER))
    signing_input = (f"{_b64encode(json.dumps(header).encode())}."
                     f"{_b64encode(json.dumps(reference).encode())}")
    forged = f"{signing_input}.{_b64encode(intruder.sign(signing_input.encode('ascii')))}"
    assert verify_credential(forged, keyring).reason == "bad signature"
    assert not independently_valid(forged, keyring.public_keys)


def test_rotation_keeps_old_credentials_valid_and_signs_new_ones_with_the_new_key(tmp_path):
    folder = tmp_path / "keys"
    old_kid = generate_key(folder)
    old_token = issue_credential(FIELDS, load_keyring(folder), VERIFICATION_URL, ISSUER)
    new_kid = generate_key(folder)  # a rotation
    keyring = load_keyring(folder)
    new_token = issue_credential(FIELDS, keyring, VERIFICATION_URL, ISSUER)

    old_result = verify_credential(old_token, keyring.public_keys)
    new_result = verify_credential(new_token, keyring.public_keys)
    assert old_result.valid and old_result.kid == old_kid
    assert new_result.valid and new_result.kid == new_kid
    assert independently_valid(old_token, keyring.public_keys)
    assert independently_valid(new_token, keyring.public_keys)
    # Pointing the old credential at the new key must not pass.
    moved = _with_header(old_token, lambda header: header.update(kid=new_kid))
    assert not verify_credential(moved, keyring.public_keys).valid
    assert not independently_valid(moved, keyring.public_keys)


def test_a_json_envelope_verifies_like_the_token(keyring, token):
    document = envelope(token)
    assert document["type"] == "EnvelopedVerifiableCredential"
    assert verify_credential(document, keyring).valid
    assert verify_credential(json.dumps(document), keyring).valid
    assert verify_credential((token + "\n").encode(), keyring).valid


@pytest.mark.parametrize("bad", [
    None, 42, "", "   ", "abc", "a.b.c", "...", "a.b.c.d", b"\xff\xfe", {}, [], {"id": 3},
    {"id": "data:application/vc+jwt,not-a-jwt"}, "{not json", "x" * 100_000,
    {"@context": CONTEXT, "type": ["VerifiableCredential", "OpenBadgeCredential"]},
], ids=repr)
def test_malformed_input_is_invalid_and_never_raises(keyring, bad):
    result = verify_credential(bad, keyring)
    assert not result.valid
    assert result.credential is None


def test_unsigned_and_foreign_algorithms_fail(keyring, token):
    header_part, payload_part, _ = token.split(".")
    none_header = _b64encode(json.dumps({"alg": "none", "kid": keyring.active_kid}).encode())
    assert verify_credential(f"{none_header}.{payload_part}.", keyring).reason == "unsupported algorithm"
    hs_token = _with_header(token, lambda header: header.update(alg="HS256"))
    assert verify_credential(hs_token, keyring).reason == "unsupported algorithm"
    truncated = f"{header_part}.{payload_part}"
    assert not verify_credential(truncated, keyring).valid
    garbled = f"{header_part}.{payload_part}!.{token.split('.')[2]}"
    assert not verify_credential(garbled, keyring).valid


def test_verification_never_touches_the_network(keyring, token, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("verification tried to reach the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    assert verify_credential(token, keyring.public_keys).valid
    assert not verify_credential(_with_payload(token, _set_course), keyring.public_keys).valid
    assert issue_credential(FIELDS, keyring, VERIFICATION_URL, ISSUER)


def test_naive_issue_dates_are_refused(keyring):
    with pytest.raises(ValueError):
        issue_credential({**FIELDS, "issued_at": datetime(2026, 11, 28)}, keyring, VERIFICATION_URL, ISSUER)
