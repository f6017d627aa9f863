"""Forms of the findings screens. They check the shape of the input; the rules (who may do
what in which unit, dates, states) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.org.models import Unit
from biys.secops.choices import Classification, Format, IndicatorKind, Severity
from biys.secops.models import Breach, Incident, NotificationRule, PenTest, RemediationTarget

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScanImportForm(forms.Form):
    file = forms.FileField(
        label=_("Scanner report"),
        help_text=_(
            "OpenVAS/Greenbone XML, Nessus (.nessus), Trivy JSON or Nuclei JSON/JSONL. A file"
            " that cannot be read is refused with the reason and nothing is imported; a large"
            " one is imported in the background."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Recognise from the file")), *Format.choices],
        required=False,
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.all(),
        label=_("Responsible unit"),
        help_text=_("Responsible for the findings whose asset the register does not know."),
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance


class FindingActionForm(forms.Form):
    """A lifecycle step: the reason (required by some steps) and, to accept a risk, its end."""

    note = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    until = forms.DateField(label=_("Risk accepted until"), required=False, widget=DATE)

    def __init__(self, *args, action: str = "", **kwargs):
        from biys.secops.services import TRANSITIONS

        super().__init__(*args, **kwargs)
        if action != "accept_risk":
            del self.fields["until"]
        step = TRANSITIONS.get(action)
        if step is not None and step.note_required:
            self.fields["note"].required = True
        elif step is not None:
            del self.fields["note"]  # a step without a reason is one button


class RemediationTargetForm(forms.ModelForm):
    class Meta:
        model = RemediationTarget
        fields = ["days"]


# Incidents ---------------------------------------------------------------------------------

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IncidentForm(forms.ModelForm):
    """The incident's record; saved through ``services.create_incident`` / ``update_incident``."""

    ticket_number = forms.CharField(
        label=_("Service-desk ticket number"),
        required=False,
        help_text=_("The ticket the monitoring alert became."),
    )

    class Meta:
        model = Incident
        fields = [
            "title", "unit", "source", "ticket_number", "source_reference", "detected_at",
            "classification", "severity", "personal_data", "affected_units", "affected_assets",
            "description", "containment", "recovery", "lessons", "named_people",
        ]  # fmt: skip
        widgets = {
            "detected_at": DATETIME,
            "affected_assets": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "containment": forms.Textarea(attrs={"rows": 3}),
            "recovery": forms.Textarea(attrs={"rows": 3}),
            "lessons": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["detected_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S",
                                                    "%Y-%m-%d %H:%M"]  # fmt: skip
        if self.instance.pk:
            if self.instance.ticket_id and not self.is_bound:
                self.initial["ticket_number"] = self.instance.ticket.number
        else:
            for name in ("containment", "recovery", "lessons"):
                del self.fields[name]

    def clean_ticket_number(self):
        from django.apps import apps

        number = (self.cleaned_data.get("ticket_number") or "").strip()
        self.ticket = None
        if number:
            ticket_model = apps.get_model("servicedesk", "Ticket")
            self.ticket = ticket_model.objects.filter(number=number).first()
            if self.ticket is None:
                raise forms.ValidationError(_("No ticket has this number."))
        return number


class IncidentStepForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IncidentEventForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("Time"),
        required=False,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Now, when left empty."),
    )
    text = forms.CharField(label=_("Event"), widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IndicatorKind.choices)
    value = forms.CharField(label=_("Value"), max_length=500)


class NotificationForm(forms.Form):
    rule = forms.ModelChoiceField(queryset=NotificationRule.objects.all(), label=_("Notification"))
    sent_at = forms.DateTimeField(
        label=_("Sent at"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    reference = forms.CharField(
        label=pgettext_lazy("notification", "Reference"), required=False, max_length=200
    )
    content = forms.CharField(label=_("What was sent"), widget=forms.Textarea(attrs={"rows": 2}))


class IncidentTaskForm(forms.Form):
    """A responder's task (``services.add_task``): the assignee is offered among the SOME and
    the incident's named people; the service checks that they may see the incident."""

    title = forms.CharField(label=pgettext_lazy("incident task", "Task"), max_length=300)
    assignee = forms.ModelChoiceField(
        queryset=None, label=pgettext_lazy("incident task", "Assignee"), required=False
    )
    due = forms.DateTimeField(
        label=pgettext_lazy("incident task", "Due"),
        required=False,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, incident=None, **kwargs):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        super().__init__(*args, **kwargs)
        people = Q(role_assignments__role__slug__in=("some_member", "some_lead"))
        if incident is not None and incident.pk:
            people |= Q(pk__in=incident.named_people.values("pk"))
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(people, is_active=True)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )


class TaskStepForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("incident task", "Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))
    description = forms.CharField(label=_("Description"), required=False, max_length=500)


class EscalateForm(forms.Form):
    ticket_number = forms.CharField(label=_("Service-desk ticket number"))
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), label=_("Responsible unit"))
    classification = forms.ChoiceField(label=_("Classification"), choices=Classification.choices)
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=Severity.choices, coerce=int, initial=Severity.HIGH
    )
    personal_data = forms.BooleanField(label=_("Personal data involved"), required=False)

    def clean_ticket_number(self):
        from django.apps import apps

        number = self.cleaned_data["ticket_number"].strip()
        self.ticket = apps.get_model("servicedesk", "Ticket").objects.filter(number=number).first()
        if self.ticket is None:
            raise forms.ValidationError(_("No ticket has this number."))
        return number


