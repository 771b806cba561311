"""The shipped JSON-LD contexts: exactly the published files, loaded offline, defining every term Kuza emits."""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import socket

import pytest
from pyld import jsonld

from lms.certificates.credentials import CONTEXT, CONTEXT_FILES, document_loader, verify_credential
from lms.certificates.keys import load_public_keys

# SHA-256 of the published documents: VC Data Model 2.0 gives the first in its appendix B.1;
# the second is that of the file served at its URL (see lms/certificates/contexts/README.md).
PUBLISHED_SHA256 = {
    CONTEXT[0]: "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    CONTEXT[1]: "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
}
# A vocabulary no context defines: appended after the documents' own contexts, it turns a term
# they leave undefined into an IRI here, where JSON-LD expansion would otherwise drop it unseen.
UNDEFINED = "urn:kuza:undefined-term#"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a JSON-LD context was fetched from the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def undefined_terms(document: dict) -> set[str]:
    """The properties and types of a compact document its own contexts do not define, as dotted
    paths (e.g. ``credentialSubject.achievement.criteria.narative``)."""
    contexts = document["@context"] if isinstance(document["@context"], list) else [document["@context"]]
    options = {"documentLoader": document_loader}
    expanded = jsonld.expand({**document, "@context": [*contexts, {"@vocab": UNDEFINED}]}, options)
    # Compacted again without the extra vocabulary, defined terms get their names back and
    # undefined ones stay IRIs of it.
    compacted = jsonld.compact(expanded, {"@context": contexts}, options)
    found: set[str] = set()

    def walk(node, path: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, path)
        elif isinstance(node, dict):
            for key, value in node.items():
                here = f"{path}.{key.removeprefix(UNDEFINED)}".lstrip(".")
                if key.startswith(UNDEFINED):
                    found.add(here)
                elif key == "type":
                    found.update(f"{here}={name.removeprefix(UNDEFINED)}"
                                 for name in (value if isinstance(value, list) else [value])
                                 if name.startswith(UNDEFINED))
                walk(value, here)

    walk(compacted, "")
    return found


def _payload(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_the_shipped_files_are_the_published_contexts_credentials_name():
    assert list(CONTEXT_FILES) == CONTEXT
    for url, path in CONTEXT_FILES.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == PUBLISHED_SHA256[url], url
        loaded = document_loader(url)
        assert loaded["documentUrl"] == url and loaded["contextUrl"] is None
        assert loaded["document"]["@context"]["@protected"] is True
    assert "VerifiableCredential" in document_loader(CONTEXT[0])["document"]["@context"]
    assert {"OpenBadgeCredential", "Achievement", "AchievementSubject", "Profile"} <= set(
        document_loader(CONTEXT[1])["document"]["@context"])


@pytest.mark.parametrize("url", ["https://www.w3.org/2018/credentials/v1",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
                                 "http://www.w3.org/ns/credentials/v2", "file:///etc/passwd"])
def test_the_loader_refuses_any_other_url(url):
    with pytest.raises(ValueError, match="never fetched"):
        document_loader(url)
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": [CONTEXT[0], url], "type": "VerifiableCredential"},
                      {"documentLoader": document_loader})


def test_every_term_of_an_issued_credential_is_defined(issued, key_folder):
    credential = verify_credential(issued.credential, load_public_keys(key_folder)).credential
    assert undefined_terms(credential) == set()
    # The JWT's registered claims too: OB 3.0 defines jti, VC 2.0 the others.
    assert undefined_terms(_payload(issued.credential)) == set()


def test_a_misspelt_property_or_type_is_caught(issued, key_folder):
    credential = verify_credential(issued.credential, load_public_keys(key_folder)).credential
    misspelt = copy.deepcopy(credential)
    criteria = misspelt["credentialSubject"]["achievement"]["criteria"]
    criteria["narative"] = criteria.pop("narrative")
    assert undefined_terms(misspelt) == {"credentialSubject.achievement.criteria.narative"}
    misspelt = copy.deepcopy(credential)
    misspelt["credentialSubject"]["type"] = ["AchievementSubjct"]
    # Without its type, the subject also loses the terms AchievementSubject defines for it.
    assert undefined_terms(misspelt) == {"credentialSubject.type=AchievementSubjct",
                                         "credentialSubject.achievement", "credentialSubject.identifier"}


def test_every_term_of_a_published_status_list_is_defined(client, issued):
    response = client.get("/issuer/status/0")
    assert response.status_code == 200
    assert undefined_terms(_payload(response.get_data(as_text=True))) == set()


def test_every_term_of_the_issuer_profile_is_defined(client):
    assert undefined_terms(client.get("/issuer").get_json(force=True)) == set()
