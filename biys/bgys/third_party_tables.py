"""Tables of the third parties and their confidentiality agreements (their columns are the CSV
and Excel exports too)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from biys.bgys.third_party_models import AgreementState, ConfidentialityAgreement, ThirdParty
from biys.core.tables import BiysTable

STATE_COLOURS = {
    AgreementState.VALID: "green",
    AgreementState.EXPIRING: "orange",
    AgreementState.EXPIRED: "red",
}


class ThirdPartyTable(BiysTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    tax_number = tables.Column(verbose_name=_("Tax number (VKN)"))
    contact_name = tables.Column(verbose_name=_("Contact person"))
    contract = tables.Column(verbose_name=_("Contract"))

    class Meta(BiysTable.Meta):
        model = ThirdParty
        fields = ("name", "tax_number", "contact_name", "contract", "unit", "is_active")


class ConfidentialityAgreementTable(BiysTable):
    third_party = tables.Column(
        verbose_name=_("Third party"), linkify=lambda record: record.get_absolute_url(),
        order_by=("third_party__name",),
    )  # fmt: skip
    signatory = tables.Column(verbose_name=_("Signed by"))
    signed_on = tables.Column(verbose_name=_("Signed on"))
    expires_on = tables.Column(verbose_name=_("Ends on"))
    state = tables.Column(verbose_name=_("State"), empty_values=(), orderable=False)

    class Meta(BiysTable.Meta):
        model = ConfidentialityAgreement
        fields = ("third_party", "signatory", "signed_on", "expires_on", "state")

    def render_state(self, record):
        state = record.state
        return format_html(
            '<span class="badge bg-{}-lt" data-state="{}">{}</span>',
            STATE_COLOURS[state], state, AgreementState(state).label,
        )  # fmt: skip

    def value_state(self, record):
        return str(AgreementState(record.state).label)
