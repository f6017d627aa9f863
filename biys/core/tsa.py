"""RFC 3161 time-stamping with rfc3161-client: build the request over some bytes (the 5651
module's daily manifest, the evrak module's signature value), send it to the configured
authority (``BIYS_TSA_URL``, with Kamu SM's ``identity`` header when its credentials are set),
and verify the answer against the authority's certificates (``BIYS_TSA_CA_FILE``) before
anything is stored. Here in core so that every domain app may use it.

Nothing here ever makes a token up: any failure is a ``TimestampError``.
"""

import hashlib
import hmac
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)


class TimestampError(Exception):
    """The authority could not be reached, refused, or answered with a token that does not
    verify."""


@dataclass
class Timestamp:
    request: bytes
    token: bytes  # the whole TimeStampResp, DER
    time: datetime


def build_request(data: bytes):
    return (
        TimestampRequestBuilder()
        .data(data)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )


# Kamu SM's authentication (../shared/formats/5651/NOTES.md): an ASN.1 ESYAReqEx
#   SEQUENCE { userid INTEGER, salt OCTET STRING, iterationCount INTEGER, iv OCTET STRING,
#              encryptedMessageImprint OCTET STRING }
# with the message digest encrypted by AES-256-CBC under PBKDF2-HMAC-SHA256(password, salt,
# 100 iterations); the header is the DER bytes as one unsigned number in lower-case hex.
KAMUSM_ITERATIONS = 100


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _der(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(body)) + body


def _der_integer(value: int) -> bytes:
    body = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True)
    return _der(0x02, body)


def kamusm_identity(
    *, user_id: int, password: str, digest: bytes, salt: bytes | None = None
) -> str:
    salt = salt if salt is not None else os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, KAMUSM_ITERATIONS, dklen=32)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(digest) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(salt)).encryptor()
    encrypted = encryptor.update(padded) + encryptor.finalize()
    body = (
        _der_integer(user_id)
        + _der(0x04, salt)
        + _der_integer(KAMUSM_ITERATIONS)
        + _der(0x04, salt)
        + _der(0x04, encrypted)
    )
    return format(int.from_bytes(_der(0x30, body), "big"), "x")


def load_certificates(path: str) -> list[x509.Certificate]:
    if not path:
        raise TimestampError("BIYS_TSA_CA_FILE is not set: a timestamp cannot be verified.")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise TimestampError(f"cannot read BIYS_TSA_CA_FILE {path}: {error}") from error
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise TimestampError(f"BIYS_TSA_CA_FILE {path} holds no certificate: {error}") from error


def _verifier(certificates: list[x509.Certificate], *, request=None):
    builder = VerifierBuilder.from_request(request) if request is not None else VerifierBuilder()
    for certificate in certificates:
        if certificate.issuer == certificate.subject:
            builder = builder.add_root_certificate(certificate)
        else:
            builder = builder.add_intermediate_certificate(certificate)
    return builder.build()


def verify_token(token: bytes, data: bytes, *, ca_file: str | None = None, request=None):
    """The decoded response if ``token`` is a granted timestamp over ``data`` signed by a TSA
    certificate chaining to the configured CA (and answering ``request``'s nonce when given);
    TimestampError otherwise."""
    certificates = load_certificates(settings.BIYS_TSA_CA_FILE if ca_file is None else ca_file)
    try:
        response = decode_timestamp_response(token)
    except ValueError as error:
        raise TimestampError(f"the token cannot be decoded: {error}") from error
    if response.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TimestampError(f"the authority refused: status {response.status}")
    try:
        _verifier(certificates, request=request).verify_message(response, data)
    except (VerificationError, ValueError) as error:
        raise TimestampError(f"the token does not verify: {error}") from error
    return response


def request_timestamp(data: bytes, *, url: str | None = None) -> Timestamp:
    """Ask the authority for a timestamp over ``data``; the answer is verified (signature,
    chain, EKU, nonce, message imprint) before it is returned."""
    url = url or settings.BIYS_TSA_URL
    if not url:
        raise TimestampError("BIYS_TSA_URL is not set.")
    request = build_request(data)
    body = request.as_bytes()
    headers = {"Content-Type": "application/timestamp-query", "User-Agent": "BIYS"}
    user, password = settings.BIYS_TSA_KAMUSM_USER, settings.BIYS_TSA_KAMUSM_PASSWORD
    if user and password:
        try:
            user_id = int(user)
        except ValueError as error:
            raise TimestampError("BIYS_TSA_KAMUSM_USER must be the customer number.") from error
        headers["identity"] = kamusm_identity(
            user_id=user_id, password=password, digest=hashlib.sha256(data).digest()
        )
    http = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(http, timeout=settings.BIYS_TSA_TIMEOUT) as reply:
            token = reply.read(1 << 20)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise TimestampError(f"the authority at {url} did not answer: {error}") from error
    response = verify_token(token, data, request=request)
    if not hmac.compare_digest(
        response.tst_info.message_imprint.message, hashlib.sha256(data).digest()
    ):
        raise TimestampError("the token is over another message")
    return Timestamp(request=body, token=token, time=response.tst_info.gen_time)
