"""Forms of the service desk pages. They only collect input: the rules live in services.py."""

from django import forms
from django.core.signals import setting_changed
from django.forms import inlineformset_factory
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from biys.accounts.models import User
from biys.org.models import Person, Unit
from biys.org.pickers import PersonChoiceField
from biys.servicedesk.choices import HoldReason, Level
from biys.servicedesk.models import CatalogItem, KnowledgeArticle, Queue, SLATarget, Ticket

EXTRA_PREFIX = "f_"
LEVEL_CHOICES = [("", _("Default of the service")), *Level.choices]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more uploaded files (screenshots); each is checked by the attachments service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.txt"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _choice_pairs(choices) -> list[tuple[str, str]]:
    pairs = []
    for choice in choices or []:
        if isinstance(choice, list | tuple) and len(choice) == 2:
            pairs.append((str(choice[0]), str(choice[1])))
        elif isinstance(choice, dict):
            value = str(choice.get("value", choice.get("label", "")))
            pairs.append((value, str(choice.get("label", value))))
        else:
            pairs.append((str(choice), str(choice)))
    return pairs


def extra_form_field(spec: dict) -> forms.Field | None:
    """A Django form field for one of a catalogue item's ``form_fields`` entries."""
    kind = spec.get("type", "text")
    common = {
        "label": spec.get("label") or spec.get("name"),
        "required": bool(spec.get("required")),
    }
    if spec.get("help"):
        common["help_text"] = spec["help"]
    if kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if kind == "choice":
        pairs = _choice_pairs(spec.get("choices"))
        return forms.ChoiceField(choices=[("", "—"), *pairs], **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "number":
        return forms.IntegerField(min_value=1, max_value=100_000, **common)
    return forms.CharField(max_length=500, **common)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("What do you need?"), required=False, max_length=200)


