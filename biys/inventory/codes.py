"""Loading the Taşınır Kod Listesi from a CSV file: ``code;name`` per line (``,`` works too),
UTF-8 (with or without BOM) or Windows-1254, ``#`` lines and a ``code;name`` header skipped.

Every row is checked before anything is written (the code's shape, a name, no code twice, a
parent that exists in the file or the database); one bad row and nothing is imported. New
codes are added, known codes get the file's name (and are in use again).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from biys.core import changelog
from biys.inventory.models import TasinirCode

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "tasinir-codes-it.csv"
CODE_SHAPE = re.compile(r"^\d{3}(\.\d{2}){0,5}$")


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1254")


def read_rows(data: bytes) -> list[tuple[int, str, str]]:
    """(line number, code, name) of every data line."""
    lines = _text(data).splitlines()
    content = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    delimiter = ";" if any(";" in line for line in content[:5]) else ","
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = next(csv.reader(io.StringIO(line), delimiter=delimiter))
        cells = [cell.strip() for cell in cells] + ["", ""]
        code, name = cells[0], cells[1]
        if not rows and code.lower() in ("code", "kod", "taşınır kodu", "tasinir_kodu"):
            continue  # the header
        rows.append((number, code, name))
    return rows


def check_rows(rows: list[tuple[int, str, str]]) -> list[str]:
    """The errors of the file, one per bad row ("line 7: ..."); empty when it can be loaded."""
    errors = []
    seen: dict[str, int] = {}
    for number, code, name in rows:
        where = _("line %(line)s") % {"line": number}
        if not CODE_SHAPE.match(code):
            errors.append(
                _("%(where)s: “%(code)s” is not a property code (e.g. 253.02.01.01).")
                % {"where": where, "code": code}
            )
            continue
        if not name:
            errors.append(
                _("%(where)s: code %(code)s has no name.") % {"where": where, "code": code}
            )
        elif len(name) > TasinirCode._meta.get_field("name").max_length:
            errors.append(_("%(where)s: the name is too long.") % {"where": where})
        if code in seen:
            errors.append(
                _("%(where)s: code %(code)s is already on line %(other)s.")
                % {"where": where, "code": code, "other": seen[code]}
            )
        seen.setdefault(code, number)
    known = set(TasinirCode.objects.values_list("code", flat=True))
    for number, code, _name in rows:
        parent = parent_code(code) if CODE_SHAPE.match(code) else None
        if parent and parent not in seen and parent not in known:
            errors.append(
                _("line %(line)s: the parent code %(parent)s of %(code)s is missing.")
                % {"line": number, "parent": parent, "code": code}
            )
    return errors


@changelog.batched
def load_codes(data: bytes) -> LoadReport:
    """Load a code list file: all of it or, on any error, nothing (``ValidationError`` with one
    message per bad row)."""
    rows = read_rows(data)
    if not rows:
        raise ValidationError(_("The file has no codes."))
    errors = check_rows(rows)
    if errors:
        raise ValidationError(errors)
    report = LoadReport()
    existing = {code.code: code for code in TasinirCode.objects.all()}
    # Parents first: fewer dots first, then in the file's order.
    for _number, code, name in sorted(rows, key=lambda row: row[1].count(".")):
        report.codes.append(code)
        current = existing.get(code)
        if current is None:
            parent = existing.get(parent_code(code)) if parent_code(code) else None
            existing[code] = save_code(code=TasinirCode(code=code, name=name), parent=parent)
            report.created += 1
        elif current.name != name or not current.is_active:
            current.name, current.is_active = name, True
            save_code(code=current, parent=current.parent)
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def load_default_codes() -> LoadReport:
    return load_codes(DEFAULT_FILE.read_bytes())


@transaction.atomic
def save_code(*, code: TasinirCode, parent: TasinirCode | None = None) -> TasinirCode:
    """Create or rename a code; its parent is the code without its last part, which must exist."""
    code.code = (code.code or "").strip()
    if not CODE_SHAPE.match(code.code):
        raise ValidationError({"code": _("Not a property code (e.g. 253.02.01.01).")})
    expected = parent_code(code.code)
    if parent is None and expected:
        parent = TasinirCode.objects.filter(code=expected).first()
        if parent is None:
            raise ValidationError(
                {"code": _("Add the parent code %(parent)s first.") % {"parent": expected}}
            )
    renumbered = code.pk and code.code != TasinirCode.objects.get(pk=code.pk).code
    if renumbered and (code.children.exists() or code.assets.exists()):
        raise ValidationError(
            {"code": _("A code with sub-codes or assets keeps its number; rename it instead.")}
        )
    code.parent = parent
    code.level = code.code.count(".") + 1
    code.sort_code = TasinirCode.sort_value(code.code)
    code.full_clean()
    code.save()
    return code
