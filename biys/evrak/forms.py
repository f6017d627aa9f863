"""The register form: a paper document with its scan, or an e-Yazışma package whose Üstveri
fills what the clerk leaves empty. It checks the shape of the input; the rules are the
services'."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.forms import MailboxPasswordForm
from biys.evrak.choices import Confidentiality, DisposalKind, RoutingKind, SenderKind, Urgency
from biys.evrak.models import (
    DocumentFile,
    EvrakMailbox,
    IncomingDocument,
    OutgoingDocument,
    RevocationList,
    SdpCode,
    TrustedCertificate,
)
from biys.org.models import Person, Unit
from biys.org.pickers import PersonMultipleChoiceField, UserChoiceField, UserMultipleChoiceField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterForm(forms.Form):
    package = forms.FileField(
        label=_("e-Yazışma package (.eyp)"),
        required=False,
        help_text=_(
            "The package is checked (schemas, digests) and refused with the reason if a check"
            " fails; empty fields below are filled from its Üstveri."
        ),
    )
    scan = forms.FileField(
        label=_("Scan of the paper document"),
        required=False,
        help_text=_("PDF or image."),
    )
    receiving_unit = forms.ModelChoiceField(queryset=Unit.objects.all(), label=_("Receiving unit"))
    sender_kind = forms.ChoiceField(
        choices=SenderKind.choices, label=_("Sender is a"), initial=SenderKind.INSTITUTION
    )
    sender_name = forms.CharField(label=_("Sender"), max_length=300, required=False)
    sender_detsis_no = forms.CharField(label=_("DETSİS number"), max_length=14, required=False)
    sender_vkn = forms.CharField(label=_("Tax number (VKN)"), max_length=10, required=False)
    sender_mersis_no = forms.CharField(label=_("MERSİS number"), max_length=16, required=False)
    sender_tc_kimlik_no = forms.CharField(
        label=_("TC kimlik number"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    sender_number = forms.CharField(
        label=_("Sender's number (sayı)"), max_length=100, required=False
    )
    sender_date = forms.DateField(label=_("Sender's date"), required=False, widget=DATE)
    subject = forms.CharField(label=_("Subject"), max_length=500, required=False)
    sdp_code = forms.ModelChoiceField(
        queryset=SdpCode.objects.filter(active=True), label=_("SDP code"), required=False
    )
    confidentiality = forms.ChoiceField(
        choices=[("", "—"), *Confidentiality.choices], label=_("Confidentiality"), required=False
    )
    urgency = forms.ChoiceField(
        choices=[("", "—"), *Urgency.choices], label=_("Urgency"), required=False
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DATE,
        help_text=_("Günlüdür only; a day that is not a working day moves to the next one."),
    )
    due_in_working_days = forms.IntegerField(
        label=_("or due in working days"), required=False, min_value=1, max_value=365
    )
    related = forms.ModelMultipleChoiceField(
        queryset=IncomingDocument.objects.all(),
        label=_("Related registered documents (ilgi)"),
        required=False,
    )
    reference_texts = forms.CharField(
        label=_("Other related documents (ilgi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: the institution, date and number (sayı) of the document."),
    )
    named_readers = UserMultipleChoiceField(
        queryset=get_user_model().objects.filter(is_active=True),
        label=_("Named readers"),
        required=False,
        help_text=_("Gizli and Çok Gizli documents are shown only to these people and you."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    mail = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean(self):
        data = super().clean()
        if data.get("package") and data.get("scan"):
            raise forms.ValidationError(_("Upload either a package or a scan, not both."))
        if not data.get("package"):
            for name in ("sender_name", "subject"):
                if not data.get(name):
                    self.add_error(name, _("This field is required."))
        return data

    def service_values(self) -> dict:
        """The fields as the service's keyword arguments (empty ones left out for a package)."""
        data = dict(self.cleaned_data)
        data.pop("package", None)
        data.pop("scan", None)
        data.pop("mail", None)
        data["reference_texts"] = [
            line.strip()
            for line in (data.get("reference_texts") or "").splitlines()
            if line.strip()
        ]
        data["related"] = list(data.get("related") or [])
        data["named_readers"] = list(data.get("named_readers") or [])
        return data


class SdpCodeForm(forms.ModelForm):
    class Meta:
        model = SdpCode
        fields = [
            "code",
            "title",
            "unit_retention_years",
            "archive_retention_years",
            "final_disposition",
            "active",
        ]


class TrustedCertificateForm(forms.ModelForm):
    """The name, notes and active flag of a trusted certificate (the certificate itself does
    not change: load another one)."""

    class Meta:
        model = TrustedCertificate
        fields = ["name", "active", "notes"]


