"""Kuza's credentials in verifiers that share no code with it: Node's jose and PyJWT.

Both pick the key from the published JWKS by the JWT header's kid, as wallets, verifiers and
the 1EdTech validator do; each genuine credential and revocation list must verify in both,
and every tampered copy must fail in both.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import jwt
import pypdfium2 as pdfium
import lxml.html
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.catalog.services import get_course
from lms.certificates import status
from lms.certificates.keys import generate_key, load_public_keys
from lms.certificates.models import Certificate
from lms.extensions import db
from tests.environment import skip_or_fail
from tests.factories import make_user, sign_in

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated via RFC 9864")

HERE = Path(__file__).parent
NODE_VERIFIER = HERE / "jose_verify.mjs"
LEGACY = HERE / "fixtures" / "kid-before-jwks-fix"
LEGACY_BASE = "https://kuza.example.org"
LEGACY_PUBLIC_ID = "Aqi67QSPdx-Md9ufMZAGFg"


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _json_part(document: dict) -> str:
    return _b64encode(json.dumps(document, separators=(",", ":")).encode("utf-8"))


def token_of(envelope: bytes) -> str:
    """The compact JWT inside a downloaded credential.json (a VC 2.0 envelope)."""
    return json.loads(envelope)["id"].split(",", 1)[1]


def pdf_attachment(data: bytes) -> bytes:
    """The credential attached to a certificate PDF, read with PDFium, not with Kuza's pypdf."""
    document = pdfium.PdfDocument(data)
    assert document.count_attachments() == 1
    return bytes(document.get_attachment(0).get_data())


# --- Tampering ------------------------------------------------------------------------------

def with_payload(token: str, change: Callable[[dict], None]) -> str:
    """The token with its payload changed and its original header and signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(_b64decode(payload))
    change(claims)
    return f"{header}.{_json_part(claims)}.{signature}"


def with_header(token: str, change: Callable[[dict], None]) -> str:
    header, payload, signature = token.split(".")
    fields = json.loads(_b64decode(header))
    change(fields)
    return f"{_json_part(fields)}.{payload}.{signature}"


def unsigned(token: str) -> str:
    header, payload, _ = token.split(".")
    fields = {**json.loads(_b64decode(header)), "alg": "none"}
    return f"{_json_part(fields)}.{payload}."


def hs256_signed(token: str, secret: bytes) -> str:
    """The classic key-confusion forgery: HMAC with the issuer's public key as the secret."""
    header, payload, _ = token.split(".")
    head = _json_part({**json.loads(_b64decode(header)), "alg": "HS256"})
    mac = hmac.new(secret, f"{head}.{payload}".encode("ascii"), hashlib.sha256).digest()
    return f"{head}.{payload}.{_b64encode(mac)}"


