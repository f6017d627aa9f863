"""A signature as it travels in a package: the accepted CAdES signature extended with its
signature time-stamp (CAdES-T) and its validation data (CAdES-B-LT), and, on reading, what an
incoming signature carries.

**Writing** (``for_package``, used by ``eyp_writer.build_package``). The signature the signer's
agent returned is kept as it came (``OutgoingSignature.signature``). The package gets a copy
extended, outside what the signer signed (neither the signed attributes nor the signature value
change, which ``extend`` checks):

* the signature time-stamp the time-stamping authority gave over the signature value
  (``SignatureValidation.timestamp_token``, a TimeStampResp: its TimeStampToken) as the
  signer's unsigned attribute ``id-aa-signatureTimeStampToken`` (1.2.840.113549.1.9.16.2.14,
  RFC 3161 appendix A, ETSI EN 319 122-1 5.3);
* the certificate chain the signature was accepted with in ``SignedData.certificates``, the
  CRLs in ``SignedData.crls`` and the OCSP responses there too, as ``other`` revocation
  information of format ``id-ri-ocsp-response`` (1.3.6.1.5.5.7.16.2, RFC 5940).

The validation data go into the SignedData fields rather than the older CAdES-X Long attributes
``id-aa-ets-certValues`` / ``id-aa-ets-revocationValues`` (2.23, 2.24): ETSI EN 319 122-2's
baseline signatures (B-LT) put them there, every CMS reader (OpenSSL, the Kamu SM and other
e-Yazışma libraries) reads them there, and BİYS's own check already used both fields to build
the chain and to find CRLs. (BİYS still reads ``id-aa-ets-revocationValues`` on incoming
signatures.)

**Reading** (``check_timestamps``, ``carried_ocsp``; used by ``eyp``). A signature
time-stamp an incoming signature carries is read; its message imprint must be the digest of
the signature value (else the signature is refused: the token is another signature's).
Whether the token verifies against the time-stamping authority's certificates the installation
has (``BIYS_TSA_CA_FILE``) is reported with its time, not required (another institution may use
another authority): nothing relies on that time yet. The check of the chain and of revocation
is made as of the time of reading, not as of the time-stamp.
"""

import base64
import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from django.conf import settings
from django.utils.translation import gettext as _
from pyasn1.codec.der import decoder, encoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import univ
from pyasn1_modules import rfc3161, rfc5280, rfc5652

from biys.evrak import cades

logger = logging.getLogger(__name__)

OID_SIGNATURE_TIMESTAMP = "1.2.840.113549.1.9.16.2.14"  # id-aa-signatureTimeStampToken
OID_OCSP_RESPONSE = "1.3.6.1.5.5.7.16.2"  # id-ri-ocsp-response (RFC 5940)
OID_TST_INFO = "1.2.840.113549.1.9.16.1.4"  # id-ct-TSTInfo
IMPRINT_HASHES = {
    "2.16.840.1.101.3.4.2.1": "sha256",
    "2.16.840.1.101.3.4.2.2": "sha384",
    "2.16.840.1.101.3.4.2.3": "sha512",
}
PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----"
_ERRORS = (PyAsn1Error, ValueError, TypeError, KeyError, IndexError)


def _signed_data(signature: bytes):
    info, rest = decoder.decode(bytes(signature), asn1Spec=rfc5652.ContentInfo())
    if rest or str(info["contentType"]) != cades.OID_SIGNED_DATA:
        raise ValueError("not a CMS SignedData")
    signed, rest = decoder.decode(info["content"], asn1Spec=rfc5652.SignedData())
    if rest or len(signed["signerInfos"]) != 1:
        raise ValueError("not one signer")
    return info, signed


def _signed_part(signed) -> tuple[bytes, bytes]:
    signer = signed["signerInfos"][0]
    return encoder.encode(signer["signedAttrs"]), bytes(signer["signature"])


def token_of(response: bytes) -> bytes:
    """The TimeStampToken (a CMS ContentInfo, DER) of a TimeStampResp as the authority
    answered it (``ValueError`` if it has none)."""
    answer, _rest = decoder.decode(bytes(response), asn1Spec=rfc3161.TimeStampResp())
    if not answer["timeStampToken"].isValue:
        raise ValueError("the answer carries no token")
    return encoder.encode(answer["timeStampToken"])


