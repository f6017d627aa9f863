"""Draft a regulation's structure from its plain text: articles, paragraphs, items and units.

Pure Python, no database. ``parse_regulation(text)`` returns a ``RegulationDraft`` that an
administrator reviews before ``services_import.confirm_draft`` saves it.

Texts copied out of Word or PDF files are untidy, and the parser is written against what real
municipal regulations contain: ``MADDE 3-(1)``, ``MADDE 15-``, ``Madde 15-``, ``MADDE 5 –``;
headings on the line before the MADDE line (or, now and then, just after it); BÖLÜM lines;
paragraphs ``(1)`` (even ``(I)`` or ``2)``); items ``a)``, ``- a)``, ``a-``, ``a.`` in Turkish
order (a, b, c, ç, ..., z, then aa, bb, cc, çç, ...); sub-items ``1)``; page furniture repeated
inside articles (decision stamps, page numbers); and lines broken mid-sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from itertools import pairwise

from django.utils.translation import gettext, gettext_noop

from biys.core.text import fold, turkish_lower

SINGLE_LABELS = [
    "a",
    "b",
    "c",
    "ç",
    "d",
    "e",
    "f",
    "g",
    "ğ",
    "h",
    "ı",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ö",
    "p",
    "r",
    "s",
    "ş",
    "t",
    "u",
    "ü",
    "v",
    "y",
    "z",
]
ITEM_LABELS = SINGLE_LABELS + [letter * 2 for letter in SINGLE_LABELS]
LABEL_INDEX = {label: index for index, label in enumerate(ITEM_LABELS)}

KIND_DAIRE = "daire_baskanligi"
KIND_MUDURLUK = "mudurluk"
KIND_SUBE = "sube_mudurlugu"
KIND_SEFLIK = "seflik"
KIND_BIRIM = "birim"

_LOWER = "a-zçğıöşüâîû"
_UPPER = "A-ZÇĞİÖŞÜÂÎÛ"
_BULLET = r"(?:[-–•]\s*)?"

_MADDE = re.compile(
    r"^(?P<temporary>(?:GEÇİCİ|Geçici)\s+)?(?:MADDE|Madde)\s*(?P<number>\d+)\s*"
    r"(?:[-–—:.]+|$)\s*(?P<rest>.*)$"
)
_PARAGRAPH = re.compile(_BULLET + r"\(\s*(?P<number>\d{1,2}|[IVX]{1,4})\s*\)\s*(?P<rest>.*)$")
_NUMBERED = re.compile(_BULLET + r"(?P<number>\d{1,2})(?:\)|[.-](?=\s)(?!\s*\d))\s*(?P<rest>.*)$")
_NESTED = re.compile(rf"(?P<parent>[{_LOWER}]{{1,2}})\.(?P<number>\d{{1,2}})\)\s*(?P<rest>.*)$")
_ITEM = re.compile(
    _BULLET + rf"(?P<label>([{_LOWER}])\2?)(?:\)|-(?=\s)|\.(?=\s+[{_UPPER}0-9]))\s*(?P<rest>.*)$"
)
_PLAIN_BULLET = re.compile(r"(?:[-–]\s+|•\s*)(?P<rest>.+)$")
_PART = re.compile(r"^[a-z]+\s+(?:bolum|kisim)$")
_DEFINITION = "\u2063"  # marks a tab-aligned definition line: 'Meclis<TAB>: Belediye Meclisini,'
_TAB_DEFINITION = re.compile(r"^\s*(?P<term>[^\t:]{1,60}?)\s*\t+\s*:\s*(?P<rest>.*)$")
_INLINE_MADDE = re.compile(
    r"^(?P<heading>[^\W\d_][^:;.]{1,100}?)\s+(?P<madde>(?:GEÇİCİ\s+|Geçici\s+)?(?:MADDE|Madde)"
    r"\s*\d+\s*[-–—:].*)$"
)
_AMENDMENT = re.compile(
    r"\((?P<kind>Değişik|Ek|Mülga|DEĞİŞİK|EK|MÜLGA)\b[^()]*(?:\([^()]*\)[^()]*)*\)"
)
_LEADING_AMENDMENT = re.compile(
    r"^(?P<note>\((?:Değişik|Ek|Mülga|DEĞİŞİK|EK|MÜLGA)\b[^()]*\))\s*(?P<label>"
    r"(?:\(\s*(?:\d{1,2}|[IVX]{1,4})\s*\)|\d{1,2}[).-]|[a-zçğıöşü]{1,2}[).-]))\s*(?P<rest>.*)$"
)
_HYPHENATED = re.compile(rf"[{_LOWER}]-$")
_PAGE_NUMBER = re.compile(
    r"^(?:-\s*)?\d{1,3}(?:\s*-)?$|^(?:sayfa|page)\s*\d+(?:\s*/\s*\d+)?$|^\d{1,3}\s*/\s*\d{1,3}$"
)
_ANNEX_STAMP = re.compile(r"\bmeclis.*\bkarar\w*\s+ek\w*\.?$")
_SIGNATURE = re.compile(rf"^[{_UPPER}][{_LOWER}]+(?: [{_UPPER}][{_LOWER}]+)* [{_UPPER}]{{2,}}$")
_DATE_PLACEHOLDER = re.compile(r"^[.\d]{1,3}/[.\d]{1,3}/\d{4}$")
_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|\*\*")
_SPACES = re.compile(r"\s+")

_MONTHS = [
    "ocak",
    "subat",
    "mart",
    "nisan",
    "mayis",
    "haziran",
    "temmuz",
    "agustos",
    "eylul",
    "ekim",
    "kasim",
    "aralik",
]
_DECISION = re.compile(
    r"(?P<day>\d{1,2})[./ ](?P<month>\d{1,2}|[^\W\d_]+)[./ ](?P<year>\d{4})\s+tarih\w*\s+ve\s+"
    r"(?P<number>\S+)\s+sayılı",
    re.IGNORECASE,
)


# --- the draft --------------------------------------------------------------------------------


@dataclass
class ItemDraft:
    label: str
    text: str = ""
    subitems: list[ItemDraft] = field(default_factory=list)
    repealed: bool = False  # '(Mülga: ...)': kept in the text, never a duty


@dataclass
class ParagraphDraft:
    number: int | None
    text: str = ""
    items: list[ItemDraft] = field(default_factory=list)
    unit: str | None = None  # set only when it differs from the article's unit
    repealed: bool = False


@dataclass
class ArticleDraft:
    number: int
    heading: str = ""
    part: str = ""
    text: str = ""
    paragraphs: list[ParagraphDraft] = field(default_factory=list)
    unit: str | None = None
    temporary: bool = False
    repealed: bool = False
    position: str | None = None  # the role a role-only heading names: 'Kalite Temsilcisi'
    duty: bool | None = None  # False: holds no duty (definitions, the organisation's units)


@dataclass
class UnitDraft:
    name: str
    kind: str
    parent: str | None = None


@dataclass
class PositionDraft:
    name: str
    unit: str | None = None


@dataclass
class RegulationDraft:
    title: str
    articles: list[ArticleDraft] = field(default_factory=list)
    units: list[UnitDraft] = field(default_factory=list)
    positions: list[PositionDraft] = field(default_factory=list)
    council_decision_no: str = ""
    council_decision_date: str | None = None
    # Notes as {"msgid": ..., "params": {...}}, translated when shown (see note_text).
    warnings: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _note(msgid: str, **params) -> dict:
    return {"msgid": msgid, "params": params}


def note_text(note: dict | str) -> str:
    """A parser note in the active language; drafts stored before notes had ids hold text."""
    if isinstance(note, str):
        return note
    return gettext(note["msgid"]) % note.get("params", {})


def parse_regulation(text: str) -> RegulationDraft:
    """Draft the articles, units and items of a regulation from its plain text."""
    raw_lines = _split_inline_headings([_clean_line(line) for line in text.splitlines()])
    furniture = _page_furniture(raw_lines)
    notes: list[dict] = _furniture_notes(raw_lines, furniture)
    lines, signature = _drop_signature(
        [line for line in raw_lines if line and line not in furniture]
    )
    notes += [
        _note(
            gettext_noop("Left out after the last article (signature block): «%(line)s»"),
            line=line,
        )
        for line in signature
    ]
    starts = [index for index, line in enumerate(lines) if _MADDE.match(line)]
    if not starts:
        return RegulationDraft(
            title=_title(lines, len(lines), []),
            warnings=[_note(gettext_noop("No MADDE line found."))],
        )
    draft = RegulationDraft(title="")
    blocks = _article_blocks(lines, starts)
    draft.title = _title(lines, blocks[0].preamble_start, notes)
    draft.articles = [_build_article(block, notes) for block in blocks]
    _add_decision(draft, lines[: blocks[0].preamble_start] + sorted(furniture))
    drafter = _UnitDrafter(draft)
    draft.units = drafter.run()
    draft.positions = drafter.positions
    draft.warnings = _warnings(draft.articles) + notes
    return draft


# --- lines ------------------------------------------------------------------------------------


def squeeze(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _clean_line(line: str) -> str:
    line = _ARTEFACTS.sub("", line.replace("\u00a0", " "))
    definition = _TAB_DEFINITION.match(line)
    if definition and definition["rest"].strip():
        line = f"{_DEFINITION}{definition['term'].strip()}: {definition['rest']}"
    return squeeze(line)


def _split_inline_headings(lines: list[str]) -> list[str]:
    """'Evrakların Arşivlenmesi MADDE 20 – (1) ...' -> the heading, then the MADDE line."""
    result = []
    for line in lines:
        match = None if _MADDE.match(line) else _INLINE_MADDE.match(line)
        if match and _looks_like_heading(match["heading"]) and len(match["heading"].split()) <= 12:
            result += [match["heading"], match["madde"]]
        else:
            result.append(line)
    return result


def _furniture_notes(lines: list[str], furniture: set[str]) -> list[dict]:
    counts = Counter(line for line in lines if line in furniture)
    return [
        _note(
            gettext_noop("Left out as a page header or footer (%(count)s times): «%(line)s»"),
            count=count,
            line=line,
        )
        for line, count in counts.items()
    ]


def _kind(line: str) -> str:
    """What a line starts with: madde, paragraph, numbered, item, bullet, part or text."""
    if _MADDE.match(line):
        return "madde"
    if line.startswith(_DEFINITION):
        return "definition"
    if _PARAGRAPH.match(line):
        return "paragraph"
    if _NESTED.match(line):
        return "nested"
    if _NUMBERED.match(line):
        return "numbered"
    match = _ITEM.match(line)
    if match and match["label"] in LABEL_INDEX:
        return "item"
    if _PLAIN_BULLET.match(line):
        return "bullet"
    if _PART.match(fold(line)):
        return "part"
    return "text"


def _page_furniture(lines: list[str]) -> set[str]:
    """Page headers and footers: page numbers, decision stamps, and text lines repeated often."""
    plain = [line for line in lines if len(line) >= 15 and _kind(line) == "text"]
    repeated = [line for line, count in Counter(plain).items() if count >= 3]
    return {
        line
        for line in set(lines)
        if line
        and (
            _PAGE_NUMBER.match(fold(line))
            or (len(line) < 150 and _ANNEX_STAMP.search(fold(line)))
            or (_kind(line) == "text" and any(_similar(line, other) for other in repeated))
        )
    }


def _similar(first: str, second: str, threshold: float = 0.9) -> bool:
    return first == second or SequenceMatcher(None, fold(first), fold(second)).ratio() >= threshold


def _drop_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    """Cut the signature block (names, a blank date) that closes some texts after the last MADDE;
    returns the lines kept and the lines cut."""
    last_madde = max((i for i, line in enumerate(lines) if _MADDE.match(line)), default=len(lines))
    for index in range(last_madde + 1, len(lines)):
        if _SIGNATURE.match(lines[index]) or _DATE_PLACEHOLDER.match(lines[index]):
            return lines[:index], lines[index:]
    return lines, []


def _looks_like_heading(line: str) -> bool:
    return (
        _kind(line) == "text"
        and line[:1].isupper()
        and not line.endswith((",", ";", ".", ":"))
        and len(line) <= 120
    )


# --- articles ---------------------------------------------------------------------------------


@dataclass
class _Block:
    number: int
    temporary: bool
    rest: str
    preamble_start: int
    heading_lines: list[str]
    part: str
    body: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # amendment notes above the MADDE line


def _article_blocks(lines: list[str], starts: list[int]) -> list[_Block]:
    parts = _parts_by_line(lines)
    blocks = [_block(lines, start, index == 0, parts) for index, start in enumerate(starts)]
    for index, block in enumerate(blocks):
        end = blocks[index + 1].preamble_start if index + 1 < len(blocks) else len(lines)
        body = lines[starts[index] + 1 : end]
        block.body = [line for line in body if _kind(line) != "part"]
    return blocks


def _is_amendment_note(line: str) -> bool:
    return bool(_AMENDMENT.fullmatch(line))


def _parts_by_line(lines: list[str]) -> dict[int, str]:
    """The BÖLÜM in force at each line: 'İKİNCİ BÖLÜM — Görev, Yetki ve Sorumluluklar'."""
    current, result = "", {}
    for index, line in enumerate(lines):
        if _kind(line) == "part":
            following = lines[index + 1] if index + 1 < len(lines) else ""
            title = following if _looks_like_heading(following) else ""
            current = f"{line} — {title}" if title else line
        result[index] = current
    return result


def _block(lines: list[str], start: int, is_first: bool, parts: dict[int, str]) -> _Block:
    match = _MADDE.match(lines[start])
    preamble_start, heading_lines = _preamble(lines, start, is_first)
    notes = [line for line in heading_lines if _is_amendment_note(line)]
    return _Block(
        number=int(match["number"]),
        temporary=bool(match["temporary"]),
        rest=match["rest"],
        preamble_start=preamble_start,
        heading_lines=[line for line in heading_lines if line not in notes],
        part=parts.get(start, ""),
        notes=notes,
    )


def _preamble(lines: list[str], start: int, is_first: bool) -> tuple[int, list[str]]:
    """Where the lines that introduce an article begin, and its heading line(s).

    Walks back over heading-like lines to a BÖLÜM line (and its title) or to the previous
    article's text. Of two heading lines the first is a section title ('Görev Yetki ve
    Sorumluluklar') unless the second continues it in lower case.
    """
    index, collected = start - 1, []
    while index >= 0 and len(collected) < 3:
        line = lines[index]
        if _kind(line) == "part":
            # The first line after BÖLÜM is the part's title; with nothing else between it and
            # the MADDE line it is the article's heading too ('BEŞİNCİ BÖLÜM / Yönergeler').
            return index, _heading_from(collected[1:]) or collected[:1]
        if _is_amendment_note(line):
            collected.insert(0, line)  # '(Değişik: ...)' above the MADDE line: the article's
            index -= 1
            continue
        if not _looks_like_heading(line):
            break
        collected.insert(0, line)
        index -= 1
    notes = [line for line in collected if _is_amendment_note(line)]
    collected = [line for line in collected if line not in notes][-2:]
    if is_first and len(collected) > 1:
        collected = collected[-1:]  # the rest belongs to the title
    begin = start - len(collected) - len(notes)
    return begin, _heading_from(collected) + notes


def _heading_from(lines: list[str]) -> list[str]:
    if len(lines) > 1 and not lines[-1][:1].islower():
        return lines[-1:]
    return lines


def _build_article(block: _Block, notes: list[dict]) -> ArticleDraft:
    body = list(block.body)
    heading = " ".join(block.heading_lines)
    rest = block.rest
    if not rest and body and _looks_like_heading(body[0]) and _is_part_title(block):
        heading = body.pop(0)  # 'MADDE 4-' followed by its own heading
    elif _heading_on_madde_line(block, body):
        heading, rest = rest, ""  # 'MADDE 7- Görevler' followed by '(1) ...'
    prefix = "GEÇİCİ MADDE" if block.temporary else "MADDE"
    builder = _ParagraphBuilder(where=f"{prefix} {block.number}")
    for line in [" ".join([*block.notes, rest]).strip(), *body]:
        if line:
            builder.feed(line)
    paragraphs = builder.finish()
    notes.extend(builder.notes)
    article = ArticleDraft(
        number=block.number,
        heading=heading,
        part=block.part,
        paragraphs=paragraphs,
        temporary=block.temporary,
    )
    _mark_repealed(article)
    article.text = render_article_text(article)
    return article


def _heading_on_madde_line(block: _Block, body: list[str]) -> bool:
    return (
        not block.heading_lines
        and bool(block.rest)
        and _looks_like_heading(block.rest)
        and len(block.rest) <= 80
        and bool(body)
        and _kind(body[0]) in ("paragraph", "numbered", "item")
    )


def is_repealed_text(text: str) -> bool:
    """'(Mülga: 12/3/2020 tarihli ve 45 sayılı Meclis Kararı)' opens a repealed provision."""
    return fold(text).startswith("(mulga")


def _mark_repealed(article: ArticleDraft) -> None:
    for paragraph in article.paragraphs:
        paragraph.repealed = is_repealed_text(paragraph.text)
        for item in paragraph.items:
            item.repealed = paragraph.repealed or is_repealed_text(item.text)
    first = article.paragraphs[0] if article.paragraphs else None
    article.repealed = bool(first and first.repealed and len(article.paragraphs) == 1)


def _is_part_title(block: _Block) -> bool:
    return not block.heading_lines or block.part.endswith(f" — {block.heading_lines[-1]}")


def render_article_text(article: ArticleDraft | dict) -> str:
    """The article's text from its paragraphs and items (a draft, or its dict form)."""
    data = asdict(article) if isinstance(article, ArticleDraft) else article
    lines = []
    for paragraph in data.get("paragraphs", []):
        text = paragraph.get("text", "")
        intro = f"({paragraph['number']}) {text}" if paragraph.get("number") else text
        if intro.strip():
            lines.append(intro.strip())
        for item in paragraph.get("items", []):
            lines.append(_render_item(item, ""))
            lines.extend(_render_item(sub, "  ") for sub in item.get("subitems", []))
    return "\n".join(lines)


