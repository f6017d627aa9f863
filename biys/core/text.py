"""Turkish-aware text helpers: case folding for search and a collation key for sorting.

Databases disagree on Turkish: SQLite folds only ASCII, PostgreSQL's result depends on the server
locale. Both helpers produce plain ASCII so that ``contains`` and ``ORDER BY`` behave the same on
every database.
"""

import re
import unicodedata

from django.utils.functional import keep_lazy_text
from django.utils.translation import get_language

_TURKISH_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_ASCII_FOLD = str.maketrans(
    {"ı": "i", "ş": "s", "ğ": "g", "ü": "u", "ö": "o", "ç": "c", "â": "a", "î": "i", "û": "u"}
)
_ALPHABET = "abcçdefgğhıijklmnoöpqrsştuüvwxyz"
_RANK = {letter: f"{10 + index:02d}" for index, letter in enumerate(_ALPHABET)}
_RANK.update({str(digit): f"0{digit}" for digit in range(10)})
_SPACES = re.compile(r"\s+")


def turkish_lower(text: str) -> str:
    return (text or "").translate(_TURKISH_LOWER).lower()


def turkish_upper(text: str) -> str:
    return (text or "").replace("i", "İ").replace("ı", "I").upper()


def uses_turkish_case(language: str | None = None) -> bool:
    """Turkish and Azerbaijani write dotted and dotless i as two letters (i/İ, ı/I)."""
    language = (language or get_language() or "").lower()
    return language.split("-")[0] in ("tr", "az")


@keep_lazy_text
def capfirst(text, language: str | None = None) -> str:
    """Django's ``capfirst`` with the active language's case rules: 'ilk yanıt' -> 'İlk yanıt'
    in Turkish, 'item' -> 'Item' in English."""
    text = str(text) if text is not None else ""
    if not text:
        return text
    first = turkish_upper(text[0]) if uses_turkish_case(language) else text[0].upper()
    return first + text[1:]


def fold(text: str) -> str:
    """Lower-case by Turkish rules, drop diacritics, squeeze spaces: 'İŞIK  Işık' -> 'isik isik'."""
    lowered = turkish_lower(text).translate(_ASCII_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", stripped).strip()


def sort_key(text: str, length: int = 60) -> str:
    """A string whose plain ordering is Turkish alphabetical order (ç after c, ı before i)."""
    lowered = turkish_lower(text)[:length]
    return "".join(_RANK.get(char, "00" if char.isspace() else "99") for char in lowered)


_TRANSLITERATION = str.maketrans(
    {
        "ı": "i",
        "İ": "I",
        "ş": "s",
        "Ş": "S",
        "ğ": "g",
        "Ğ": "G",
        "ü": "u",
        "Ü": "U",
        "ö": "o",
        "Ö": "O",
        "ç": "c",
        "Ç": "C",
        "â": "a",
        "Â": "A",
        "î": "i",
        "û": "u",
    }
)


def transliterate(text: str) -> str:
    """Turkish letters as their ASCII base, keeping case: 'Kayıtları Şubat' -> 'Kayitlari Subat'
    (unlike ``slugify``, which drops 'ı')."""
    return (text or "").translate(_TRANSLITERATION)


def search_terms(query: str) -> list[str]:
    return [term for term in fold(query).split(" ") if term]
