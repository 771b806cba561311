"""Revocation status as W3C Bitstring Status Lists: the entry a credential carries, and the list it points to.

Each certificate owns one bit in a published list; revoking sets the bit. A verifier holding
the credential fetches the list once (or carries a downloaded copy offline) and reads its
bit, without telling the issuer which certificate it is checking.
"""
from __future__ import annotations

import base64
import gzip
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime

from lms.certificates.credentials import CONTEXT, timestamp

# Bitstring Status List v1.0 requires at least 16 KB (131,072 bits) per list, so that a
# list's size says nothing about how many certificates it covers.
LIST_SIZE = 131_072
PURPOSE = "revocation"
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_TYPE = "BitstringStatusListCredential"
SUBJECT_TYPE = "BitstringStatusList"
# How long verifiers may cache a list, in milliseconds (the spec's unit): a revocation shows
# within five minutes, and a busy verifier asks at most once per five minutes.
TTL_MS = 5 * 60 * 1000
MULTIBASE_BASE64URL = "u"


class StatusError(ValueError):
    """A status entry or list that cannot be read, with the reason for the person verifying."""


def locate(index: int) -> tuple[int, int]:
    """Which list a global status index falls in, and its bit in that list."""
    return divmod(index, LIST_SIZE)


def entry(list_url: str, bit: int) -> dict:
    """The credentialStatus a credential carries: which list, which bit, and what a set bit means."""
    return {"id": f"{list_url}#{bit}", "type": ENTRY_TYPE, "statusPurpose": PURPOSE,
            "statusListIndex": str(bit), "statusListCredential": list_url}


def encode(set_bits: Iterable[int]) -> str:
    """The list's encodedList: bit 0 is the left-most (most significant) bit of the first byte,
    gzipped, then multibase base64url without padding."""
    bitstring = bytearray(LIST_SIZE // 8)
    for bit in set_bits:
        if not 0 <= bit < LIST_SIZE:
            raise ValueError(f"bit {bit} is outside a list of {LIST_SIZE}")
        bitstring[bit // 8] |= 0x80 >> (bit % 8)
    # mtime=0: the same revocations give the same bytes, whenever the list is made.
    packed = gzip.compress(bytes(bitstring), mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode(encoded: str, *, max_bytes: int = 16 * LIST_SIZE // 8) -> bytes:
    """The bitstring of an encodedList; a list that inflates beyond max_bytes is refused, so a
    hostile list cannot exhaust memory."""
    if not isinstance(encoded, str) or not encoded.startswith(MULTIBASE_BASE64URL):
        raise StatusError("the status list is not multibase base64url")
    text = encoded[1:]
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        bitstring = inflater.decompress(packed, max_bytes)
    except (ValueError, zlib.error) as error:
        raise StatusError("the status list is not a gzipped bitstring") from error
    if inflater.unconsumed_tail:
        raise StatusError("the status list is larger than any list this verifier accepts")
    if len(bitstring) < LIST_SIZE // 8:
        raise StatusError("the status list is shorter than 16 KB")
    return bitstring


def list_credential(list_url: str, issuer_id: str, revoked_bits: Iterable[int], now: datetime) -> dict:
    """The unsigned BitstringStatusListCredential of one list, as published at list_url.

    The issuer is its bare id: the Profile's other properties are Open Badges terms, which the
    VC 2.0 context alone does not define.
    """
    return {
        "@context": [CONTEXT[0]],
        "id": list_url,
        "type": ["VerifiableCredential", LIST_TYPE],
        "issuer": issuer_id,
        "validFrom": timestamp(now),
        "credentialSubject": {"id": f"{list_url}#list", "type": SUBJECT_TYPE, "statusPurpose": PURPOSE,
                              "encodedList": encode(revoked_bits), "ttl": TTL_MS},
    }


def revocation_entry(credential: Mapping) -> dict | None:
    """The credential's revocation entry, or None if it carries no status."""
    statuses = credential.get("credentialStatus")
    for status in statuses if isinstance(statuses, list) else [statuses]:
        if isinstance(status, Mapping) and status.get("type") == ENTRY_TYPE and status.get("statusPurpose") == PURPOSE:
            return dict(status)
    return None


def is_revoked(credential: Mapping, status_list: Mapping) -> bool:
    """Whether a verified list marks a verified credential revoked.

    The list must be the one the credential names, from the same issuer, for revocation;
    anything else is a StatusError, never a silent "not revoked".
    """
    status = revocation_entry(credential)
    if status is None:
        raise StatusError("the credential carries no revocation status")
    if status_list.get("id") != status.get("statusListCredential"):
        raise StatusError(f"this is not the status list the credential names ({status.get('statusListCredential')})")
    if _issuer_id(status_list) != _issuer_id(credential):
        raise StatusError("the status list and the credential have different issuers")
    subject = status_list.get("credentialSubject")
    if not isinstance(subject, Mapping) or subject.get("statusPurpose") != PURPOSE:
        raise StatusError("the status list is not a revocation list")
    try:
        bit = int(status["statusListIndex"])
    except (KeyError, TypeError, ValueError) as error:
        raise StatusError("the credential's statusListIndex is not a number") from error
    bitstring = decode(subject.get("encodedList"))
    if not 0 <= bit < len(bitstring) * 8:
        raise StatusError("the credential's statusListIndex is outside the list")
    return bool(bitstring[bit // 8] & (0x80 >> (bit % 8)))


def _issuer_id(credential: Mapping) -> str | None:
    issuer = credential.get("issuer")
    return issuer.get("id") if isinstance(issuer, Mapping) else issuer