class NotificationRuleForm(forms.ModelForm):
    class Meta:
        model = NotificationRule
        fields = ["authority", "name", "hours", "applies_when", "source", "active"]


class BreachForm(forms.ModelForm):
    """The breach record of an incident; saved through ``services.record_breach`` /
    ``update_breach`` (the incident comes from the address, never from the form)."""

    class Meta:
        model = Breach
        fields = [
            "data_categories", "subject_groups", "subjects_affected", "records_affected",
            "consequences", "measures", "late_reason", "subjects_notified_at",
            "subjects_notification",
        ]  # fmt: skip
        widgets = {
            "data_categories": forms.Textarea(attrs={"rows": 2}),
            "subject_groups": forms.Textarea(attrs={"rows": 2}),
            "consequences": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "late_reason": forms.Textarea(attrs={"rows": 2}),
            "subjects_notified_at": DATETIME,
            "subjects_notification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects_notified_at"].input_formats = [
            "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
        ]  # fmt: skip


class BoardNotificationForm(forms.Form):
    """What was sent to the KVKK Board (a notification of the incident under its rule)."""

    sent_at = forms.DateTimeField(
        label=_("Sent at"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    reference = forms.CharField(
        label=pgettext_lazy("notification", "Reference"), required=False, max_length=200
    )
    content = forms.CharField(label=_("What was sent"), widget=forms.Textarea(attrs={"rows": 2}))


# Penetration tests -------------------------------------------------------------------------


class PenTestForm(forms.ModelForm):
    """A penetration test's record; saved through ``services.create_pentest`` /
    ``update_pentest`` (the report file is stored with its SHA-256)."""

    report_file = forms.FileField(
        label=_("Report file"),
        required=False,
        help_text=_("The tester's report (PDF or document), kept as it is with its SHA-256."),
    )

    class Meta:
        model = PenTest
        fields = ["title", "unit", "tester", "started_on", "ended_on", "scope"]
        widgets = {
            "started_on": DATE,
            "ended_on": DATE,
            "scope": forms.Textarea(attrs={"rows": 3}),
        }


class PenTestFindingForm(forms.Form):
    """One finding typed in from a penetration test's report (``services.add_pentest_finding``)."""

    host = forms.CharField(
        label=_("Tested asset"),
        max_length=255,
        help_text=_("IP address, host name or URL, as the report names it."),
    )
    title = forms.CharField(label=pgettext_lazy("finding", "Title"), max_length=500)
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=Severity.choices, coerce=int, initial=Severity.HIGH
    )
    port = forms.IntegerField(label=_("Port"), required=False, min_value=1, max_value=65535)
    protocol = forms.CharField(label=_("Protocol"), max_length=20, required=False)
    component = forms.CharField(
        label=_("Component"), max_length=300, required=False, help_text=_("Package, file or path.")
    )
    cves = forms.CharField(
        label=_("CVE"), max_length=1000, required=False, help_text=_("Separated by spaces.")
    )
    rule_id = forms.CharField(
        label=pgettext_lazy("finding", "Reference"),
        max_length=200,
        required=False,
        help_text=_(
            "The report's number for the finding or its CWE; without a CVE, the same reference"
            " on the same asset is the same finding."
        ),
    )
    cvss_score = forms.DecimalField(
        label=_("CVSS score"), required=False, min_value=0, max_value=10, decimal_places=1
    )
    cvss_vector = forms.CharField(label=_("CVSS vector"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    solution = forms.CharField(
        label=_("Solution"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label=_("Proof"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The request, the answer or the steps that show it."),
    )


class UsomListForm(forms.Form):
    file = forms.FileField(
        label=_("USOM's list"),
        help_text=_(
            "url-list.txt as USOM publishes it (one address a line), or a JSON page of USOM's"
            " address API. A file that cannot be read is refused and nothing is imported."
        ),
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