def _render_item(item: dict, indent: str) -> str:
    label, text = item.get("label"), item.get("text", "")
    return f"{indent}{label}) {text}" if label else f"{indent}- {text}"


# --- paragraphs and items ---------------------------------------------------------------------


def _append(text: str, more: str) -> str:
    if _HYPHENATED.search(text) and more[:1].islower():
        return squeeze(text[:-1] + more)  # 'yönet-' + 'mek': a word hyphenated across lines
    return squeeze(f"{text} {more}")


def _roman_or_int(value: str) -> int:
    romans = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}
    return romans.get(value) or int(value)


def _next_label(label: str) -> str | None:
    index = LABEL_INDEX.get(label)
    if index is None or index + 1 >= len(ITEM_LABELS):
        return None
    return ITEM_LABELS[index + 1]


class _ParagraphBuilder:
    """Feeds an article's lines one by one into paragraphs, items and sub-items."""

    def __init__(self, where: str = ""):
        self.where = where
        self.notes: list[dict] = []
        self.paragraphs: list[ParagraphDraft] = []
        self.item: ItemDraft | None = None
        self.subitem: ItemDraft | None = None

    def feed(self, line: str) -> None:
        amended = _LEADING_AMENDMENT.match(line)
        if amended:  # '(Değişik: ...) c) text' is item c), amended
            line = f"{amended['label']} {amended['note']} {amended['rest']}".strip()
        kind = _kind(line)
        if kind == "text" and len(line) == 1:
            self.notes.append(
                _note(
                    gettext_noop(
                        "%(where)s: a stray character «%(line)s» on a line of its own was left out."
                    ),
                    where=self.where,
                    line=line,
                )
            )
            return
        handler = getattr(self, f"_on_{kind}")
        handler(line)

    def finish(self) -> list[ParagraphDraft]:
        for paragraph in self.paragraphs:
            where = self.where + (f" ({paragraph.number})" if paragraph.number else "")
            self.notes.extend(_repair_labels(paragraph.items, where))
        return self.paragraphs

    # line kinds

    def _on_paragraph(self, line: str) -> None:
        match = _PARAGRAPH.match(line)
        number = _roman_or_int(match["number"])
        if self._is_subitem_number(number):
            self._start_subitem(str(number), match["rest"])
            return
        self._start_paragraph(number)
        if match["rest"]:
            self.feed(match["rest"])

    def _on_numbered(self, line: str) -> None:
        match = _NUMBERED.match(line)
        number, rest = int(match["number"]), match["rest"]
        item_open = self.item is not None and not self.item.subitems
        numbered_items = self.item is not None and self.item.label.isdigit()
        if numbered_items and number == int(self.item.label) + 1:
            self._start_item(str(number), rest)  # '1.', '2.', ... items
        elif number == 1 and item_open and _next_label(self.item.label) == "ı":
            self._start_item("ı", rest)  # '1)' typed for the dotless 'ı)'
        elif (
            self._paragraph_number()
            and number == self._paragraph_number() + 1
            and not numbered_items
            and (self.item is None or item_open)
        ):
            self._start_paragraph(number)  # '2)' typed for '(2)'
            if rest:
                self.feed(rest)
        elif self.item is not None:
            self._start_subitem(str(number), rest)
        else:
            self._start_item(str(number), rest)

    def _on_item(self, line: str) -> None:
        match = _ITEM.match(line)
        label = match["label"]
        if self.item is not None and self.item.label.isdigit():
            # lettered sub-items of a numbered item: '1. ... şunlardır:' then 'a) ...'
            expected = _next_label(self.subitem.label) if self.subitem else "a"
            if label == expected and (self.subitem or self.item.text.endswith(":")):
                self._start_subitem(label, match["rest"])
                return
        self._start_item(label, match["rest"])

    def _on_nested(self, line: str) -> None:
        match = _NESTED.match(line)
        label = f"{match['parent']}.{match['number']}"
        if self.item is None:
            self._start_item(label, match["rest"])
        else:
            self._start_subitem(label, match["rest"])

    def _on_definition(self, line: str) -> None:
        self._start_item("", line.removeprefix(_DEFINITION))

    def _on_bullet(self, line: str) -> None:
        rest = _PLAIN_BULLET.match(line)["rest"]
        if rest[:1].islower():
            self._on_text(rest)  # a broken line that kept its bullet
        elif self.item is not None and self.item.label and self._item_takes_subitems():
            self._start_subitem("", rest)
        else:
            self._start_item("", rest)

    def _on_text(self, line: str) -> None:
        if self.subitem is not None:
            self.subitem.text = _append(self.subitem.text, line)
        elif self.item is not None:
            self.item.text = _append(self.item.text, line)
        else:
            paragraph = self._current_paragraph()
            paragraph.text = _append(paragraph.text, line)

    def _on_madde(self, line: str) -> None:
        self._on_text(line)

    def _on_part(self, line: str) -> None:
        self._on_text(line)

    # helpers

    def _paragraph_number(self) -> int | None:
        return self.paragraphs[-1].number if self.paragraphs else None

    def _is_subitem_number(self, number: int) -> bool:
        if self.item is None:
            return False
        expected_paragraph = (self._paragraph_number() or 0) + 1
        if self._paragraph_number() is None and self.paragraphs:
            expected_paragraph = 0  # items without a numbered paragraph: (1) opens sub-items
        return number != expected_paragraph and number == len(self.item.subitems) + 1

    def _item_takes_subitems(self) -> bool:
        return self.item.text.endswith((":", ";")) or bool(self.item.subitems)

    def _current_paragraph(self) -> ParagraphDraft:
        if not self.paragraphs:
            self.paragraphs.append(ParagraphDraft(number=None))
        return self.paragraphs[-1]

    def _start_paragraph(self, number: int) -> None:
        self.paragraphs.append(ParagraphDraft(number=number))
        self.item = self.subitem = None

    def _start_item(self, label: str, text: str) -> None:
        self.item = ItemDraft(label=label, text=squeeze(text))
        self.subitem = None
        self._current_paragraph().items.append(self.item)

    def _start_subitem(self, label: str, text: str) -> None:
        self.subitem = ItemDraft(label=label, text=squeeze(text))
        self.item.subitems.append(self.subitem)