def extend(
    signature: bytes,
    *,
    timestamp_token: bytes | None = None,
    certificates: list[x509.Certificate] = (),
    crls: list[x509.CertificateRevocationList] = (),
    ocsp_responses: list[bytes] = (),
) -> bytes:
    """The CMS ``signature`` (DER) with ``timestamp_token`` (a TimeStampToken, DER) as its
    signer's unsigned attribute id-aa-signatureTimeStampToken, and the ``certificates``,
    ``crls`` and ``ocsp_responses`` (DER) it lacks added to ``SignedData.certificates`` and
    ``crls``. What the signer signed is left byte for byte (``ValueError`` otherwise, and on a
    signature that cannot be read)."""
    from cryptography.hazmat.primitives import serialization

    try:
        info, signed = _signed_data(signature)
        before = _signed_part(signed)
        held = signed["certificates"]
        present = {
            encoder.encode(choice["certificate"])
            for choice in held
            if choice.isValue and choice.getName() == "certificate"
        }
        for certificate in certificates:
            der = certificate.public_bytes(serialization.Encoding.DER)
            if der in present:
                continue
            value, _rest = decoder.decode(der, asn1Spec=rfc5280.Certificate())
            choice = rfc5652.CertificateChoices()
            choice["certificate"] = value
            held.append(choice)
            present.add(der)
        lists = signed["crls"]
        known = {encoder.encode(choice) for choice in lists if choice.isValue}
        for crl in crls:
            value, _rest = decoder.decode(
                crl.public_bytes(serialization.Encoding.DER), asn1Spec=rfc5280.CertificateList()
            )
            choice = rfc5652.RevocationInfoChoice()
            choice["crl"] = value
            if encoder.encode(choice) not in known:
                lists.append(choice)
                known.add(encoder.encode(choice))
        for response in ocsp_responses:
            choice = rfc5652.RevocationInfoChoice()
            other = choice["other"]
            other["otherRevInfoFormat"] = univ.ObjectIdentifier(OID_OCSP_RESPONSE)
            other["otherRevInfo"] = univ.Any(bytes(response))
            if encoder.encode(choice) not in known:
                lists.append(choice)
                known.add(encoder.encode(choice))
        if timestamp_token:
            decoder.decode(bytes(timestamp_token), asn1Spec=rfc5652.ContentInfo())  # well formed
            signer = signed["signerInfos"][0]
            unsigned = signer["unsignedAttrs"]
            tokens = {
                encoder.encode(value)
                for attribute in unsigned
                if str(attribute["attrType"]) == OID_SIGNATURE_TIMESTAMP
                for value in attribute["attrValues"]
            }
            if bytes(timestamp_token) not in tokens:
                attribute = rfc5652.Attribute()
                attribute["attrType"] = univ.ObjectIdentifier(OID_SIGNATURE_TIMESTAMP)
                attribute["attrValues"].append(univ.Any(bytes(timestamp_token)))
                unsigned.append(attribute)
        info["content"] = univ.Any(encoder.encode(signed))
        extended = encoder.encode(info)
        if _signed_part(_signed_data(extended)[1]) != before:
            raise ValueError("the signed part changed")
    except _ERRORS as error:
        raise ValueError(f"the signature cannot be extended: {error}") from error
    return extended


def _certificates_pem(text: str) -> list[x509.Certificate]:
    return [
        x509.load_pem_x509_certificate((PEM_CERTIFICATE + part).encode("ascii"))
        for part in (text or "").split(PEM_CERTIFICATE)[1:]
    ]


def for_package(signature) -> bytes:
    """What the package carries of the accepted ``signature`` (an ``OutgoingSignature``): the
    signature as the signer returned it, extended with its signature time-stamp and the
    validation data kept when it was accepted (``SignatureValidation``), if any were. A
    signature that cannot be extended goes as it is (logged)."""
    from biys.evrak import revocation
    from biys.evrak.models import SignatureValidation

    original = bytes(signature.signature)
    validation = SignatureValidation.objects.filter(signature=signature).first()
    if validation is None:
        return original
    try:
        token = token_of(bytes(validation.timestamp_token)) if validation.timestamp_token else None
    except _ERRORS as error:
        logger.warning("signature %s: its time-stamp is not embedded: %s", signature.pk, error)
        token = None
    try:
        return extend(
            original,
            timestamp_token=token,
            certificates=_certificates_pem(validation.chain),
            crls=revocation.load_crls_pem(validation.crls),
            ocsp_responses=[
                base64.b64decode(line) for line in validation.ocsp_responses.split() if line
            ],
        )
    except ValueError as error:
        logger.warning("signature %s goes into its package as it is: %s", signature.pk, error)
        return original


# ------------------------------------------------------------------ reading


def carried_ocsp(signature: bytes) -> list[bytes]:
    """The OCSP responses (DER) a CMS SignedData carries in its ``crls`` field (RFC 5940);
    none if it cannot be read."""
    try:
        _info, signed = _signed_data(signature)
        return [
            bytes(choice["other"]["otherRevInfo"])
            for choice in signed["crls"]
            if choice.getName() == "other"
            and str(choice["other"]["otherRevInfoFormat"]) == OID_OCSP_RESPONSE
        ]
    except _ERRORS:
        return []