class TicketCreateForm(forms.Form):
    """A requester's ticket for one catalogue item: the item's own fields, contact prefilled."""

    title = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened, since when, any error message on the screen."),
    )
    asset_reference = forms.CharField(
        label=_("Device inventory number"),
        max_length=100,
        required=False,
        help_text=_("The number on the inventory label of the device (demirbaş no)."),
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    location = forms.CharField(
        label=_("Location"), max_length=200, required=False, help_text=_("Building, floor, room.")
    )
    attachments = MultipleFileField(
        label=_("Screenshots or files"),
        help_text=_("You may choose several files."),
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"), choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False
    )

    # One per rendered form: filing the same form twice (back, submit again) finds the first
    # ticket instead of making a second one.
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    confirm_duplicate = forms.BooleanField(
        label=_("Yes, file another request with the same subject"), required=False
    )

    basic_fields = ("title", "description")
    contact_fields = ("asset_reference", "contact_phone", "location", "attachments")
    advanced_fields = ("impact", "urgency")

    def __init__(self, *args, catalog_item: CatalogItem, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalog_item = catalog_item
        if person is not None:
            self.fields["contact_phone"].initial = person.work_phone or person.mobile_phone
            self.fields["location"].initial = person.location
        if not catalog_item.requires_asset:
            del self.fields["asset_reference"]
        self.extra_names = []
        for spec in catalog_item.form_fields or []:
            if not isinstance(spec, dict) or not spec.get("name"):
                continue
            field = extra_form_field(spec)
            name = f"{EXTRA_PREFIX}{spec['name']}"
            self.fields[name] = field
            self.extra_names.append(name)

    def _group(self, names):
        return [self[name] for name in names if name in self.fields]

    @property
    def basic(self):
        return self._group(self.basic_fields)

    @property
    def extra(self):
        return self._group(self.extra_names)

    @property
    def contact(self):
        return self._group(self.contact_fields)

    @property
    def advanced(self):
        return self._group(self.advanced_fields)

    def form_data(self) -> dict:
        data = {}
        for name in self.extra_names:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            data[name[len(EXTRA_PREFIX) :]] = (
                value.isoformat() if hasattr(value, "isoformat") else value
            )
        return data

    def field_for_error(self, key: str) -> str | None:
        """The form field a service error keyed ``key`` belongs to (None: the whole form)."""
        if key in self.fields:
            return key
        if f"{EXTRA_PREFIX}{key}" in self.fields:
            return f"{EXTRA_PREFIX}{key}"
        return None


class PhoneIntakeForm(forms.Form):
    """A technician files a ticket for a caller: find the person, pick the item, describe."""

    requester = PersonChoiceField(
        label=_("Caller"),
        queryset=Person.objects.select_related("unit"),
        widget=forms.HiddenInput,
        error_messages={"required": _("Find the caller and choose them from the list.")},
    )
    catalog_item = forms.ModelChoiceField(
        label=_("Service"), queryset=CatalogItem.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    asset_reference = forms.CharField(
        label=_("Device inventory number"), max_length=100, required=False
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to use the caller's phone from the staff records."),
    )
    location = forms.CharField(
        label=_("Location"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the caller's location from the staff records."),
    )

    def field_for_error(self, key: str) -> str | None:
        return key if key in self.fields else None


# --------------------------------------------------------------------------- ticket actions


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


_kept_forms: dict = {}


class KeptWhenUnbound:
    """A form whose fields all come from code (labels, widgets, no choices from the database)
    is the same HTML on every page while unbound: rendered once per class, prefix and language
    and kept (the reply form cost the ticket page about 1,300 Python calls a render)."""

    def render(self, template_name=None, context=None, renderer=None):
        if self.is_bound or self.initial or template_name or context or renderer:
            return super().render(template_name, context, renderer)
        key = (type(self), self.prefix, self.auto_id, get_language())
        html = _kept_forms.get(key)
        if html is None:
            html = _kept_forms[key] = super().render()
        return html

    __str__ = render  # as Django's RenderableMixin binds them, to its own render
    __html__ = render


def _forget_kept_forms(**kwargs) -> None:
    _kept_forms.clear()


setting_changed.connect(_forget_kept_forms, dispatch_uid="biys.servicedesk.forms.kept")


class RequesterReplyForm(KeptWhenUnbound, forms.Form):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Files"))


class ReplyForm(RequesterReplyForm):
    internal = forms.BooleanField(
        label=_("Internal note (not shown to the requester, nor its files)"), required=False
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none())

    def __init__(self, *args, ticket: Ticket | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users(ticket)


def assignable_users(ticket: Ticket | None):
    """Active users who work in the ticket's responsible unit (or its queue's members)."""
    users = User.objects.filter(is_active=True).select_related("person")
    if ticket is None:
        return users.none()
    unit = ticket.responsible_unit
    # Holders over the unit itself or over an ancestor (the path lists the ancestors' ids).
    unit_ids = [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]
    return (
        users.filter(
            role_assignments__unit_id__in=unit_ids,
            role_assignments__role__permissions__codename="view_ticket",
            role_assignments__role__permissions__content_type__app_label="servicedesk",
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def units_in_tree_order(units) -> list[Unit]:
    """Units sorted as the tree reads: each unit right after its parent, siblings by order and
    Turkish name (a path of ids sorts by creation, not by the tree)."""
    units = list(units)
    by_id = {unit.pk: unit for unit in units}

    def key(unit):
        ids = [int(part) for part in unit.path.strip("/").split("/") if part] or [unit.pk]
        return [(by_id[pk].order, by_id[pk].sort_name, pk) for pk in ids if pk in by_id]

    return sorted(units, key=key)


class UnitTreeChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = units_in_tree_order(self.queryset)
        top = min((unit.depth for unit in units), default=0)
        for unit in units:
            yield (
                self.choice(unit)[0],
                "\u00a0\u00a0\u00a0\u00a0" * (unit.depth - top) + unit.name,
            )


class UnitTreeChoiceField(forms.ModelChoiceField):
    """A unit from a tree, each indented under its parent."""

    iterator = UnitTreeChoiceIterator


class TransferForm(forms.Form):
    unit = UnitTreeChoiceField(
        label=_("To unit"),
        queryset=Unit.objects.filter(is_active=True, is_it_department=True),
        help_text=_(
            "Only units of the IT department are listed: tickets are worked on by IT units. "
            "If another department must act, say so in a reply to the requester."
        ),
        error_messages={
            "invalid_choice": _("Tickets can be transferred only to units of the IT department.")
        },
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class HoldForm(forms.Form):
    reason = forms.ChoiceField(label=_("Waiting for"), choices=HoldReason.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TimeForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the requester."),
    )
    knowledge_article = forms.ModelChoiceField(
        label=_("Knowledge article"), queryset=KnowledgeArticle.objects.all(), required=False
    )


class TicketNumberField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return value.strip().upper() if value else value


class MergeForm(forms.Form):
    into = TicketNumberField(
        label=_("Merge into ticket number"), max_length=30, help_text=_("e.g. ARZ-2025-000123")
    )


class ParentForm(forms.Form):
    parent = TicketNumberField(
        label=_("Parent ticket number"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to remove the parent."),
    )


class SupplierForm(forms.Form):
    case_number = forms.CharField(label=_("Supplier case number"), max_length=100)


class FieldVisitForm(forms.Form):
    technician = forms.ModelChoiceField(label=_("Technician"), queryset=User.objects.none())
    start = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    end = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, ticket: Ticket | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = assignable_users(ticket)
        if ticket is not None:
            self.fields["location"].initial = ticket.location

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The visit must end after it starts."))
        return data


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApprovalForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject."),
    )


class EmptyForm(forms.Form):
    pass


# --------------------------------------------------------------------------- settings pages


class CatalogItemForm(forms.ModelForm):
    class Meta:
        model = CatalogItem
        fields = [
            "name",
            "kind",
            "description",
            "unit",
            "duty",
            "keywords",
            "form_fields",
            "requires_approval",
            "requires_asset",
            "default_impact",
            "default_urgency",
            "round_the_clock",
            "order",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "keywords": forms.Textarea(attrs={"rows": 2}),
            "form_fields": forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")
        self.fields["duty"].queryset = self.fields["duty"].queryset.select_related("unit")

    def clean_form_fields(self):
        value = self.cleaned_data.get("form_fields") or []
        if not isinstance(value, list):
            raise forms.ValidationError(_("Write a list of fields."))
        kinds = {"text", "textarea", "choice", "date", "number"}
        for spec in value:
            if not isinstance(spec, dict) or not spec.get("name"):
                raise forms.ValidationError(_("Every field needs a name."))
            if spec.get("type", "text") not in kinds:
                raise forms.ValidationError(
                    _("Unknown field type %(type)s: use text, textarea, choice, date or number.")
                    % {"type": spec.get("type")}
                )
        return value


SLATargetFormSet = inlineformset_factory(
    CatalogItem,
    SLATarget,
    fields=["priority", "first_response_minutes", "resolution_minutes", "warn_before_percent"],
    extra=1,
    can_delete=True,
)


class KnowledgeArticleForm(forms.ModelForm):
    class Meta:
        model = KnowledgeArticle
        fields = ["title", "unit", "body", "is_public", "catalog_items", "keywords"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "keywords": forms.Textarea(attrs={"rows": 2}),
        }


class QueueForm(forms.ModelForm):
    class Meta:
        model = Queue
        fields = [
            "unit",
            "include_subtree",
            "assignment_rule",
            "members",
            "auto_close_working_days",
            "reopen_working_days",
        ]