def _repair_labels(items: list[ItemDraft], where: str) -> list[dict]:
    return _fix_dotted_i(items, where) + _infer_leading_labels(items, where)


def _fix_dotted_i(items: list[ItemDraft], where: str) -> list[dict]:
    """'h) i) i)' is 'h) ı) i)' with the dotless ı lost on the way."""
    labels = [item.label for item in items]
    notes = []
    for index in range(len(items) - 1):
        before = labels[index - 1] if index else None
        if labels[index] == labels[index + 1] == "i" and before in (None, "h"):
            items[index].label = labels[index] = "ı"
            notes.append(
                _note(
                    gettext_noop("%(where)s: the first of two items i) was read as ı)."),
                    where=where,
                )
            )
    return notes


def _infer_leading_labels(items: list[ItemDraft], where: str) -> list[dict]:
    """Four unlabelled items followed by 'd)' were a) to ç) before the letters were lost."""
    leading = 0
    while leading < len(items) and not items[leading].label:
        leading += 1
    if 0 < leading < len(items) and LABEL_INDEX.get(items[leading].label) == leading:
        for index in range(leading):
            items[index].label = ITEM_LABELS[index]
        return [
            _note(
                gettext_noop(
                    "%(where)s: items without a letter before %(label)s) were given the letters "
                    "a) to %(last)s)."
                ),
                where=where,
                label=items[leading].label,
                last=ITEM_LABELS[leading - 1],
            )
        ]
    return []


