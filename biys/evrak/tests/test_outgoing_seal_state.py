"""The state of the institutional e-seal on an outgoing document's page and in the API's
detail: while the installation seals its packages, a signed document's package is "awaiting
the e-seal" until the sealing agent's seal is accepted, then "sealed" with the seal
certificate's subject and time; nothing is said when there is nothing to seal."""

import pytest
from django.utils import translation

from biys.evrak import outgoing_services as svc
from biys.evrak import sealing
from biys.evrak.models import SdpCode
from biys.evrak.tests.signer import sign_detached
from biys.evrak.tests.test_eyp_seal import (  # noqa: F401 (fixtures)
    INSTITUTION,
    admin,
    api,
    authority,
    configured,
    people,
    seal_key,
    sealer,
    signed_document,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BIYS_EVRAK_REQUIRE_REVOCATION = True


def _page(client, user, document) -> str:
    client.force_login(user)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _api_seal(user, document):
    response = api(user).get(f"/api/v1/evrak/outgoing/{document.pk}/")
    assert response.status_code == 200, response.content
    return response.json()["seal"]


def test_awaiting_then_sealed_on_the_page_and_in_the_api(
    people,  # noqa: F811
    sealer,  # noqa: F811
    configured,  # noqa: F811
    seal_key,  # noqa: F811
    authority,  # noqa: F811
    client,
):
    writer = people["writer"]
    document = signed_document(people, cades_signed=authority)
    with translation.override("tr"):
        page = _page(client, writer, document)
    assert 'data-seal-state="awaiting"' in page
    assert "e-mühür bekleniyor" in page
    assert _api_seal(writer, document) == {
        "state": "awaiting",
        "subject": "",
        "sealed_at": None,
        "fingerprint": "",
    }
    # The sealing agent seals it.
    request = sealing.seal_request(user=sealer, document_id=document.pk)
    certificate, _key = seal_key
    seal = sign_detached(bytes(sealing.eyp_writer.nihai_ozet(bytes(request.package))), *seal_key)
    sealing.seal_with_cades(user=sealer, document_id=document.pk, seal=seal)
    document.refresh_from_db()
    with translation.override("tr"):
        page = _page(client, writer, document)
    assert 'data-seal-state="sealed"' in page and "e-mühür bekleniyor" not in page
    assert "mühürlendi" in page and f"CN={INSTITUTION},C=TR" in page
    state = _api_seal(writer, document)
    assert state["state"] == "sealed" and state["subject"] == f"CN={INSTITUTION},C=TR"
    assert state["sealed_at"] and state["fingerprint"] == sealing.cades.fingerprint(certificate)


def test_nothing_to_say_when_nothing_is_sealed(people, settings, client):  # noqa: F811
    writer = people["writer"]
    settings.BIYS_EYP_SEAL_CERTIFICATES = ""
    document = signed_document(people)  # signed as an approval, the installation not sealing
    assert 'id="seal-state"' not in _page(client, writer, document)
    assert _api_seal(writer, document) is None
    # Sealing configured: a draft, or a signed document with no public-institution recipient,
    # awaits nothing.
    settings.BIYS_EYP_SEAL_CERTIFICATES = "CN=Kurum,C=TR"
    draft = svc.save_outgoing_draft(
        user=writer,
        unit=writer.person.unit,
        subject="Taslak",
        body="Metin.",
        sdp_code=SdpCode.objects.get_or_create(code="010.03", defaults={"title": "Bilgi"})[0],
        signer=people["head"],
        distribution=[
            {
                "kind": "GRG",
                "name": "Örnek Yazılım A.Ş.",
                "vkn": "1234567890",
                "recipient_kind": "company",
            }
        ],
    )
    assert sealing.seal_state(draft) is None
    svc.submit_for_approval(user=writer, document=draft, path=[])
    unsealable = svc.sign(user=people["head"], document=draft)
    assert unsealable.state == "signed" and sealing.seal_state(unsealable) is None
    assert 'id="seal-state"' not in _page(client, writer, unsealable)
    assert sealing.seal_state(document)["state"] == "awaiting"