class TrustedCertificateUploadForm(forms.ModelForm):
    """A certificate authority's certificate, from a PEM or DER file."""

    upload = forms.FileField(
        label=_("Certificate file"),
        help_text=_("The certificate authority's certificate, PEM (.pem, .crt) or DER (.cer)."),
    )

    class Meta:
        model = TrustedCertificate
        fields = ["upload", "name", "active", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Empty: the certificate's subject.")


class RevocationListUploadForm(forms.ModelForm):
    """A certificate revocation list (PEM or DER) for a certificate authority of the trust
    store; the service checks the authority's key signed it."""

    authority = forms.ModelChoiceField(
        queryset=TrustedCertificate.objects.order_by("name", "pk"),
        label=_("Certificate authority"),
    )
    upload = forms.FileField(
        label=_("CRL file"),
        help_text=_(
            "The authority's certificate revocation list, PEM (.pem, .crl) or DER (.crl); it"
            " replaces the authority's previous one."
        ),
    )

    field_order = ["authority", "upload", "url"]

    class Meta:
        model = RevocationList
        fields = ["url"]  # the authority is the service's to set (it may replace its CRL)


class RevocationListForm(forms.ModelForm):
    """The address the authority's next CRL is fetched from (the list itself does not change:
    load a newer one)."""

    class Meta:
        model = RevocationList
        fields = ["url"]


class EvrakMailboxForm(MailboxPasswordForm):
    """The IMAP password and the SMTP password are never sent back to the browser; leaving
    either blank keeps it (the SMTP one may stay empty: the IMAP password is used). The admin
    site's form and the product page's (``EvrakMailboxPageForm``)."""

    smtp_password = forms.CharField(
        label=_("SMTP password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_("Empty: the IMAP password. Leave blank to keep the current one."),
    )

    class Meta:
        model = EvrakMailbox
        fields = [
            "name", "kind", "host", "port", "use_ssl", "username", "password", "folder",
            "receiving_unit", "is_active", "address", "smtp_host", "smtp_port", "smtp_security",
            "smtp_username", "smtp_password",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["smtp_password"] = ""

    def clean_smtp_password(self) -> str:
        password = self.cleaned_data.get("smtp_password", "")
        if not password and self.instance.pk:
            stored = EvrakMailbox._default_manager.values_list("smtp_password", flat=True)
            return stored.get(pk=self.instance.pk)
        return password

    def clean(self):
        data = super().clean()
        if data.get("smtp_host") and data.get("kind") != "kep":
            self.add_error("smtp_host", _("Only a KEP mailbox sends documents."))
        if data.get("smtp_host") and not (
            data.get("address") or "@" in (data.get("username") or "")
        ):
            self.add_error("address", _("Give the KEP address documents are sent from."))
        return data


class EvrakMailboxPageForm(EvrakMailboxForm):
    """The product page's form: the passwords as typed (``typed_passwords``: empty keeps the
    stored one) go to ``services.save_mailbox``, which decides what is kept."""

    def clean_password(self) -> str:
        self.typed_password = self.cleaned_data.get("password", "")
        return super().clean_password()

    def clean_smtp_password(self) -> str:
        self.typed_smtp_password = self.cleaned_data.get("smtp_password", "")
        return super().clean_smtp_password()

    def typed_passwords(self) -> dict:
        return {
            "password": getattr(self, "typed_password", ""),
            "smtp_password": getattr(self, "typed_smtp_password", ""),
        }


class SignatureUploadForm(forms.Form):
    signature = forms.FileField(
        label=_("Signature file"),
        help_text=_(
            "The detached CAdES signature (.p7s, DER or base64) over the content of the"
            " signature request."
        ),
    )


def active_users():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def unit_users(unit):
    """The active logins of the people of ``unit`` and its sub-units; everyone active when the
    unit has no linked logins."""
    users = active_users().filter(person__unit__path__startswith=unit.path)
    return users if users.exists() else active_users()


class RouteDocumentForm(forms.Form):
    """The clerk's havale: a unit, for action or information, an instruction and a due date."""

    unit = forms.ModelChoiceField(
        queryset=Unit.objects.order_by("path"), label=pgettext_lazy("routing", "Unit")
    )
    kind = forms.ChoiceField(
        choices=RoutingKind.choices, label=_("Routed for"), initial=RoutingKind.ACTION
    )
    assignee = UserChoiceField(
        queryset=active_users(),
        label=_("Person (for a confidential document)"),
        required=False,
        help_text=_("A Gizli or Çok Gizli document is routed to a named person only."),
    )
    instruction = forms.CharField(
        label=_("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_in_working_days = forms.IntegerField(
        label=_("Due in working days"), min_value=1, max_value=365, required=False
    )
    due_date = forms.DateField(label=_("Or a due date"), widget=DATE, required=False)


class RouteOnForm(forms.Form):
    assignee = UserChoiceField(queryset=active_users(), label=pgettext_lazy("routing", "Person"))
    instruction = forms.CharField(
        label=_("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseRoutingForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    reply = forms.ModelChoiceField(
        queryset=OutgoingDocument.objects.none(),
        label=_("Reply"),
        required=False,
        help_text=_("A signed outgoing document that cites this one in its ilgi."),
    )
    reply_number = forms.CharField(
        label=_("Reply's number (if answered in another system)"), max_length=60, required=False
    )

    def __init__(self, *args, replies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if replies is not None:
            self.fields["reply"].queryset = replies


class MailPackageForm(forms.Form):
    """Import the e-Yazışma package of a received message for a unit."""

    receiving_unit = forms.ModelChoiceField(queryset=Unit.objects.all(), label=_("Receiving unit"))


RECIPIENTS_HELP = format_lazy(
    "{} {}",
    _(
        "One recipient a line: the name, then after | its number: the DETSİS number of a public"
        " institution, the VKN or MERSİS number of a company, the TC kimlik number of a person."
        " A company or a person without a number: the name | company, or the name | person."
        " Choose the units of the municipality in the list below (a line with a unit's exact"
        " name alone is taken as that unit)."
    ),
    _("A KEP address to send it to may follow: | kurum@hs01.kep.tr."),
)
UNITS_HELP = _("The units of the municipality it goes to; each line is named after its unit.")


class OutgoingDocumentForm(forms.ModelForm):
    """The draft of an outgoing document: its content, the distribution list (one recipient a
    line, ``name`` or ``name | DETSİS no``), the ilgi lines and an attachment. The rules are the
    service's (``biys.evrak.outgoing_services``)."""

    action_recipients = forms.CharField(
        label=_("For action (gereği)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=RECIPIENTS_HELP,
    )
    action_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        label=_("Units of the municipality for action (gereği)"),
        required=False,
        help_text=UNITS_HELP,
    )
    info_recipients = forms.CharField(
        label=_("For information (bilgi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=RECIPIENTS_HELP,
    )
    info_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        label=_("Units of the municipality for information (bilgi)"),
        required=False,
        help_text=UNITS_HELP,
    )
    related_incoming = forms.ModelMultipleChoiceField(
        queryset=IncomingDocument.objects.all(),
        label=_("Related incoming documents (ilgi)"),
        required=False,
    )
    related_outgoing = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Related outgoing documents (ilgi)"),
        required=False,
    )
    reference_texts = forms.CharField(
        label=_("Other related documents (ilgi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: the institution, date and number (sayı) of the document."),
    )
    attachment = forms.FileField(label=_("Attachment (ek)"), required=False)

    class Meta:
        from biys.evrak.models import OutgoingDocument

        model = OutgoingDocument
        fields = [
            "unit", "subject", "sdp_code", "confidentiality", "urgency", "due_date", "body",
            "signer", "signer_title", "notes",
        ]  # fmt: skip
        field_classes = {"signer": UserChoiceField}
        widgets = {
            "due_date": DATE,
            "body": forms.Textarea(attrs={"rows": 10}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        from biys.evrak.choices import DistributionKind
        from biys.evrak.models import OutgoingDocument

        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = active_users()
        self.fields["sdp_code"].queryset = SdpCode.objects.filter(active=True)
        others = OutgoingDocument.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["related_outgoing"].queryset = others
        from biys.evrak.selectors import recipient_unit_choices

        for name in ("action_units", "info_units"):
            self.fields[name].queryset = recipient_unit_choices(self.instance)
        if self.instance.pk and not self.is_bound:
            from biys.evrak.outgoing_services import distribution_text

            lines = list(self.instance.distribution.all())
            typed = [line for line in lines if line.unit_id is None]
            for name, units, kind in (
                ("action_recipients", "action_units", DistributionKind.ACTION),
                ("info_recipients", "info_units", DistributionKind.INFO),
            ):
                self.initial[name] = distribution_text(typed, kind, masked=True)
                self.initial[units] = [
                    line.unit_id for line in lines if line.unit_id and line.kind == kind
                ]
            refs = list(self.instance.references.all())
            self.initial["related_incoming"] = [r.incoming_id for r in refs if r.incoming_id]
            self.initial["related_outgoing"] = [r.outgoing_id for r in refs if r.outgoing_id]
            self.initial["reference_texts"] = "\n".join(r.text for r in refs if r.text)

    def service_values(self) -> dict:
        from biys.evrak.choices import DistributionKind
        from biys.evrak.outgoing_services import parse_distribution

        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        for name in ("subject", "body", "notes", "signer_title", "confidentiality", "urgency"):
            data[name] = data[name] or ""
        known = list(self.instance.distribution.all()) if self.instance.pk else []
        lines = []
        for text, units, kind in (
            ("action_recipients", "action_units", DistributionKind.ACTION),
            ("info_recipients", "info_units", DistributionKind.INFO),
        ):
            lines += parse_distribution(self.cleaned_data.get(text), kind, known=known)
            lines += [
                {"kind": kind, "name": unit.name, "unit": unit}
                for unit in self.cleaned_data.get(units) or ()
            ]
        data["distribution"] = in_known_order(lines, known)
        data["related_incoming"] = list(self.cleaned_data.get("related_incoming") or [])
        data["related_outgoing"] = list(self.cleaned_data.get("related_outgoing") or [])
        data["reference_texts"] = [
            line.strip()
            for line in (self.cleaned_data.get("reference_texts") or "").splitlines()
            if line.strip()
        ]
        upload = self.cleaned_data.get("attachment")
        data["attachments"] = [upload] if upload else []
        return data


def in_known_order(lines: list[dict], known) -> list[dict]:
    """The form's lines (typed ones, then the units chosen) in the order the document's lines
    had: saving an unchanged form keeps the distribution as it was (a change would send a
    document in approval back)."""

    def position(line: dict) -> int:
        unit = line.get("unit")
        for index, old in enumerate(known):
            if old.kind != line["kind"]:
                continue
            if unit is not None and old.unit_id == unit.pk:
                return index
            if unit is None and old.unit_id is None and old.name == line["name"]:
                return index
        return len(known)

    return sorted(lines, key=position)


class ParafField(UserChoiceField):
    """A person on the approval path, offered from those who may initial the document; anyone
    else is refused at the field with the reason (``selectors.paraf_refusal``), not Django's
    "not one of the available choices"."""

    document = None

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            from biys.evrak.selectors import paraf_refusal

            key = str(value).strip()
            person = active_users().filter(pk=key).first() if key.isdigit() else None
            refusal = (
                person and self.document and paraf_refusal(person=person, document=self.document)
            )
            if refusal:
                raise forms.ValidationError(refusal, code="paraf_refused") from None
            raise


class SubmitForApprovalForm(forms.Form):
    """The approval path: up to three people who initial (paraf) in this order before the
    signer signs, chosen from those who may initial the document
    (``selectors.paraf_choices``; anyone else is refused at the field with the reason, and by
    the service too)."""

    first = ParafField(queryset=active_users(), label=_("1st paraf"), required=False)
    second = ParafField(queryset=active_users(), label=_("2nd paraf"), required=False)
    third = ParafField(queryset=active_users(), label=_("3rd paraf"), required=False)

    def __init__(self, *args, document, **kwargs):
        from biys.evrak.selectors import paraf_choices

        super().__init__(*args, **kwargs)
        choices = paraf_choices(document)
        for field in self.fields.values():
            field.queryset = choices
            field.document = document
            field.widget.attrs["class"] = "form-select"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def path(self) -> list:
        return [
            self.cleaned_data[name]
            for name in ("first", "second", "third")
            if self.cleaned_data.get(name)
        ]


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Why it goes back"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        max_length=2000,
    )


class DisposalDecisionForm(forms.Form):
    """The commission's decision on the files due at a year-end (``services.approve_disposal``
    checks the rules)."""

    kind = forms.ChoiceField(choices=DisposalKind.choices, widget=forms.HiddenInput)
    year = forms.IntegerField(min_value=1900, max_value=9999, widget=forms.HiddenInput)
    files = forms.ModelMultipleChoiceField(
        queryset=DocumentFile.objects.all(), widget=forms.MultipleHiddenInput
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE)
    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    members = PersonMultipleChoiceField(
        label=_("Commission members"),
        queryset=Person.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput | forms.MultipleHiddenInput):
                field.widget.attrs.setdefault("class", "form-control")


class HandoverForm(forms.Form):
    """The day the State Archives took over a hand-over list's material
    (``services.complete_handover`` checks it)."""

    handed_over_on = forms.DateField(
        label=_("Handed over on"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


class GrantForm(forms.Form):
    """Grant one person the reading of a confidential document, with the reason."""

    user = UserChoiceField(
        queryset=active_users(),
        label=pgettext_lazy("grant", "Person"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class RevokeGrantForm(forms.Form):
    grant = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class DispatchForm(forms.Form):
    """How a signed outgoing document went to one recipient, and when."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(label=_("Sent by"), choices=())
    dispatched_at = forms.DateTimeField(
        label=_("Sent"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now."),
    )

    def __init__(self, *args, **kwargs):
        from biys.evrak.choices import DispatchChannel

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = DispatchChannel.choices


class DispatchListForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)


class SigningRuleForm(forms.ModelForm):
    """A signing authority (imza yetkisi): saved through ``outgoing_services.save_signing_rule``."""

    class Meta:
        from biys.evrak.models import SigningRule

        model = SigningRule
        fields = ["name", "confidentiality", "recipients", "level", "active", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