def _warnings(articles: list[ArticleDraft]) -> list[dict]:
    warnings = []
    numbers = Counter((article.temporary, article.number) for article in articles)
    for (temporary, number), count in numbers.items():
        if count > 1:
            prefix = "GEÇİCİ MADDE" if temporary else "MADDE"
            warnings.append(
                _note(
                    gettext_noop("%(article)s appears %(count)s times."),
                    article=f"{prefix} {number}",
                    count=count,
                )
            )
    plain = sorted({article.number for article in articles if not article.temporary})
    missing = sorted(set(range(plain[0], plain[-1] + 1)) - set(plain)) if plain else []
    if missing:
        warnings.append(
            _note(
                gettext_noop("Article numbers are missing: %(numbers)s."),
                numbers=", ".join(str(number) for number in missing),
            )
        )
    for article in articles:
        for paragraph in article.paragraphs:
            warnings.extend(_label_warnings(article, paragraph))
    return warnings


def _label_warnings(article: ArticleDraft, paragraph: ParagraphDraft) -> list[dict]:
    where = f"MADDE {article.number}" + (f" ({paragraph.number})" if paragraph.number else "")
    labels = [item.label for item in paragraph.items if item.label in LABEL_INDEX]
    warnings = [
        _note(
            gettext_noop("%(where)s: item %(label)s) appears %(count)s times."),
            where=where,
            label=label,
            count=count,
        )
        for label, count in Counter(labels).items()
        if count > 1
    ]
    for previous, label in pairwise(labels):
        expected = _next_label(previous)
        if label not in (expected, previous):
            warnings.append(
                _note(
                    gettext_noop(
                        "%(where)s: item %(label)s) follows %(previous)s), expected %(expected)s)."
                    ),
                    where=where,
                    label=label,
                    previous=previous,
                    expected=expected,
                )
            )
    return warnings