@dataclass
class SignatureTimestamp:
    time: datetime
    verified: bool  # the authority's signature checked against BIYS_TSA_CA_FILE
    authority: str = ""  # the time-stamping authority's certificate subject, when verified
    problem: str = ""  # why it does not verify against BIYS_TSA_CA_FILE, when it does not

    def as_dict(self) -> dict:
        return {
            "time": self.time.isoformat(),
            "verified": self.verified,
            "authority": self.authority,
            "problem": self.problem,
        }


def _tst_info(token: bytes):
    info, rest = decoder.decode(bytes(token), asn1Spec=rfc5652.ContentInfo())
    if rest or str(info["contentType"]) != cades.OID_SIGNED_DATA:
        raise ValueError("not a CMS SignedData")
    signed, _rest = decoder.decode(info["content"], asn1Spec=rfc5652.SignedData())
    content = signed["encapContentInfo"]
    if str(content["eContentType"]) != OID_TST_INFO or not content["eContent"].isValue:
        raise ValueError("not a time-stamp token")
    tst_info, _rest = decoder.decode(bytes(content["eContent"]), asn1Spec=rfc3161.TSTInfo())
    return tst_info


def _as_response(token: bytes) -> bytes:
    """A TimeStampResp (status granted) around ``token``, as the authority's answer was."""
    answer = rfc3161.TimeStampResp()
    answer["status"]["status"] = 0
    value, _rest = decoder.decode(bytes(token), asn1Spec=rfc3161.TimeStampToken())
    answer["timeStampToken"] = value
    return encoder.encode(answer)


def _refused(reason: str) -> cades.SignatureRefused:
    return cades.SignatureRefused(
        _("The signature time-stamp is refused: %(reason)s") % {"reason": reason}
    )


def _authority(response) -> str:
    """The subject of the certificate that signed the time-stamp token, if it carries it."""
    try:
        serials = {info.serial_number for info in response.signed_data.signer_infos}
        for der in response.signed_data.certificates:
            certificate = x509.load_der_x509_certificate(bytes(der))
            if certificate.serial_number in serials:
                return certificate.subject.rfc4514_string()
    except (ValueError, TypeError, AttributeError):
        pass
    return ""


def check_timestamps(signature: bytes) -> list[SignatureTimestamp]:
    """The signature time-stamps (id-aa-signatureTimeStampToken) the CMS ``signature``
    carries, checked: each token must read and its message imprint must be the digest of the
    signature value (``cades.SignatureRefused`` with the reason otherwise). Whether it verifies
    against the time-stamping authority's certificates (``BIYS_TSA_CA_FILE``, when set) is
    reported, not required: another institution's package may be time-stamped by another
    authority, and BİYS relies on no time-stamp's time to accept it."""
    from biys.core import tsa

    try:
        _info, signed = _signed_data(signature)
        signer = signed["signerInfos"][0]
        value = bytes(signer["signature"])
        tokens = [
            encoder.encode(item)
            for attribute in signer["unsignedAttrs"]
            if str(attribute["attrType"]) == OID_SIGNATURE_TIMESTAMP
            for item in attribute["attrValues"]
        ]
    except _ERRORS:
        return []  # the signature's own check says what is wrong with it
    found = []
    ca_file = getattr(settings, "BIYS_TSA_CA_FILE", "")
    for token in tokens:
        try:
            tst_info = _tst_info(token)
            imprint = tst_info["messageImprint"]
            algorithm = str(imprint["hashAlgorithm"]["algorithm"])
            hashed = bytes(imprint["hashedMessage"])
            moment = tst_info["genTime"].asDateTime
        except _ERRORS as error:
            raise _refused(_("the token cannot be read.")) from error
        name = IMPRINT_HASHES.get(algorithm)
        if name is None:
            raise _refused(_("its digest algorithm %(oid)s is not supported.") % {"oid": algorithm})
        if hashlib.new(name, value).digest() != hashed:
            raise _refused(
                _(
                    "its message imprint is not the digest of this signature's value: it"
                    " time-stamps something else."
                )
            )
        moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        if not ca_file:
            found.append(SignatureTimestamp(moment, False))
            continue
        try:
            response = tsa.verify_token(_as_response(token), value)
        except (tsa.TimestampError, *_ERRORS) as error:
            # Another authority than this installation's (or a broken token): its time is not
            # relied upon, which nothing does; the imprint binds it to this signature.
            found.append(SignatureTimestamp(moment, False, problem=str(error)[:500]))
            continue
        found.append(SignatureTimestamp(moment, True, _authority(response)))
    return found
