from biys.core.text import fold, search_terms, sort_key, turkish_lower, turkish_upper


def test_turkish_case_rules():
    assert turkish_lower("IŞIK İZMİR") == "ışık izmir"
    assert turkish_upper("ışık izmir") == "IŞIK İZMİR"


def test_fold_matches_every_spelling_of_the_same_word():
    spellings = ["PARMAK İZİ", "parmak izi", "Parmak İzi", "PARMAK IZI"]
    assert {fold(s) for s in spellings} == {"parmak izi"}
    assert fold("Işık  ve   Şebeke") == "isik ve sebeke"
    assert search_terms("  EBYS   Yetki ") == ["ebys", "yetki"]


def test_sort_key_orders_by_the_turkish_alphabet():
    names = [
        "Zeynep",
        "Çiğdem",
        "Ceren",
        "İsmail",
        "Işıl",
        "Ömer",
        "Osman",
        "Şule",
        "Sinan",
        "Ümit",
    ]
    expected = [
        "Ceren",
        "Çiğdem",
        "Işıl",
        "İsmail",
        "Osman",
        "Ömer",
        "Sinan",
        "Şule",
        "Ümit",
        "Zeynep",
    ]
    assert sorted(names, key=sort_key) == expected
    assert sort_key("Ali") < sort_key("Ali Can") < sort_key("Alim")


def test_capfirst_follows_the_languages_case_rules():
    from biys.core.text import capfirst

    assert capfirst("ilk yanıt", "tr") == "İlk yanıt"
    assert capfirst("ırmak", "tr") == "Irmak"
    assert capfirst("item", "en") == "Item"
    assert capfirst("", "tr") == ""


def test_history_values_survive_odd_stored_data():
    from django.db import models

    from biys.core.history import display_value

    field = models.DateTimeField()
    assert display_value(field, "2026-13-45T99:00:00Z") == "2026-13-45T99:00:00Z"
    assert display_value(models.DateField(), "[gizli]") == "[gizli]"


def test_history_shows_erased_ids_as_erased():
    from biys.core.history import describe_changes
    from biys.core.models import ObjectChange
    from biys.core.redaction import HIDDEN
    from biys.servicedesk.models import Ticket

    record = ObjectChange(
        pk=1, action="create", postchange_data={"responsible_unit_id": HIDDEN, "title": HIDDEN}
    )
    [entry] = describe_changes([record], Ticket)
    assert {row["after"] for row in entry["changes"]} == {str(HIDDEN)}