# --- title and council decision ---------------------------------------------------------------


def _title(lines: list[str], end: int, notes: list[dict]) -> str:
    parts = []
    for index, line in enumerate(lines[:end]):
        if _kind(line) == "part":
            notes.extend(
                _note(gettext_noop("Left out before the first article: «%(line)s»"), line=other)
                for other in lines[index + 2 : end]
                if _kind(other) != "part"
            )
            break
        if fold(line).rstrip(".") == "t.c":
            continue
        if line.startswith("("):
            notes.append(_note(gettext_noop("Left out of the title: «%(line)s»"), line=line))
            continue
        parts.append(line)
    return squeeze(" ".join(parts))


def _add_decision(draft: RegulationDraft, lines: list[str]) -> None:
    """The council decision that adopted the text: from the preamble or a page stamp."""
    for line in lines:
        match = _DECISION.search(line)
        if match and ("meclis" in fold(line) or "karar" in fold(line)):
            draft.council_decision_no = match["number"]
            draft.council_decision_date = _iso_date(match)
            return


def _iso_date(match: re.Match) -> str | None:
    month = match["month"]
    if not month.isdigit():
        folded = fold(month)
        if folded not in _MONTHS:
            return None
        month = str(_MONTHS.index(folded) + 1)
    day, month_number = int(match["day"]), int(month)
    if not (1 <= day <= 31 and 1 <= month_number <= 12):
        return None
    return f"{match['year']}-{month_number:02d}-{day:02d}"


