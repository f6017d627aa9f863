"""The document mailboxes (e-mail, KEP) are configured by an administrator here."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from biys.evrak.models import EvrakMailbox


class EvrakMailboxForm(forms.ModelForm):
    """The stored IMAP password is never sent back to the browser; leaving it blank keeps it."""

    password = forms.CharField(
        label=_("password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_("Leave blank to keep the current password."),
    )

    class Meta:
        model = EvrakMailbox
        fields = [
            "name", "kind", "host", "port", "use_ssl", "username", "password", "folder",
            "receiving_unit", "is_active",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["password"] = ""
        if not self.instance.pk:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not password and self.instance.pk:
            return EvrakMailbox.objects.values_list("password", flat=True).get(pk=self.instance.pk)
        return password


@admin.register(EvrakMailbox)
class EvrakMailboxAdmin(admin.ModelAdmin):
    form = EvrakMailboxForm
    list_display = ["name", "kind", "username", "receiving_unit", "is_active", "last_polled_at"]
    readonly_fields = ["last_polled_at", "last_error"]