def flipped_signature_byte(token: str) -> str:
    header, payload, signature = token.split(".")
    raw = bytearray(_b64decode(signature))
    raw[len(raw) // 2] ^= 0x01
    return f"{header}.{payload}.{_b64encode(bytes(raw))}"


def signed_by_a_stranger(token: str) -> str:
    """Signed with an attacker's own Ed25519 key, under the issuer's kid."""
    header, payload, _ = token.split(".")
    signature = Ed25519PrivateKey.generate().sign(f"{header}.{payload}".encode("ascii"))
    return f"{header}.{payload}.{_b64encode(signature)}"


def forged_in_the_header(token: str, jwks: dict, public_pem: bytes) -> dict[str, str]:
    """Forgeries that leave the payload alone: algorithm, signature and kid."""
    kid = json.loads(_b64decode(token.split(".")[0]))["kid"]
    other_kid = next(entry["kid"] for entry in jwks["keys"] if entry["kid"] != kid)
    raw_public = _b64decode(next(entry["x"] for entry in jwks["keys"] if entry["kid"] == kid))
    return {
        "alg none": unsigned(token),
        "HS256 with the public key (PEM) as secret": hs256_signed(token, public_pem),
        "HS256 with the public key (raw) as secret": hs256_signed(token, raw_public),
        "kid swapped for the other key's": with_header(token, lambda h: h.update(kid=other_kid)),
        "kid removed": with_header(token, lambda h: h.pop("kid")),
        "signature byte flipped": flipped_signature_byte(token),
        "signed by another key under our kid": signed_by_a_stranger(token),
    }


def _set_name(claims: dict) -> None:
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"


def _set_course(claims: dict) -> None:
    claims["credentialSubject"]["achievement"]["name"] = "Advanced Public Finance"


def _backdate(claims: dict) -> None:
    claims["validFrom"] = "2020-01-01T00:00:00Z"
    claims["nbf"] = 1577836800


def _raise_score(claims: dict) -> None:
    criteria = claims["credentialSubject"]["achievement"]["criteria"]
    assert " 90 % " in criteria["narrative"]
    criteria["narrative"] = criteria["narrative"].replace(" 90 % ", " 100 % ")


def _set_issuer(claims: dict) -> None:
    claims["issuer"]["id"] = claims["iss"] = "https://diplomas.example.net/issuer"


def _move_status_bit(claims: dict) -> None:
    entry = claims["credentialStatus"]
    entry["statusListIndex"] = str((int(entry["statusListIndex"]) + 1) % 131072)


def tampered_credentials(token: str, jwks: dict, public_pem: bytes) -> dict[str, str]:
    return {
        "learner name changed": with_payload(token, _set_name),
        "course changed": with_payload(token, _set_course),
        "issue date moved back": with_payload(token, _backdate),
        "score raised": with_payload(token, _raise_score),
        "issuer changed": with_payload(token, _set_issuer),
        "revocation bit moved": with_payload(token, _move_status_bit),
        **forged_in_the_header(token, jwks, public_pem),
    }


def _revoke_another(claims: dict) -> None:
    # The list with one more bit set than it has: someone else's certificate made to read revoked.
    subject = claims["credentialSubject"]
    bits = status.decode(subject["encodedList"])
    unset = next(index for index in range(status.LIST_SIZE) if not bits[index // 8] & (0x80 >> index % 8))
    set_bits = [index for index in range(status.LIST_SIZE) if bits[index // 8] & (0x80 >> index % 8)]
    subject["encodedList"] = status.encode([*set_bits, unset])


def _list_for_another_issuer(claims: dict) -> None:
    claims["issuer"] = claims["iss"] = "https://diplomas.example.net/issuer"


def tampered_status_lists(token: str, jwks: dict, public_pem: bytes) -> dict[str, str]:
    return {
        "another certificate revoked": with_payload(token, _revoke_another),
        "issue date moved back": with_payload(token, _backdate),
        "issuer changed": with_payload(token, _list_for_another_issuer),
        **forged_in_the_header(token, jwks, public_pem),
    }


# --- The two independent verifiers -----------------------------------------------------------

@pytest.fixture(scope="session")
def jose_folder() -> Path:
    """Where Node's jose is installed (KUZA_JOSE_DIR, set by .ci/run), with node on the PATH."""
    folder = os.environ.get("KUZA_JOSE_DIR")
    if not shutil.which("node"):
        skip_or_fail("Node.js is not installed")
    if not folder or not (Path(folder) / "node_modules" / "jose").is_dir():
        skip_or_fail("Node's jose is not installed: npm install --prefix DIR jose@6, then set KUZA_JOSE_DIR=DIR")
    return Path(folder)


def node_jose(jose_folder: Path, jwks: dict, issuer: str, tokens: dict[str, str]) -> dict[str, dict]:
    run = subprocess.run(["node", str(NODE_VERIFIER), str(jose_folder)], check=True, capture_output=True,
                         input=json.dumps({"jwks": jwks, "issuer": issuer, "tokens": tokens}), text=True, timeout=60)
    return json.loads(run.stdout)


def pyjwt_valid(token: str, jwks: dict, issuer: str) -> bool:
    """PyJWT's verdict, with the key chosen from the JWKS by the header's kid and nothing else."""
    try:
        key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(token)["kid"]]
        jwt.decode(token, key, algorithms=["EdDSA"], issuer=issuer, options={"require": ["iss", "nbf"]})
        return True
    except (jwt.PyJWTError, KeyError):
        return False


def verdicts(jose_folder: Path, jwks: dict, issuer: str, tokens: dict[str, str]) -> dict[str, tuple[bool, bool]]:
    """Each token's verdicts as (jose, PyJWT)."""
    by_jose = node_jose(jose_folder, jwks, issuer, tokens)
    return {name: (by_jose[name]["valid"], pyjwt_valid(token, jwks, issuer)) for name, token in tokens.items()}


# --- A certificate issued now ---------------------------------------------------------------

@pytest.fixture
def published(client, issued, key_folder):
    """A genuine certificate and what a verifier downloads: its credential, its PDF, revocation
    list 0 and the JWKS, after a key rotation (so the JWKS holds the signing key and another)."""
    generate_key(key_folder)
    return {
        "credential": token_of(client.get(f"/certificates/{issued.public_id}/credential.json").data),
        "pdf": client.get(f"/certificates/{issued.public_id}/certificate.pdf").data,
        "status_list": client.get("/issuer/status/0").get_data(as_text=True),
        "jwks": client.get("/issuer/keys.json").get_json(force=True),
        "issuer": client.get("/issuer").get_json(force=True),
    }


def _public_pem(key_folder: Path, token: str) -> bytes:
    thumbprint = json.loads(_b64decode(token.split(".")[0]))["kid"].rpartition("#")[2]
    return load_public_keys(key_folder)[thumbprint].public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _assert_only_the_genuine_verifies(results: dict[str, tuple[bool, bool]]) -> None:
    assert results.pop("genuine") == (True, True)
    assert results and all(verdict == (False, False) for verdict in results.values()), results


def test_a_credential_and_its_tampered_copies_in_jose_and_pyjwt(published, key_folder, jose_folder):
    token = published["credential"]
    tokens = {"genuine": token, **tampered_credentials(token, published["jwks"], _public_pem(key_folder, token))}
    assert len(tokens) > 12
    _assert_only_the_genuine_verifies(verdicts(jose_folder, published["jwks"], published["issuer"]["id"], tokens))


def test_the_credential_attached_to_the_pdf_in_jose_and_pyjwt(published, key_folder, jose_folder):
    token = token_of(pdf_attachment(published["pdf"]))
    assert token == published["credential"]
    tokens = {"genuine": token, **tampered_credentials(token, published["jwks"], _public_pem(key_folder, token))}
    _assert_only_the_genuine_verifies(verdicts(jose_folder, published["jwks"], published["issuer"]["id"], tokens))


def test_a_revocation_list_and_its_tampered_copies_in_jose_and_pyjwt(published, key_folder, jose_folder):
    token = published["status_list"]
    tokens = {"genuine": token, **tampered_status_lists(token, published["jwks"], _public_pem(key_folder, token))}
    _assert_only_the_genuine_verifies(verdicts(jose_folder, published["jwks"], published["issuer"]["id"], tokens))


def test_jose_reads_the_credential_kuza_signed(published, jose_folder):
    token = published["credential"]
    result = node_jose(jose_folder, published["jwks"], published["issuer"]["id"], {"genuine": token})["genuine"]
    assert result["payload"] == json.loads(_b64decode(token.split(".")[1]))
    assert result["payload"]["credentialSubject"]["identifier"][0]["identityHash"] == "Amina Diallo"


def test_each_key_has_one_kid_in_headers_jwks_and_issuer_profile(published):
    header_kids = {json.loads(_b64decode(token.split(".")[0]))["kid"]
                   for token in (published["credential"], published["status_list"])}
    jwks_kids = {entry["kid"] for entry in published["jwks"]["keys"]}
    profile = published["issuer"]
    methods = {method["id"]: method for method in profile["verificationMethod"]}
    # Two keys after the rotation: the one that signed the credential, and the active one.
    assert len(jwks_kids) == 2 and header_kids <= jwks_kids
    assert set(methods) == jwks_kids == set(profile["assertionMethod"])
    for entry in published["jwks"]["keys"]:
        assert entry["kid"] == f"{profile['id']}/keys.json#{_thumbprint(entry)}"
        assert methods[entry["kid"]]["publicKeyJwk"] == entry
        assert methods[entry["kid"]]["controller"] == profile["id"]


def _thumbprint(jwk: dict) -> str:
    canonical = json.dumps({name: jwk[name] for name in ("crv", "kty", "x")}, separators=(",", ":"))
    return _b64encode(hashlib.sha256(canonical.encode("ascii")).digest())


# --- A certificate issued before the JWKS carried the headers' kid ---------------------------

@pytest.fixture
def legacy_keys(app, db_session, tmp_path):
    """The key folder as a server that issued the legacy certificate has it: its public key."""
    folder = tmp_path / "legacy-keys"
    folder.mkdir()
    for pem in LEGACY.glob("*.pub.pem"):
        shutil.copy(pem, folder / pem.name)
    app.config.update(KUZA_KEYS_DIR=str(folder), KUZA_BASE_URL=LEGACY_BASE)
    yield folder
    app.config.pop("KUZA_KEYS_DIR")
    app.config.pop("KUZA_BASE_URL")


@pytest.mark.parametrize("name", ["credential.json", "certificate.pdf"])
def test_kuza_verify_certificate_accepts_a_credential_issued_before(app, legacy_keys, name):
    result = app.test_cli_runner().invoke(args=["verify-certificate", str(LEGACY / name)])
    assert result.exit_code == 0, result.output
    assert "VALID signature" in result.output and "Amina Diallo" in result.output


def test_kuza_accepts_a_revocation_list_issued_before(app, legacy_keys):
    result = app.test_cli_runner().invoke(args=["verify-certificate", str(LEGACY / "credential.json"),
                                                "--status-list", str(LEGACY / "status-list-0.jwt")])
    assert result.exit_code == 0, result.output
    assert "Not revoked according to the revocation list" in result.output


def test_the_verify_page_checks_a_credential_issued_before(client, sample, legacy_keys):
    learner = make_user(name="Amina Diallo", email="amina.legacy@example.org")
    version = get_course("public-service-innovation").published_version
    db.session.add(Certificate(public_id=LEGACY_PUBLIC_ID, user_id=learner.id, course_id=sample.id,
                               version_id=version.id, version_number=version.number, kind="completion",
                               rule={"state": "passed"}, credential=token_of((LEGACY / "credential.json").read_bytes()),
                               status_index=67002))
    db.session.commit()
    page = client.get(f"/certificates/{LEGACY_PUBLIC_ID}").get_data(as_text=True)
    assert "This certificate is valid." in page
    assert 'id="signature-valid"' in page


def test_credentials_issued_before_verify_in_jose_with_todays_jwks(client, legacy_keys, jose_folder):
    tokens = {"credential": token_of((LEGACY / "credential.json").read_bytes()),
              "pdf": token_of(pdf_attachment((LEGACY / "certificate.pdf").read_bytes())),
              "status list": (LEGACY / "status-list-0.jwt").read_text().strip()}
    issuer = f"{LEGACY_BASE}/issuer"
    today = client.get("/issuer/keys.json").get_json(force=True)
    assert {name: verdict["valid"] for name, verdict in node_jose(jose_folder, today, issuer, tokens).items()} == {
        name: True for name in tokens}
    assert all(pyjwt_valid(token, today, issuer) for token in tokens.values())
    # The JWKS as it was published then: no key had the kid the headers name.
    then = json.loads((LEGACY / "keys-as-published.json").read_text())
    assert {verdict["code"] for verdict in node_jose(jose_folder, then, issuer, tokens).values()} == {
        "ERR_JWKS_NO_MATCHING_KEY"}


def test_a_credential_reads_the_score_the_progress_page_shows(client, sample, key_folder):
    """99.995 % is 99 % on the page; the credential must not round it up to 100 %."""
    from lms.catalog import services as catalog
    from lms.certificates import services as certificates
    from tests.certificates.records import work_through
    learner = make_user(name="Kofi Mensah", email="kofi@example.org")
    catalog.enroll(learner, sample)
    work_through(learner, sample, quiz_fraction=0.99995, post_test_passed=True)
    certificate = certificates.issue_if_earned(learner, sample)
    db.session.commit()
    claims = json.loads(_b64decode(certificate.credential.split(".")[1]))
    narrative = claims["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert "a course score of 99 %" in narrative
    sign_in(client, learner)
    page = client.get(f"/courses/{sample.slug}/progress").get_data(as_text=True)
    assert "Your course score: 99 %" in lxml.html.fromstring(page).text_content()