# --- units ------------------------------------------------------------------------------------

_UNIT_PATTERNS = [
    # (kind, is_manager, canonical suffix, regex of the words that end the name)
    (KIND_DAIRE, False, "Dairesi Başkanlığı", r"Daire(?:si)?\s+Başkanlı[ğk]"),
    (KIND_DAIRE, True, "Dairesi Başkanlığı", r"Daire\s+Başkan(?!lı)"),
    (KIND_SUBE, False, "Şube Müdürlüğü", r"Şube\s+Müdürlü[ğk]"),
    (KIND_SUBE, True, "Şube Müdürlüğü", r"Şube\s+Müdür(?!lü)"),
    (KIND_MUDURLUK, False, "Müdürlüğü", r"Müdürlü[ğk]"),
    (KIND_MUDURLUK, True, "Müdürlüğü", r"Müdür(?!lü)"),
    (KIND_SEFLIK, False, "Şefliği", r"Şefli[ğk]"),
    (KIND_BIRIM, False, "Birimi", r"[Bb]irim(?=i)"),
    # the sub-units of district municipalities, and the roles that name them
    (KIND_SEFLIK, True, "Şefliği", r"Şef(?=i\b|in)"),
    (KIND_BIRIM, False, "Servisi", r"Servis(?!\w*\s+Şef)"),
    (KIND_BIRIM, False, "Bürosu", r"Büro(?=su|\s+Sorumlu|\s+Görevli)"),
    (KIND_BIRIM, False, "Ofisi", r"Ofis(?=i)"),
    (KIND_BIRIM, False, "Koordinatörlüğü", r"Koordinatörlü[ğk]"),
    (KIND_BIRIM, False, "Merkezi", r"Merkez(?=i)"),
    (KIND_BIRIM, False, "Masası", r"Masa(?=s)"),
]
_NEW_STYLE = {"Servisi", "Bürosu", "Ofisi", "Koordinatörlüğü", "Merkezi", "Masası"}
_INSIDE_A_NAME = re.compile(
    rf"^\s+(?:[{_UPPER}][\w’']*\s+){{0,2}}(?:Şefli|Şube|Birim|Müdürlü|Servis|Büro|Ofis|Merkez|"
    r"Masa|Koordinatörlü)"
)
# Roles whose heading names no unit become positions: 'Kalite Temsilcisi', 'Büro Personeli'.
_ROLES = {
    "Temsilci": "Temsilcisi",
    "Personel": "Personeli",
    "Memur": "Memuru",
    "Görevli": "Görevlisi",
    "Sorumlu": "Sorumlusu",
    "Uzman": "Uzmanı",
    "Sekreter": "Sekreteri",
    "Yardımcı": "Yardımcısı",
}
_ROLE = re.compile(
    rf"(?P<name>(?:[{_UPPER}][\w’'-]*\s+(?:ve\s+)?){{1,6}}?)(?P<role>{'|'.join(_ROLES)})"
    rf"(?:[{_LOWER}’']*)(?P<following>.*)$"
)
_UNIT_MENTION = re.compile(
    r"(?<![\w])(?:"
    + "|".join(f"(?P<u{index}>{pattern[3]})" for index, pattern in enumerate(_UNIT_PATTERNS))
    + r")(?P<tail>[\w'’]*)"
)
_NAME_STOP_WORDS = {
    "Bu", "İşbu", "Her", "Belediye", "Belediyesi", "Belediyesinin", "Başkanlığı", "Büyükşehir",
    "T.C.", "Daire", "Dairesi",
}  # fmt: skip
_KIND_RANK = {KIND_DAIRE: 0, KIND_MUDURLUK: 1, KIND_SUBE: 2, KIND_SEFLIK: 3, KIND_BIRIM: 3}
_DUTY_WORDS = ("gorev", "baslica gorev", "calisma konu")


