"""The test signer: a throw-away certificate authority and signer keys made with
``cryptography``, and a detached CAdES (CMS SignedData, DER) signature over some bytes, as a
signing agent on the signer's machine would make it with the e-imza card."""

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID


def _name(common_name: str, **extra) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TR"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if extra.get("serial_number"):
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, extra["serial_number"]))
    return x509.Name(attributes)


def new_key(kind: str = "ec"):
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


class ThrowawayAuthority:
    """A certificate authority for one test: a self-signed root, or an intermediate under
    ``parent``."""

    def __init__(self, name="Test Kök Elektronik Sertifika Hizmet Sağlayıcısı", parent=None,
                 days=3650):  # fmt: skip
        self.key = new_key()
        now = datetime.now(UTC)
        subject = _name(name)
        issuer_name = parent.certificate.subject if parent else subject
        signing_key = parent.key if parent else self.key
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(signing_key, hashes.SHA256())
        )

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    def crl(self, *, revoked=(), this_update=None, next_update=None, key=None, number=1,
            encoding="pem") -> bytes:  # fmt: skip
        """A certificate revocation list of this authority (PEM, or DER), signed with its key
        (or ``key``): ``revoked`` lists certificates, or ``(certificate, when, reason)``."""
        now = datetime.now(UTC)
        this_update = this_update or now - timedelta(hours=1)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.certificate.subject)
            .last_update(this_update)
            .next_update(next_update or this_update + timedelta(days=7))
            .add_extension(x509.CRLNumber(number), critical=False)
        )
        for item in revoked:
            certificate, when, reason = item if isinstance(item, tuple) else (item, None, None)
            entry = (
                x509.RevokedCertificateBuilder()
                .serial_number(certificate.serial_number)
                .revocation_date(when or now - timedelta(minutes=30))
            )
            if reason is not None:
                entry = entry.add_extension(x509.CRLReason(reason), critical=False)
            builder = builder.add_revoked_certificate(entry.build())
        crl = builder.sign(key or self.key, hashes.SHA256())
        return crl.public_bytes(
            serialization.Encoding.PEM if encoding == "pem" else serialization.Encoding.DER
        )

    def ocsp_answer(self, request: bytes, known: dict, *, signer=None) -> bytes:
        """This authority's OCSP response (DER) to ``request`` (DER): ``known`` maps a serial
        number to ``(certificate, revoked_at or None)``; signed with its key, or named and
        signed by ``signer`` (another authority: an impostor of the same name)."""
        from cryptography.x509 import ocsp

        asked = ocsp.load_der_ocsp_request(request)
        if asked.serial_number not in known:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED
            ).public_bytes(serialization.Encoding.DER)
        certificate, revoked_at = known[asked.serial_number]
        now = datetime.now(UTC)
        status = ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD
        return (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=certificate,
                issuer=self.certificate,
                algorithm=hashes.SHA1(),
                cert_status=status,
                this_update=now - timedelta(minutes=1),
                next_update=now + timedelta(hours=4),
                revocation_time=revoked_at,
                revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.NAME, (signer or self).certificate)
            .sign((signer or self).key, hashes.SHA256())
            .public_bytes(serialization.Encoding.DER)
        )

    def issue(self, *, name="Test İmzacı", tc_kimlik_no="", email="", not_before=None,
              not_after=None, key_kind="ec", crl_url="", ocsp_url=""):  # fmt: skip
        """A signer's certificate and key (qualified-like: non-repudiation); ``crl_url``: its
        CRL distribution point; ``ocsp_url``: its OCSP responder."""
        key = new_key(key_kind)
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(name, serial_number=tc_kimlik_no))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - timedelta(days=1))
            .not_valid_after(not_after or now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
        )
        if crl_url:
            builder = builder.add_extension(
                x509.CRLDistributionPoints(
                    [
                        x509.DistributionPoint(
                            full_name=[x509.UniformResourceIdentifier(crl_url)],
                            relative_name=None,
                            reasons=None,
                            crl_issuer=None,
                        )
                    ]
                ),
                critical=False,
            )
        if ocsp_url:
            builder = builder.add_extension(
                x509.AuthorityInformationAccess(
                    [
                        x509.AccessDescription(
                            x509.oid.AuthorityInformationAccessOID.OCSP,
                            x509.UniformResourceIdentifier(ocsp_url),
                        )
                    ]
                ),
                critical=False,
            )
        if email:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
            )
        return builder.sign(self.key, hashes.SHA256()), key


def sign_detached(content: bytes, certificate, key, *, extra_certificates=()) -> bytes:
    """A detached CMS SignedData (DER) over ``content`` with SHA-256, its signed attributes
    (content type, signing time, message digest) included."""
    builder = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(certificate, key, hashes.SHA256())
    )
    for extra in extra_certificates:
        builder = builder.add_certificate(extra)
    return builder.sign(
        serialization.Encoding.DER,
        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
    )


def with_crls(signature: bytes, crls: list[bytes]) -> bytes:
    """The CMS ``signature`` with ``crls`` (DER or PEM) added to its ``crls`` field, as a
    CAdES-X Long signer carries the revocation data inside the signature."""
    from pyasn1.codec.der import decoder, encoder
    from pyasn1.type import univ
    from pyasn1_modules import rfc5280, rfc5652

    info, _rest = decoder.decode(signature, asn1Spec=rfc5652.ContentInfo())
    signed, _rest = decoder.decode(info["content"], asn1Spec=rfc5652.SignedData())
    choices = signed.setComponentByName("crls").getComponentByName("crls")
    for data in crls:
        if data.startswith(b"-----"):
            data = x509.load_pem_x509_crl(data).public_bytes(serialization.Encoding.DER)
        crl, _rest = decoder.decode(data, asn1Spec=rfc5280.CertificateList())
        choice = rfc5652.RevocationInfoChoice()
        choice.setComponentByName("crl", crl)
        choices.append(choice)
    info["content"] = univ.Any(encoder.encode(signed))
    return encoder.encode(info)


def with_revocation_values(signature: bytes, crls: list[bytes]) -> bytes:
    """The CMS ``signature`` with ``crls`` in its signer's unsigned attribute
    ``id-aa-ets-revocationValues`` (RFC 5126, ``crlVals``), as CAdES-X Long keeps them."""
    from pyasn1.codec.der import decoder, encoder
    from pyasn1.type import univ
    from pyasn1_modules import rfc5126, rfc5280, rfc5652

    info, _rest = decoder.decode(signature, asn1Spec=rfc5652.ContentInfo())
    signed, _rest = decoder.decode(info["content"], asn1Spec=rfc5652.SignedData())
    values = rfc5126.RevocationValues()
    lists = values.setComponentByName("crlVals").getComponentByName("crlVals")
    for data in crls:
        if data.startswith(b"-----"):
            data = x509.load_pem_x509_crl(data).public_bytes(serialization.Encoding.DER)
        crl, _rest = decoder.decode(data, asn1Spec=rfc5280.CertificateList())
        lists.append(crl)
    attribute = rfc5652.Attribute()
    attribute["attrType"] = rfc5126.id_aa_ets_revocationValues
    attribute["attrValues"].append(univ.Any(encoder.encode(values)))
    signer = signed["signerInfos"][0]
    unsigned = signer.setComponentByName("unsignedAttrs").getComponentByName("unsignedAttrs")
    unsigned.append(attribute)
    info["content"] = univ.Any(encoder.encode(signed))
    return encoder.encode(info)
