"""Reads the national Bilgi ve İletişim Güvenliği Rehberi from its Markdown conversion
(``data/bilgi-ve-iletisim-guvenligi-rehberi-2020.md``, CC BY 4.0).

- Sections: chapters 3 (asset groups), 4 (application and technology areas) and 5 (hardening)
  are numbered by the guide's headings in order (the numbers are images in the conversion); each
  sub-heading's number is checked against the numbers of the measures under it.
- Measures: the rows of the tables headed Tedbir No. / Tedbir Seviyesi / Tedbir Adı / Tedbir
  Tanımı (the audit-question tables that follow them are not measures).
- Asset groups: the six headings of EK-C.1, each tied to the chapter 3 section written for it.
- Questionnaire: EK-C.1's eight questions with their options, scored by its scoring table.

``read_guide`` also returns what the guide states about itself (``stated``): the sub-headings
each main heading's Amaç lists. The tests hold the loaded structure against it.
"""

import hashlib
import html
import re

from django.core.exceptions import ValidationError

from biys.bgys.frameworks import (
    AssetGroupData,
    FrameworkData,
    MeasureData,
    QuestionData,
    SectionData,
    check,
)

ATTRIBUTION = (
    "Bilgi ve İletişim Güvenliği Rehberi, sürüm 2020/1.0 (10.07.2020), Cumhurbaşkanlığı Dijital"
    " Dönüşüm Ofisi. Creative Commons Attribution 4.0 International (CC BY 4.0) lisansı ile"
    " yayımlanmıştır: https://creativecommons.org/licenses/by/4.0/ . Kaynak: https://www.cbddo.gov.tr"
    " . BİYS, yayımlanan belgenin Markdown dönüşümünü değiştirmeden okur; tedbirler tablolardan"
    " ayrıştırılmıştır."
)
FIRST_CHAPTER = "VARLIK GRUPLARINA YÖNELİK GÜVENLİK TEDBİRLERİ"
END = "KAYNAKÇA"
MEASURE_HEADER = ["Tedbir No.", "Tedbir Seviyesi", "Tedbir Adı", "Tedbir Tanımı"]
MEASURE_NUMBER = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
HEADING = re.compile(r"^(#{1,3}) (.*)$")
TABLE = re.compile(r"<table.*?</table>", re.S)
ROW = re.compile(r"<tr.*?</tr>", re.S)
CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
LIST_ITEM = re.compile(r"^( *)(\d+)\.\s+(.*)$")


def _cell_text(raw: str, *, one_line: bool = False) -> str:
    text = re.sub(r"</p>", "\n\n", raw)
    text = re.sub(r"<li>", "\n\n- ", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]
    return (" " if one_line else "\n\n").join(paragraphs).strip()


def _rows(table: str) -> list[list[str]]:
    return [[_cell_text(cell) for cell in CELL.findall(row)] for row in ROW.findall(table)]


def _headings_and_tables(lines: list[str]):
    """(kind, value, line) in document order: ("heading", (depth, title)) and ("table", html)."""
    text = "\n".join(lines)
    tables = {text.count("\n", 0, m.start()): m.group(0) for m in TABLE.finditer(text)}
    index = 0
    while index < len(lines):
        if index in tables:
            yield "table", tables[index], index
        match = HEADING.match(lines[index])
        if match:
            title = match.group(2)
            while "<img" in title and "/>" not in title.rsplit("<img", 1)[1]:
                index += 1
                title += " " + lines[index]
            title = re.sub(r"<img[^>]*/>", "", title).strip()
            yield "heading", (len(match.group(1)), title), index
        index += 1


