"""Suggestions weigh the system a requester names: "EBYS'ye giremiyorum, şifremi unuttum" is an
EBYS password reset, not an e-mail account, in every preset's catalogue."""

import pytest

from biys.org.presets import load_preset, preset_paths
from biys.servicedesk.catalog_loader import load_catalog
from biys.servicedesk.models import CatalogItem
from biys.servicedesk.selectors import suggest_catalog_items

SLUGS = sorted(preset_paths())
# (words of a requester, the item that must come first); kocaeli-bb names no e-Belediye and
# keeps its one account item for domain logins.
PHRASES = [
    ("EBYS'ye giremiyorum, şifremi unuttum", "EBYS şifre sıfırlama / hesap kilidi"),
    ("e-Belediye hesabım kilitlendi", "e-Belediye şifre sıfırlama / hesap kilidi"),
    ("CBS’ye giriş yapamıyorum, şifremi unuttum", "CBS şifre sıfırlama / hesap kilidi"),
    (
        "Bilgisayarda oturum açamıyorum, domain şifremi unuttum",
        "Bilgisayar oturumu (domain) şifre sıfırlama / hesap kilidi",
    ),
]


@pytest.mark.parametrize("slug", SLUGS)
def test_a_named_system_leads_to_its_password_service(db, slug):
    load_preset(slug)
    load_catalog(slug)
    names = set(CatalogItem.objects.values_list("name", flat=True))
    checked = 0
    for phrase, expected in PHRASES:
        if expected not in names:
            continue
        suggested = [item.name for item in suggest_catalog_items(phrase, limit=6)]
        assert suggested[0] == expected, (phrase, suggested)
        assert not any("e-posta" in name.lower() for name in suggested), (phrase, suggested)
        checked += 1
    assert checked >= 3


def test_words_without_a_system_still_find_the_generic_items(db, org_tree):
    mail = CatalogItem.objects.create(
        name="E-posta hesabı talebi",
        kind="request",
        unit=org_tree["helpdesk"],
        keywords="e-posta, mail, şifre unuttum, parola sıfırla",
    )
    ebys = CatalogItem.objects.create(
        name="EBYS şifre sıfırlama / hesap kilidi",
        kind="access",
        unit=org_tree["software"],
        keywords="ebys şifre, şifremi unuttum, hesabım kilitlendi",
    )
    assert set(suggest_catalog_items("şifremi unuttum")) == {mail, ebys}
    assert suggest_catalog_items("e-postama giremiyorum şifremi unuttum")[0] == mail
    assert suggest_catalog_items("EBYS'ye giremiyorum, şifremi unuttum") == [ebys]
