"""How a software title is recognised: the normalised publisher and name an agent's report and a
person's entry are matched by, Turkish letters folded the Turkish way (``İ`` -> ``i``,
``I`` -> ``ı`` -> ``i``).

Agents report the same product in many spellings: "Microsoft Corporation" and "Microsoft",
"Mozilla Firefox (x64 tr)" and "Mozilla Firefox", "7-Zip 23.01 (x64)" and "7-Zip". The key keeps
what names the product and drops what names the build: a company's legal form, an architecture
or language tag in brackets, a trailing version number, trademark signs and punctuation.
"""

import re

from biys.core.text import fold

# Legal forms of a publisher's name, folded (Turkish and foreign).
LEGAL_FORMS = {
    "a.s", "as", "anonim", "sirketi", "ltd", "limited", "sti", "ltd.sti", "inc", "incorporated",
    "corp", "corporation", "co", "company", "gmbh", "ag", "llc", "plc", "bv", "b.v", "sa", "s.a",
    "srl", "oy", "ab", "kg", "tic", "san", "ve",
}  # fmt: skip
_BRACKETS = re.compile(r"[(\[][^)\]]*[)\]]")
_MARKS = re.compile(r"[®™©]|\((?:r|tm|c)\)", re.IGNORECASE)
_VERSION = re.compile(r"\b(?:v(?:er(?:sion)?)?\.?\s*)?\d+(?:[.\-_]\d+)+[a-z0-9.\-]*\b")
_ARCH = re.compile(r"\b(?:x64|x86|x86_64|amd64|arm64|64-bit|32-bit|64 bit|32 bit)\b")
_PUNCT = re.compile(r"[^\w\s+#.-]")
_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    text = _MARKS.sub(" ", text or "")
    text = fold(text)
    text = _BRACKETS.sub(" ", text)
    text = _ARCH.sub(" ", text)
    text = _VERSION.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip(" .-")


def normalise_publisher(publisher: str) -> str:
    words = [word.strip(".,") for word in _clean(publisher).replace(",", " ").split()]
    kept = [word for word in words if word and word not in LEGAL_FORMS]
    return " ".join(kept or words)


def normalise_name(name: str) -> str:
    return _clean(name)


def match_key(publisher: str, name: str) -> str:
    """``"microsoft|office professional plus"``: the same for every spelling of one product."""
    return f"{normalise_publisher(publisher)}|{normalise_name(name)}"[:400]
