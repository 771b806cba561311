"""Issuer keys: files and modes, kids, published forms, rotation that keeps old keys verifying."""
from __future__ import annotations

import base64
import stat

import pytest
from joserfc.jwk import OKPKey

from lms.certificates.keys import (
    ACTIVE_FILE,
    PRIVATE_SUFFIX,
    PUBLIC_SUFFIX,
    KeyringError,
    default_key_folder,
    generate_key,
    key_id,
    load_keyring,
    load_public_keys,
    public_key_jwk,
    public_key_multibase,
    published_kid,
    public_keys_from_jwks,
)


def _raw(public_key):
    return public_key.public_bytes_raw()


def test_default_folder_is_under_the_instance(tmp_path):
    assert default_key_folder(tmp_path) == tmp_path / "keys"


def test_generated_key_is_private_to_its_owner_and_active(tmp_path):
    folder = tmp_path / "keys"
    kid = generate_key(folder)
    private = folder / f"{kid}{PRIVATE_SUFFIX}"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    assert (folder / f"{kid}{PUBLIC_SUFFIX}").exists()
    assert (folder / ACTIVE_FILE).read_text().strip() == kid
    keyring = load_keyring(folder)
    assert keyring.active_kid == kid
    assert set(keyring.public_keys) == {kid}


def test_kid_is_the_rfc7638_thumbprint(tmp_path):
    kid = generate_key(tmp_path)
    public_key = load_keyring(tmp_path).signing_key.public_key()
    # joserfc computes the thumbprint on its own; both must agree.
    assert kid == key_id(public_key) == OKPKey.import_key(public_key).thumbprint()


def test_published_forms_of_a_public_key(tmp_path):
    generate_key(tmp_path)
    public_key = load_keyring(tmp_path).signing_key.public_key()
    jwk = public_key_jwk(public_key)
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["kid"] == key_id(public_key)
    assert base64.urlsafe_b64decode(jwk["x"] + "=") == _raw(public_key)
    assert "d" not in jwk
    # Every Ed25519 Multikey starts "z6Mk" (multicodec 0xed01 in base58btc).
    assert public_key_multibase(public_key).startswith("z6Mk")


def test_a_published_kid_is_the_jwks_address_with_the_thumbprint_as_fragment(tmp_path):
    generate_key(tmp_path)
    keyring = load_keyring(tmp_path)
    keys_url = "https://kuza.example.org/issuer/keys.json"
    kid = published_kid(keyring.active_kid, keys_url)
    assert kid == f"{keys_url}#{keyring.active_kid}"
    assert [entry["kid"] for entry in keyring.jwks(keys_url)["keys"]] == [kid]
    assert published_kid(keyring.active_kid, None) == keyring.active_kid
    # The kid in a published document is only a name: loading recomputes the thumbprint.
    assert set(public_keys_from_jwks(keyring.jwks(keys_url))) == {keyring.active_kid}


def test_jwks_round_trip_recomputes_kids(tmp_path):
    generate_key(tmp_path)
    generate_key(tmp_path)
    keyring = load_keyring(tmp_path)
    published = keyring.jwks()
    assert all("d" not in entry for entry in published["keys"])
    loaded = public_keys_from_jwks(published)
    assert {kid: _raw(key) for kid, key in loaded.items()} == {
        kid: _raw(key) for kid, key in keyring.public_keys.items()}
    # A forged kid in a document cannot name a different key.
    published["keys"][0]["kid"] = "someone-else"
    assert "someone-else" not in public_keys_from_jwks(published)


def test_rotation_makes_the_new_key_active_and_keeps_old_public_keys(tmp_path):
    first = generate_key(tmp_path)
    second = generate_key(tmp_path)  # a rotation: the new key signs from now on
    assert first != second
    keyring = load_keyring(tmp_path)
    assert keyring.active_kid == second
    assert set(keyring.public_keys) == {first, second}
    assert set(load_public_keys(tmp_path)) == {first, second}
    # The retired key can no longer sign.
    assert not (tmp_path / f"{first}{PRIVATE_SUFFIX}").exists()


def test_a_folder_without_keys_has_no_keyring(tmp_path):
    with pytest.raises(KeyringError):
        load_keyring(tmp_path / "missing")
    assert load_public_keys(tmp_path / "missing") == {}


def test_an_active_pointer_without_its_private_key_is_an_error(tmp_path):
    kid = generate_key(tmp_path)
    (tmp_path / f"{kid}{PRIVATE_SUFFIX}").unlink()
    with pytest.raises(KeyringError):
        load_keyring(tmp_path)