@dataclass
class _Mention:
    name: str  # '' when the text names no unit, as in 'Müdürlüğün görevleri'
    kind: str
    following: str  # the text after the mention


def unit_mentions(text: str) -> list[_Mention]:
    """Units named in a text, by the suffix of their kind: 'Teknik Destek Biriminin' and so on."""
    spaced = _spaced(text)
    mentions = []
    for match in _UNIT_MENTION.finditer(spaced):
        index = next(
            int(key[1:]) for key, value in match.groupdict().items() if value and key[0] == "u"
        )
        kind, _manager, suffix, _pattern = _UNIT_PATTERNS[index]
        if re.search("l[ea]r", fold(match["tail"])):
            continue  # plural: 'Şube Müdürlükleri'
        if suffix in _NEW_STYLE and _INSIDE_A_NAME.match(spaced[match.end() :]):
            continue  # 'Teknik Servis Şefliği' is a Şeflik, not a Servis
        words = _name_words(spaced[: match.start()])
        name = f"{words} {suffix}" if words else ""
        mentions.append(_Mention(name=name, kind=kind, following=spaced[match.end() :]))
    return mentions


def _spaced(text: str) -> str:
    """'Proje,İhale ve İdari İşlerŞube' -> 'Proje, İhale ve İdari İşler Şube'."""
    text = re.sub(rf",(?=[{_UPPER}])", ", ", text)
    return re.sub(rf"(?<=[{_LOWER}])(?=Şube|Müdürlü|Şefli|Birimi)", " ", text)


def _name_words(before: str) -> str:
    taken: list[str] = []
    for word in reversed(before.split()):
        bare = word.rstrip(",")
        if word.endswith(",") and not taken:
            break
        if bare in _NAME_STOP_WORDS or not (bare in ("ve", "Ve") or bare[:1].isupper()):
            break
        taken.insert(0, "ve" if bare == "Ve" else word)
    while taken and taken[0] in ("ve", ","):
        taken.pop(0)
    return " ".join(taken).rstrip(",")


def role_of(text: str) -> tuple[str, str] | None:
    """The role a heading names and the words before it: ('Kalite', 'Temsilcisi')."""
    if text.isupper():
        text = _title_case(text)
    match = _ROLE.search(_spaced(text))
    if not match or not _names_duties(_Mention("", "", match["following"])):
        return None
    words = _name_words(match["name"])
    return (words, _ROLES[match["role"]]) if words else None


