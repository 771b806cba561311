"""Ed25519 issuer keys on disk: generation, rotation, and the keyring that signs and verifies."""
from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PRIVATE_SUFFIX = ".key.pem"
PUBLIC_SUFFIX = ".pub.pem"
ACTIVE_FILE = "active"
# Multicodec prefix of an Ed25519 public key, as in a Multikey's publicKeyMultibase.
_ED25519_MULTICODEC = b"\xed\x01"
_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class KeyringError(Exception):
    """The key folder has no usable active signing key."""


@dataclass(frozen=True)
class Keyring:
    """The key that signs new credentials, and every public key that old credentials may name."""

    active_kid: str
    signing_key: Ed25519PrivateKey
    public_keys: Mapping[str, Ed25519PublicKey] = field(default_factory=dict)

    def jwks(self, keys_url: str | None = None) -> dict:
        """The public keys as a JSON Web Key Set, for publication at ``keys_url``."""
        return jwks(self.public_keys, keys_url)


def default_key_folder(instance_path: str | os.PathLike) -> Path:
    return Path(instance_path) / "keys"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_jwk(public_key: Ed25519PublicKey, keys_url: str | None = None) -> dict:
    """The public key as an RFC 8037 OKP JWK, with the kid that signatures name (published_kid)."""
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(_raw(public_key)),
            "kid": published_kid(key_id(public_key), keys_url), "alg": "EdDSA", "use": "sig"}


def published_kid(thumbprint: str, keys_url: str | None) -> str:
    """The one kid of a key wherever it appears: JWT headers, the JWKS and the issuer profile.

    OB 3.0 wants a kid that is a URI dereferencing to the key, and JOSE libraries pick a key
    from a JWKS by exact kid: so the kid is the JWKS address with the thumbprint as fragment,
    the same string in all three places. Without a keys_url (offline tools) it is the bare
    thumbprint.
    """
    return f"{keys_url}#{thumbprint}" if keys_url else thumbprint


def key_id(public_key: Ed25519PublicKey) -> str:
    """The RFC 7638 JWK thumbprint (SHA-256): any verifier can recompute it from the key alone."""
    # RFC 7638: only the required members, sorted, no whitespace.
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": _b64url(_raw(public_key))},
                           separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """The key as a Multikey publicKeyMultibase (base58btc, 'z' prefix), for DID-style profiles."""
    # base58 of 34 bytes is a few lines; not worth a dependency.
    data = _ED25519_MULTICODEC + _raw(public_key)
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, rest = divmod(number, 58)
        digits = _BASE58_ALPHABET[rest] + digits
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "z" + "1" * leading_zeros + digits


def jwks(public_keys: Mapping[str, Ed25519PublicKey], keys_url: str | None = None) -> dict:
    return {"keys": [public_key_jwk(key, keys_url) for _, key in sorted(public_keys.items())]}


def public_keys_from_jwks(document: Mapping) -> dict[str, Ed25519PublicKey]:
    """Ed25519 keys of a published JWKS, keyed by thumbprint; other key types are skipped."""
    keys: dict[str, Ed25519PublicKey] = {}
    for entry in document.get("keys", []):
        if entry.get("kty") != "OKP" or entry.get("crv") != "Ed25519":
            continue
        x = entry["x"]
        public_key = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(x + "=" * (-len(x) % 4)))
        # The kid is recomputed, never trusted from the document, so a kid cannot point at another key.
        keys[key_id(public_key)] = public_key
    return keys


def _write_new(path: Path, data: bytes, mode: int) -> None:
    # O_EXCL with the mode at creation: the private key is never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, mode)


def _write_replacing(path: Path, text: str) -> None:
    # Write then rename, so a reader never sees a half-written pointer.
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(text, encoding="ascii")
    os.replace(scratch, path)


def generate_key(folder: str | os.PathLike) -> str:
    """Create a key and make it the active signer; the previous signer is kept as a public key only.

    Returns the new key's kid.
    """
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    previous = _active_kid(folder)
    private_key = Ed25519PrivateKey.generate()
    kid = key_id(private_key.public_key())
    _write_new(folder / f"{kid}{PRIVATE_SUFFIX}", private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()), 0o600)
    _write_new(folder / f"{kid}{PUBLIC_SUFFIX}", private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo), 0o644)
    _write_replacing(folder / ACTIVE_FILE, kid + "\n")
    if previous and previous != kid:
        # A retired key must never sign again (rotation is often after a leak), but its public
        # half stays so that everything it signed still verifies.
        (folder / f"{previous}{PRIVATE_SUFFIX}").unlink(missing_ok=True)
    return kid


def _active_kid(folder: Path) -> str | None:
    try:
        return (folder / ACTIVE_FILE).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def load_public_keys(folder: str | os.PathLike) -> dict[str, Ed25519PublicKey]:
    """Every public key in the folder, active and retired, keyed by kid."""
    keys: dict[str, Ed25519PublicKey] = {}
    folder = Path(folder)
    if not folder.is_dir():
        return keys
    for path in sorted(folder.glob(f"*{PUBLIC_SUFFIX}")):
        public_key = serialization.load_pem_public_key(path.read_bytes())
        if isinstance(public_key, Ed25519PublicKey):
            keys[key_id(public_key)] = public_key
    return keys


def load_keyring(folder: str | os.PathLike) -> Keyring:
    """The active signing key and all public keys; KeyringError if there is no active key."""
    folder = Path(folder)
    kid = _active_kid(folder)
    if kid is None:
        raise KeyringError(f"no active key in {folder}: run `kuza keys generate`")
    try:
        private_key = serialization.load_pem_private_key(
            (folder / f"{kid}{PRIVATE_SUFFIX}").read_bytes(), password=None)
    except FileNotFoundError as missing:
        raise KeyringError(f"the active key {kid} has no private key file in {folder}") from missing
    if not isinstance(private_key, Ed25519PrivateKey) or key_id(private_key.public_key()) != kid:
        raise KeyringError(f"the file of key {kid} does not hold that Ed25519 key")
    public_keys = load_public_keys(folder)
    public_keys[kid] = private_key.public_key()
    return Keyring(active_kid=kid, signing_key=private_key, public_keys=public_keys)
