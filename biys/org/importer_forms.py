"""Forms of the regulation importer: the upload, and the review of a draft before it is confirmed."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from biys.accounts.scope import ALL, get_scope
from biys.core.text import fold
from biys.org.choices import UnitKind
from biys.org.importer_duties import duties_by_unit
from biys.org.importer_files import ACCEPTED_EXTENSIONS, extract_text
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

NOT_A_DUTY = ""


class DraftReviewForm(forms.Form):
    """The whole draft on one form. Units are keyed by their position in the draft, so that a
    renamed unit keeps its articles; names are written back into the draft when it is saved."""

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

    def __init__(self, *args, draft_data: dict, **kwargs):
        self.draft_data = draft_data
        self.units = draft_data.get("units", [])
        self.articles = draft_data.get("articles", [])
        self.unit_keys = [str(index) for index in range(len(self.units))]
        self.key_by_name = {}
        for key, unit in zip(self.unit_keys, self.units, strict=True):
            self.key_by_name.setdefault(unit["name"], key)
        super().__init__(*args, initial=self._initial(), **kwargs)
        self._add_unit_fields()
        self._add_assignment_fields()

    # fields

    def _unit_choices(self, exclude: str | None = None) -> list[tuple[str, str]]:
        return [
            (key, unit["name"])
            for key, unit in zip(self.unit_keys, self.units, strict=True)
            if key != exclude
        ]

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
                choices=[("", _("— none (top unit) —")), *self._unit_choices(exclude=key)],
                required=False,
                initial=self.key_by_name.get(unit.get("parent"), ""),
            )
            self.fields[f"unit_{key}_remove"] = forms.BooleanField(
                label=_("Remove"), required=False
            )
        self.fields["new_unit_parent"] = forms.ChoiceField(
            label=_("Parent unit"),
            choices=[("", _("— none (top unit) —")), *self._unit_choices()],
            required=False,
        )

    def _add_assignment_fields(self) -> None:
        choices = self._unit_choices()
        for a, article in enumerate(self.articles):
            self.fields[f"article_{a}_unit"] = forms.ChoiceField(
                label=_("Responsible unit of MADDE %(number)s") % {"number": article["number"]},
                choices=[(NOT_A_DUTY, _("— not a duty article —")), *choices],
                required=False,
                initial=self.key_by_name.get(article.get("unit"), NOT_A_DUTY),
            )
            for p, paragraph in enumerate(article.get("paragraphs", [])):
                if not paragraph.get("items"):
                    continue
                self.fields[f"paragraph_{a}_{p}_unit"] = forms.ChoiceField(
                    label=_("Unit of paragraph %(number)s")
                    % {"number": paragraph.get("number") or p + 1},
                    choices=[("", _("— as the article —")), *choices],
                    required=False,
                    initial=self.key_by_name.get(paragraph.get("unit"), ""),
                )
                for i, item in enumerate(paragraph["items"]):
                    self.fields[f"item_{a}_{p}_{i}_unit"] = forms.ChoiceField(
                        label=_("Unit of item %(label)s") % {"label": item.get("label") or i + 1},
                        choices=[("", _("— as the paragraph —")), *choices],
                        required=False,
                        initial=self.key_by_name.get(item.get("unit"), ""),
                    )

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
        assignments = [f for f in self.fields if f.startswith(("article_", "paragraph_", "item_"))]
        for field_name in assignments:
            if cleaned.get(field_name) in removed:
                self.add_error(field_name, _("This unit is being removed; choose another one."))

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
            {
                "name": names[key],
                "kind": cleaned[f"unit_{key}_kind"],
                "parent": names.get(cleaned.get(f"unit_{key}_parent") or ""),
            }
            for key in self.unit_keys
            if key in names
        ]
        if cleaned.get("new_unit_name"):
            data["units"].append(
                {
                    "name": cleaned["new_unit_name"],
                    "kind": cleaned["new_unit_kind"],
                    "parent": names.get(cleaned.get("new_unit_parent") or ""),
                }
            )
        data["units"] = parents_first(data["units"])
        for a, article in enumerate(data["articles"]):
            article["unit"] = names.get(cleaned.get(f"article_{a}_unit") or "")
            for p, paragraph in enumerate(article.get("paragraphs", [])):
                if not paragraph.get("items"):
                    continue
                paragraph["unit"] = names.get(cleaned.get(f"paragraph_{a}_{p}_unit") or "")
                for i, item in enumerate(paragraph["items"]):
                    item["unit"] = names.get(cleaned.get(f"item_{a}_{p}_{i}_unit") or "")
        return data

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
                    {"item": item, "unit": self[f"item_{a}_{p}_{i}_unit"]}
                    for i, item in enumerate(paragraph.get("items", []))
                ]
                unit = self[f"paragraph_{a}_{p}_unit"] if items else None
                paragraphs.append({"paragraph": paragraph, "unit": unit, "items": items})
            fields = [self[f"article_{a}_unit"]] + [
                bound for row in paragraphs for bound in [row["unit"]] if bound is not None
            ]
            fields += [item["unit"] for row in paragraphs for item in row["items"]]
            rows.append(
                {
                    "index": a,
                    "article": article,
                    "unit": self[f"article_{a}_unit"],
                    "paragraphs": paragraphs,
                    "paragraph_count": len(paragraphs),
                    "item_count": sum(len(row["items"]) for row in paragraphs),
                    "has_errors": any(bound.errors for bound in fields),
                }
            )
        return rows


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