def _bullets(lines: list[str], start: int) -> list[str]:
    """The ``- item`` lines after ``start`` up to the next heading or quoted paragraph."""
    items = []
    for line in lines[start + 1 :]:
        if line.startswith("#") or (items and line.startswith(">")):
            break
        if line.startswith("- "):
            items.append(line[2:])
        elif items and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()  # a wrapped item
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def _sections(lines: list[str], errors: list[str]):
    sections: list[SectionData] = []
    stated: dict[str, list[str]] = {}
    chapter = main = sub = 0
    started = False
    current: SectionData | None = None
    main_number = ""
    for kind, value, line in _headings_and_tables(lines):
        if kind == "heading":
            depth, title = value
            if depth == 1:
                if title == FIRST_CHAPTER:
                    started, chapter = True, 3
                elif title == END:
                    break
                elif started:
                    chapter += 1
                else:
                    continue
                main = 0
                current = SectionData(str(chapter), title, 1)
                sections.append(current)
            elif not started:
                continue
            elif depth == 2:
                main += 1
                sub = 0
                main_number = f"{chapter}.{main}"
                current = SectionData(main_number, title, 2, str(chapter))
                sections.append(current)
            elif title == "Amaç":
                stated[main_number] = _bullets(lines, line)
            else:
                sub += 1
                number = f"{main_number}.{sub}"
                explicit = re.match(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$", title)
                if explicit:
                    if explicit.group(1) != number:
                        errors.append(f"heading {title!r} is numbered {number} by its position")
                    title = explicit.group(2)
                current = SectionData(number, title, 3, main_number)
                sections.append(current)
        elif started and current is not None:
            rows = _rows(value)
            if not rows or rows[0] != MEASURE_HEADER:
                continue
            for row in rows[1:]:
                if len(row) != 4 or not MEASURE_NUMBER.match(row[0]) or row[1] not in "123":
                    errors.append(f"line {line}: not a measure row: {row[:2]}")
                    continue
                if row[0].rsplit(".", 1)[0] != current.number:
                    errors.append(f"measure {row[0]} sits under section {current.number}")
                title = " ".join(row[2].split())
                current.measures.append(MeasureData(row[0], title, row[3], int(row[1])))
    return sections, stated


def _section_of(lines: list[str], title: str) -> list[str]:
    """The lines of the ``# title`` appendix up to the next ``#`` heading."""
    start = next(i for i, line in enumerate(lines) if line.strip() == f"# {title}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("# ")), len(lines))
    return lines[start:end]


def _asset_groups(lines: list[str], errors: list[str]) -> list[AssetGroupData]:
    part = _section_of(lines, "EK-C.1: VARLIK GRUBU KRİTİKLİK DERECELENDİRME ANKETİ")
    start = next(i for i, line in enumerate(part) if "altı varlık grubu" in line)
    groups = []
    for line in part[start:]:
        if line.startswith("> Aşağıda"):
            break
        match = LIST_ITEM.match(line)
        if match:
            groups.append(AssetGroupData(int(match.group(2)), match.group(3).strip()))
    for group in groups:
        group.section = f"3.{group.number}"
    if len(groups) != 6:
        errors.append(f"{len(groups)} asset groups found in EK-C.1, the guide names six")
    return groups


def _questions(lines: list[str], errors: list[str]) -> list[QuestionData]:
    part = _section_of(lines, "EK-C.1: VARLIK GRUBU KRİTİKLİK DERECELENDİRME ANKETİ")
    start = next(i for i, line in enumerate(part) if "Varlık Grubu için Anket Soruları" in line)
    end = next(i for i, line in enumerate(part) if line.startswith("### Anket Özeti"))
    items: list[list] = []  # [indent, text]
    for line in part[start:end]:
        match = LIST_ITEM.match(line)
        if match:
            items.append([len(match.group(1)), match.group(3)])
        elif items and line.startswith(" ") and line.strip():
            items[-1][1] += " " + line.strip()
        elif items and line.startswith((">", "<!--", "1)", "2)")):
            # a break between list items: what follows it (a dimension label) is no option's
            items.append([-1, ""])
    questions: list[tuple[str, list[str]]] = []
    question_indent = None
    for indent, text in items:
        if indent < 0:
            continue
        text = re.sub(r"\s*<u>.*$", "", text)  # a dimension label run into an option
        text = " ".join(text.split())
        if question_indent is None or indent <= question_indent:
            question_indent = indent
            questions.append((text, []))
        else:
            questions[-1][1].append(text)
    scores = _scores(part[end:])
    result = []
    for number, (text, options) in enumerate(questions, start=1):
        dimension, points = scores.get(number, ("", []))
        if len(points) != len(options):
            errors.append(
                f"question {number}: {len(options)} options but {len(points)} scores in the table"
            )
            continue
        choices = [
            {"letter": "abcde"[i], "text": option, "score": points[i]}
            for i, option in enumerate(options)
        ]
        result.append(QuestionData(number, dimension, text, choices))
    if len(result) != 8:
        errors.append(f"{len(result)} questions read from EK-C.1, expected 8")
    return result


def _scores(lines: list[str]) -> dict[int, tuple[str, list[int]]]:
    """The scoring table of the Anket Özeti: question number -> (dimension, option scores)."""
    text = "\n".join(lines)
    for table in TABLE.findall(text):
        rows = _rows(table)
        if not any("Şıkların Puanları" in cell for row in rows for cell in row):
            continue
        scores = {}
        for row in rows:
            cells = [cell for cell in row if cell]
            for index, cell in enumerate(cells):
                if cell.isdigit() and index > 0:
                    points = [
                        int(value.split()[0])
                        for value in cells[index + 1 :]
                        if re.fullmatch(r"\d+ puan", value)
                    ]
                    if points:
                        scores[int(cell)] = (cells[index - 1], points)
                        break
        return scores
    return {}


def read_guide(content: bytes) -> FrameworkData:
    text = content.decode("utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    errors: list[str] = []
    sections, stated = _sections(lines, errors)
    data = FrameworkData(
        slug="bilgi-ve-iletisim-guvenligi-rehberi",
        version="2020/1.0",
        name="Bilgi ve İletişim Güvenliği Rehberi",
        publisher="Cumhurbaşkanlığı Dijital Dönüşüm Ofisi",
        licence="CC BY 4.0",
        attribution=ATTRIBUTION,
        source_url="https://www.cbddo.gov.tr/bilgi-ve-iletisim-guvenligi-rehberi",
        source_sha256=hashlib.sha256(content).hexdigest(),
        sections=sections,
        asset_groups=_asset_groups(lines, errors),
        questions=_questions(lines, errors),
    )
    data.stated = stated
    errors += check(data)
    if errors:
        raise ValidationError(errors)
    return data


def criticality_level(score: int) -> int:
    """The guide's Tablo 3: under 18 is level 1, 18 up to 28 level 2, 28 and above level 3."""
    if score < 18:
        return 1
    if score < 28:
        return 2
    return 3