def _names_duties(mention: _Mention) -> bool:
    """The mention is followed by 'görevleri', 'çalışma konuları', or nothing but punctuation."""
    following = fold(mention.following).lstrip("'’ ")
    if not following.strip(" ;:,.-"):
        return True
    return following.startswith(_DUTY_WORDS) and not mention.following.startswith(",")


class _UnitDrafter:
    """Drafts the units tree and suggests the unit of every article that lists a unit's duties."""

    def __init__(self, draft: RegulationDraft):
        self.draft = draft
        self.units: list[UnitDraft] = []
        self.positions: list[PositionDraft] = []
        self.top = _top_unit(draft.title)
        if self.top:
            self.units.append(self.top)

    def run(self) -> list[UnitDraft]:
        for article in self.draft.articles:
            if "teskilat" in fold(article.heading):
                self._from_organisation_article(article)
        for article in self.draft.articles:
            if article.paragraphs and not article.repealed:
                self._assign(article)
        return self.units

    def _from_organisation_article(self, article: ArticleDraft) -> None:
        for paragraph in article.paragraphs:
            for item in paragraph.items:
                unit = self._named(item.text, parent=self.top)
                for sub in item.subitems:
                    self._named(sub.text, parent=unit or self.top)

    def _named(self, text: str, parent: UnitDraft | None) -> UnitDraft | None:
        for mention in unit_mentions(text):
            if mention.name:
                return self._register(mention.name, mention.kind, parent)
        return None

    def _assign(self, article: ArticleDraft) -> None:
        if fold(article.heading).startswith(("teskilat", "tanim")):
            article.duty = False
            return
        if "teskilat" in fold(article.heading):
            return
        first = article.paragraphs[0]
        heading = _title_case(article.heading) if article.heading.isupper() else article.heading
        # an article of numbered paragraphs only lists duties when its heading says so
        lists = any(paragraph.items for paragraph in article.paragraphs)
        unit = self._duty_unit(heading, parent=self.top) or (
            self._duty_unit(first.text, parent=self.top) if lists else None
        )
        if unit is None:
            unit = self._role_unit(article, heading) or (
                self._role_unit(article, first.text) if lists else None
            )
        article.unit = unit.name if unit else None
        for paragraph in article.paragraphs[1:]:
            if paragraph.items:
                own = self._duty_unit(paragraph.text, parent=unit or self.top)
                if own and own is not unit:
                    paragraph.unit = own.name

    def _role_unit(self, article: ArticleDraft, text: str) -> UnitDraft | None:
        """'Ağ ve Sistem Sorumlusunun görevleri' names a unit through its head; a role that names
        none ('Kalite Temsilcisinin görevleri') becomes a position of the department."""
        role = role_of(text)
        if role is None:
            return None
        words, title = role
        if title == "Sorumlusu":
            return self._register(f"{words} Birimi", KIND_BIRIM, self.top)
        name = f"{words} {title}"
        if not any(position.name == name for position in self.positions):
            self.positions.append(
                PositionDraft(name=name, unit=self.top.name if self.top else None)
            )
        article.position = name
        return self.top

    def _duty_unit(self, text: str, parent: UnitDraft | None) -> UnitDraft | None:
        for mention in unit_mentions(text):
            if not _names_duties(mention):
                continue
            if mention.name:
                return self._register(mention.name, mention.kind, parent)
            if self.top and mention.kind == self.top.kind:
                return self.top  # 'Müdürlüğün görevleri', 'Daire Başkanının görevleri'
        return None

    def _register(self, name: str, kind: str, parent: UnitDraft | None) -> UnitDraft:
        for unit in self.units:
            if unit.kind == kind and _similar(unit.name, name, threshold=0.88):
                return unit
        if parent and _KIND_RANK[parent.kind] >= _KIND_RANK[kind]:
            parent = self.top
        unit = UnitDraft(name=name, kind=kind, parent=parent.name if parent else None)
        self.units.append(unit)
        return unit


def _top_unit(title: str) -> UnitDraft | None:
    """The department the regulation is about, from its title: 'BİLGİ İŞLEM DAİRESİ BAŞKANLIĞI'."""
    match = re.search(r"(DAİRESİ\s+BAŞKANLIĞI|MÜDÜRLÜĞÜ)", title)
    if not match:
        return None
    words = []
    for word in reversed(title[: match.start()].split()):
        if word.startswith(("BELEDİYE", "BAŞKANLIĞI", "BÜYÜKŞEHİR")) or word.endswith(","):
            break
        words.insert(0, word)
    words = words[-3:]
    if not words:
        return None
    kind = KIND_DAIRE if match[1].startswith("DAİRESİ") else KIND_MUDURLUK
    suffix = "Dairesi Başkanlığı" if kind == KIND_DAIRE else "Müdürlüğü"
    return UnitDraft(name=f"{_title_case(' '.join(words))} {suffix}", kind=kind)


def _title_case(text: str) -> str:
    words = []
    for word in turkish_lower(text).split():
        if word == "ve":
            words.append(word)
        else:
            first = word[0].replace("i", "İ").upper()
            words.append(first + word[1:])
    return " ".join(words)
