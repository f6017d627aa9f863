"""Forms of the regulation importer: the upload, and the review of a draft before it is confirmed."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from biys.accounts.scope import ALL, get_scope
from biys.core.text import fold
from biys.org.choices import UnitKind
from biys.org.importer import render_article_text
from biys.org.importer_duties import article_label, duties_by_unit
from biys.org.importer_files import ACCEPTED_EXTENSIONS, extract_text
from biys.org.models import Regulation
from biys.org.services_drafts import IMPORT_PERMISSION, import_units

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a PDF with embedded fonts is larger than its text


class RegulationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Text file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        max_length=MAX_UPLOAD_BYTES,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    title = forms.CharField(
        label=_("Title of the regulation"),
        required=False,
        max_length=300,
        help_text=_("Leave empty to use the title found at the top of the text."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        help_text=_("Administrators of this unit may review and confirm the draft."),
    )
    amends = forms.ModelChoiceField(
        label=_("New version of"),
        queryset=Regulation.objects.filter(is_in_force=True).order_by("title"),
        required=False,
        help_text=_(
            "Choose the loaded regulation when the council amended it: the review shows the "
            "differences, and confirming updates it, retiring the duties it no longer has."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request: a lazy string formatted at import time freezes its language.
        self.fields["file"].help_text = _(
            "The regulation as PDF, Word (.docx) or plain text (.txt in UTF-8 or Windows-1254), "
            "at most %(size)s. The original file is kept with the regulation."
        ) % {"size": filesizeformat(MAX_UPLOAD_BYTES)}
        self.upload = None
        units = import_units(user)
        self.fields["unit"].queryset = units
        self.fields["unit"].required = get_scope(user).units_for(IMPORT_PERMISSION) is not ALL
        first = units.first()
        if first is not None:
            self.fields["unit"].initial = first.pk
        self.source_field = "file"

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s; at most %(limit)s is accepted."),
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(MAX_UPLOAD_BYTES),
                },
            )
        upload.seek(0)
        text = extract_text(upload.name, upload.read())
        if not text.strip():
            raise ValidationError(_("The file is empty."), code="empty")
        upload.seek(0)
        self.upload = upload
        return text

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("file"):
            cleaned["source_text"] = cleaned["file"]
        elif cleaned.get("text", "").strip():
            self.source_field = "text"
            cleaned["source_text"] = cleaned["text"]
        else:
            self.add_error("file", _("Choose a file or paste the regulation's text."))
        return cleaned


# --------------------------------------------------------------------------- review

NOT_A_DUTY = "-"
EXISTING = "org-"  # parent choices that are units of the organisation, not of the draft


class DraftReviewForm(forms.Form):
    """The whole draft on one form. Units are keyed by their position in the draft, so that a
    renamed unit keeps its articles; names are written back into the draft when it is saved.

    Every article, paragraph and item can be given a unit or marked "not a duty", items can be
    relabelled, split and merged, articles renumbered and retitled, and a range of items given
    one unit at once. A field missing from the submitted data keeps the draft's value."""

    title = forms.CharField(label=_("Title of the regulation"), max_length=300)
    council_decision_no = forms.CharField(
        label=_("Council decision number"), max_length=50, required=False
    )
    council_decision_date = forms.DateField(
        label=_("Council decision date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    new_unit_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    new_unit_kind = forms.ChoiceField(
        label=_("Kind"), choices=UnitKind.choices, initial=UnitKind.BIRIM, required=False
    )
    range_article = forms.ChoiceField(label=_("Article"), required=False)
    range_paragraph = forms.IntegerField(
        label=_("Paragraph number"), required=False, min_value=1, max_value=999
    )
    range_from = forms.CharField(label=_("From item"), max_length=10, required=False)
    range_to = forms.CharField(label=_("To item"), max_length=10, required=False)
    range_unit = forms.ChoiceField(label=_("Give to"), required=False)

    def __init__(self, data=None, *args, draft_data: dict, existing_units=(), **kwargs):
        self.draft_data = draft_data
        self.units = draft_data.get("units", [])
        self.articles = draft_data.get("articles", [])
        self.existing_units = list(existing_units)
        self.unit_keys = [str(index) for index in range(len(self.units))]
        self.key_by_name = {}
        for key, unit in zip(self.unit_keys, self.units, strict=True):
            self.key_by_name.setdefault(unit["name"], key)
        super().__init__(data, *args, initial=self._initial(), **kwargs)
        self._add_unit_fields()
        self._add_assignment_fields()
        self._add_range_fields()
        if self.is_bound:
            self.data = self._with_defaults(self.data)

    def _with_defaults(self, data):
        """Fields the submission left out keep the draft's value (checkboxes stay unticked)."""
        data = data.copy()
        for name, field in self.fields.items():
            if name not in data and not isinstance(field, forms.BooleanField):
                value = self.get_initial_for_field(field, name)
                data[name] = "" if value is None else value
        return data

    # fields

    def _unit_choices(self, exclude: str | None = None) -> list[tuple[str, str]]:
        return [
            (key, unit["name"])
            for key, unit in zip(self.unit_keys, self.units, strict=True)
            if key != exclude
        ]

    def _parent_choices(self, exclude: str | None = None) -> list:
        choices = [("", _("— none (top unit) —"))]
        if self.units:
            choices.append((_("Units of the draft"), self._unit_choices(exclude=exclude)))
        if self.existing_units:
            existing = [(f"{EXISTING}{unit.pk}", str(unit)) for unit in self.existing_units]
            choices.append((_("Units of the organisation"), existing))
        return choices

    def _parent_initial(self, unit: dict) -> str:
        if unit.get("parent_unit"):
            return f"{EXISTING}{unit['parent_unit']}"
        return self.key_by_name.get(unit.get("parent"), "")

    def _add_unit_fields(self) -> None:
        for key, unit in zip(self.unit_keys, self.units, strict=True):
            self.fields[f"unit_{key}_name"] = forms.CharField(
                label=_("Name"), max_length=200, initial=unit["name"]
            )
            self.fields[f"unit_{key}_kind"] = forms.ChoiceField(
                label=_("Kind"), choices=UnitKind.choices, initial=unit.get("kind")
            )
            self.fields[f"unit_{key}_parent"] = forms.ChoiceField(
                label=_("Parent unit"),
                choices=self._parent_choices(exclude=key),
                required=False,
                initial=self._parent_initial(unit),
            )
            self.fields[f"unit_{key}_remove"] = forms.BooleanField(
                label=_("Remove"), required=False
            )
        self.fields["new_unit_parent"] = forms.ChoiceField(
            label=_("Parent unit"), choices=self._parent_choices(), required=False
        )

    def _assignment_initial(self, row: dict) -> str:
        if row.get("duty") is False:
            return NOT_A_DUTY
        return self.key_by_name.get(row.get("unit"), "")

    def _add_assignment_fields(self) -> None:
        choices = self._unit_choices()
        not_a_duty = (NOT_A_DUTY, _("— not a duty —"))
        for a, article in enumerate(self.articles):
            number = article_label(article)
            self.fields[f"article_{a}_number"] = forms.IntegerField(
                label=_("Number of MADDE %(number)s") % {"number": number},
                min_value=1,
                max_value=999,
                initial=article["number"],
            )
            self.fields[f"article_{a}_heading"] = forms.CharField(
                label=_("Heading of MADDE %(number)s") % {"number": number},
                max_length=300,
                required=False,
                initial=article.get("heading", ""),
            )
            self.fields[f"article_{a}_unit"] = forms.ChoiceField(
                label=_("Responsible unit of MADDE %(number)s") % {"number": number},
                choices=[("", _("— no unit —")), not_a_duty, *choices],
                required=False,
                initial=self._assignment_initial(article),
            )
            for p, paragraph in enumerate(article.get("paragraphs", [])):
                self.fields[f"paragraph_{a}_{p}_unit"] = forms.ChoiceField(
                    label=_("Unit of paragraph %(number)s")
                    % {"number": paragraph.get("number") or p + 1},
                    choices=[("", _("— as the article —")), not_a_duty, *choices],
                    required=False,
                    initial=self._assignment_initial(paragraph),
                )
                for i, item in enumerate(paragraph.get("items", [])):
                    self._add_item_fields(f"item_{a}_{p}_{i}", item, i, choices)

    def _add_item_fields(self, prefix: str, item: dict, index: int, choices: list) -> None:
        label = item.get("label") or index + 1
        self.fields[f"{prefix}_unit"] = forms.ChoiceField(
            label=_("Unit of item %(label)s") % {"label": label},
            choices=[("", _("— as the paragraph —")), (NOT_A_DUTY, _("— not a duty —")), *choices],
            required=False,
            initial=self._assignment_initial(item),
        )
        self.fields[f"{prefix}_label"] = forms.CharField(
            label=_("Letter of item %(label)s") % {"label": label},
            max_length=10,
            required=False,
            initial=item.get("label", ""),
        )
        self.fields[f"{prefix}_split"] = forms.CharField(
            label=_("Split item %(label)s before") % {"label": label},
            max_length=200,
            required=False,
            help_text=_("Words that start a new item."),
        )
        if index:
            self.fields[f"{prefix}_merge"] = forms.BooleanField(
                label=_("Merge item %(label)s into the one above") % {"label": label},
                required=False,
            )

    def _add_range_fields(self) -> None:
        self.fields["range_article"].choices = [("", "—")] + [
            (str(a), f"MADDE {article_label(article)}") for a, article in enumerate(self.articles)
        ]
        self.fields["range_unit"].choices = [
            ("", "—"),
            (NOT_A_DUTY, _("— not a duty —")),
            *self._unit_choices(),
        ]

    def _initial(self) -> dict:
        return {
            "title": self.draft_data.get("title", ""),
            "council_decision_no": self.draft_data.get("council_decision_no", ""),
            "council_decision_date": self.draft_data.get("council_decision_date") or None,
        }

    # validation

    def clean(self):
        cleaned = super().clean()
        removed = {key for key in self.unit_keys if cleaned.get(f"unit_{key}_remove")}
        kept = [key for key in self.unit_keys if key not in removed]
        self._check_names(cleaned, kept)
        self._check_parents(cleaned, kept, removed)
        self._check_assignments(cleaned, removed)
        self._check_splits(cleaned)
        self._check_range(cleaned, removed)
        if cleaned.get("new_unit_name", "").strip() and not cleaned.get("new_unit_kind"):
            self.add_error("new_unit_kind", _("Choose the kind of the new unit."))
        return cleaned

    def _check_names(self, cleaned: dict, kept: list[str]) -> None:
        seen: dict[str, str] = {}
        named = [(f"unit_{key}_name", cleaned.get(f"unit_{key}_name", "")) for key in kept]
        named.append(("new_unit_name", cleaned.get("new_unit_name", "")))
        for field_name, name in named:
            name = " ".join((name or "").split())
            if field_name in cleaned:
                cleaned[field_name] = name
            if not name:
                continue
            folded = fold(name)
            if folded in seen:
                self.add_error(
                    field_name,
                    _("Another unit of the draft is already called %(name)s.") % {"name": name},
                )
            else:
                seen[folded] = field_name

    def _check_parents(self, cleaned: dict, kept: list[str], removed: set[str]) -> None:
        parents = {key: cleaned.get(f"unit_{key}_parent") or None for key in kept}
        for key, parent in parents.items():
            if parent in removed:
                self.add_error(f"unit_{key}_parent", _("This parent unit is being removed."))
        if cleaned.get("new_unit_parent") in removed:
            self.add_error("new_unit_parent", _("This parent unit is being removed."))
        for key in kept:
            if self._in_cycle(key, parents):
                self.add_error(
                    f"unit_{key}_parent",
                    _("This parent would make the unit a sub-unit of itself."),
                )

    @staticmethod
    def _in_cycle(key: str, parents: dict[str, str | None]) -> bool:
        seen = set()
        current = parents.get(key)
        while current is not None and current not in seen:
            if current == key:
                return True
            seen.add(current)
            current = parents.get(current)
        return False

    def _check_assignments(self, cleaned: dict, removed: set[str]) -> None:
        assignments = [
            f
            for f in self.fields
            if f.startswith(("article_", "paragraph_", "item_")) and f.endswith("_unit")
        ]
        for field_name in assignments:
            if cleaned.get(field_name) in removed:
                self.add_error(field_name, _("This unit is being removed; choose another one."))

    def _check_splits(self, cleaned: dict) -> None:
        for a, article in enumerate(self.articles):
            for p, paragraph in enumerate(article.get("paragraphs", [])):
                for i, item in enumerate(paragraph.get("items", [])):
                    marker = (cleaned.get(f"item_{a}_{p}_{i}_split") or "").strip()
                    if marker and item.get("text", "").find(marker) <= 0:
                        self.add_error(
                            f"item_{a}_{p}_{i}_split",
                            _("These words are not in the item, after its beginning."),
                        )

    def _check_range(self, cleaned: dict, removed: set[str]) -> None:
        if not cleaned.get("range_article"):
            return
        if not cleaned.get("range_unit"):
            self.add_error("range_unit", _("Choose a unit, or “not a duty”."))
        elif cleaned["range_unit"] in removed:
            self.add_error("range_unit", _("This unit is being removed; choose another one."))
        try:
            self._range_items(cleaned)
        except ValueError as error:
            self.add_error("range_from", str(error))

    def _range_items(self, cleaned: dict) -> list[tuple[int, int, int]]:
        """(article, paragraph, item) indexes of the items of the range, in the draft's order."""
        a = int(cleaned["range_article"])
        article = self.articles[a]
        wanted = cleaned.get("range_paragraph")
        rows = [
            (p, i, item.get("label", ""))
            for p, paragraph in enumerate(article.get("paragraphs", []))
            if wanted is None or paragraph.get("number") == wanted
            for i, item in enumerate(paragraph.get("items", []))
        ]
        labels = [label for _p, _i, label in rows]
        first = (cleaned.get("range_from") or "").strip().rstrip(")") or (labels or [""])[0]
        last = (cleaned.get("range_to") or "").strip().rstrip(")") or (labels or [""])[-1]
        if not rows or first not in labels or last not in labels:
            raise ValueError(_("No such items in this article or paragraph."))
        start, end = labels.index(first), len(labels) - 1 - labels[::-1].index(last)
        if start > end:
            raise ValueError(_("The first item comes after the last one."))
        return [(a, p, i) for p, i, _label in rows[start : end + 1]]

    # the reviewed draft

    def reviewed_data(self) -> dict:
        """The draft with the administrator's corrections, in the importer's format."""
        cleaned = self.cleaned_data
        data = copy.deepcopy(self.draft_data)
        names = {
            key: cleaned[f"unit_{key}_name"]
            for key in self.unit_keys
            if not cleaned.get(f"unit_{key}_remove")
        }
        data["title"] = cleaned["title"]
        data["council_decision_no"] = cleaned.get("council_decision_no", "")
        decision_date = cleaned.get("council_decision_date")
        data["council_decision_date"] = decision_date.isoformat() if decision_date else None
        data["units"] = [
            self._unit_row(names[key], cleaned[f"unit_{key}_kind"], f"unit_{key}_parent", names)
            for key in self.unit_keys
            if key in names
        ]
        if cleaned.get("new_unit_name"):
            data["units"].append(
                self._unit_row(
                    cleaned["new_unit_name"], cleaned["new_unit_kind"], "new_unit_parent", names
                )
            )
        data["units"] = parents_first(data["units"])
        kept_names = set(names.values())
        data["positions"] = [
            position
            for position in data.get("positions", [])
            if not position.get("unit") or position["unit"] in kept_names
        ]
        for a, article in enumerate(data["articles"]):
            article["number"] = cleaned.get(f"article_{a}_number") or article["number"]
            article["heading"] = cleaned.get(f"article_{a}_heading", article.get("heading", ""))
            _assign(article, cleaned.get(f"article_{a}_unit"), names)
            for p, paragraph in enumerate(article.get("paragraphs", [])):
                _assign(paragraph, cleaned.get(f"paragraph_{a}_{p}_unit"), names)
                for i, item in enumerate(paragraph.get("items", [])):
                    prefix = f"item_{a}_{p}_{i}"
                    _assign(item, cleaned.get(f"{prefix}_unit"), names)
                    item["label"] = (cleaned.get(f"{prefix}_label") or "").strip().rstrip(")")
        if cleaned.get("range_article"):
            for a, p, i in self._range_items(cleaned):
                item = data["articles"][a]["paragraphs"][p]["items"][i]
                _assign(item, cleaned["range_unit"], names)
        self._split_and_merge(data)
        for article in data["articles"]:
            article["text"] = render_article_text(article)
        return data

    def _unit_row(self, name: str, kind: str, parent_field: str, names: dict) -> dict:
        parent = self.cleaned_data.get(parent_field) or ""
        if parent.startswith(EXISTING):
            return {"name": name, "kind": kind, "parent": None, "parent_unit": int(parent[4:])}
        return {"name": name, "kind": kind, "parent": names.get(parent)}

    def _split_and_merge(self, data: dict) -> None:
        cleaned = self.cleaned_data
        for a, article in enumerate(data["articles"]):
            for p, paragraph in enumerate(article.get("paragraphs", [])):
                result = []
                for i, item in enumerate(paragraph.get("items", [])):
                    prefix = f"item_{a}_{p}_{i}"
                    if cleaned.get(f"{prefix}_merge") and result:
                        above = result[-1]
                        above["text"] = f"{above['text']} {item['text']}".strip()
                        above["subitems"] = above.get("subitems", []) + item.get("subitems", [])
                        continue
                    marker = (cleaned.get(f"{prefix}_split") or "").strip()
                    if marker:
                        at = item["text"].find(marker)
                        second = {**copy.deepcopy(item), "label": "", "text": item["text"][at:]}
                        item["text"], item["subitems"] = item["text"][:at].strip(), []
                        result += [item, second]
                    else:
                        result.append(item)
                paragraph["items"] = result

    # for the template

    def unit_rows(self) -> list[dict]:
        duties = self._duty_counts()
        return [
            {
                "key": key,
                "name": self[f"unit_{key}_name"],
                "kind": self[f"unit_{key}_kind"],
                "parent": self[f"unit_{key}_parent"],
                "remove": self[f"unit_{key}_remove"],
                "duties": duties.get(unit["name"], 0),
            }
            for key, unit in zip(self.unit_keys, self.units, strict=True)
        ]

    def _duty_counts(self) -> dict[str, int]:
        return {name: len(duties) for name, duties in duties_by_unit(self.draft_data).items()}

    def article_rows(self) -> list[dict]:
        rows = []
        for a, article in enumerate(self.articles):
            paragraphs = []
            for p, paragraph in enumerate(article.get("paragraphs", [])):
                items = [
                    {
                        "item": item,
                        **{
                            name: self[f"item_{a}_{p}_{i}_{name}"]
                            for name in ("unit", "label", "split", "merge")
                            if f"item_{a}_{p}_{i}_{name}" in self.fields
                        },
                    }
                    for i, item in enumerate(paragraph.get("items", []))
                ]
                paragraphs.append(
                    {
                        "paragraph": paragraph,
                        "unit": self[f"paragraph_{a}_{p}_unit"],
                        "items": items,
                    }
                )
            names = [f"article_{a}_{name}" for name in ("number", "heading", "unit")]
            names += [
                name for name in self.fields if name.startswith((f"paragraph_{a}_", f"item_{a}_"))
            ]
            rows.append(
                {
                    "index": a,
                    "article": article,
                    "number": self[f"article_{a}_number"],
                    "heading": self[f"article_{a}_heading"],
                    "unit": self[f"article_{a}_unit"],
                    "paragraphs": paragraphs,
                    "paragraph_count": len(paragraphs),
                    "item_count": sum(len(row["items"]) for row in paragraphs),
                    "has_errors": any(name in self.errors for name in names),
                }
            )
        return rows


def _assign(row: dict, value: str | None, names: dict[str, str]) -> None:
    """A unit chosen for an article, paragraph or item; NOT_A_DUTY marks it as no duty."""
    row["duty"] = False if value == NOT_A_DUTY else None
    row["unit"] = names.get(value or "")


def parents_first(units: list[dict]) -> list[dict]:
    """The units with every parent before its children (the order they are created in), the
    draft's order kept otherwise. The form has already refused cycles."""
    placed: set[str] = set()
    ordered: list[dict] = []
    remaining = list(units)
    while remaining:
        ready = [u for u in remaining if not u["parent"] or u["parent"] in placed]
        for unit in ready or remaining:  # 'or remaining': never loop on a broken draft
            ordered.append(unit)
            placed.add(unit["name"])
        remaining = [u for u in remaining if u["name"] not in placed]
    return ordered
