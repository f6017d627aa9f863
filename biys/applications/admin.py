from django.contrib import admin

from biys.applications.models import (
    Application,
    ApplicationMailbox,
    ApplicationType,
    BaseStationSite,
    Building,
    GisDataSale,
    GisDelivery,
    GisDeliveryLine,
    GisLayer,
    GisTariff,
    GisTariffLine,
    NumberingRequest,
    NumberingTariff,
    Operator,
    SiteAccrual,
    SiteComplaint,
    Street,
    StreetName,
    StreetNamingProposal,
)
from biys.applications.numarataj.forms import NumberingTariffForm
from biys.core.forms import MailboxPasswordForm


@admin.register(ApplicationType)
class ApplicationTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "law", "legal_article", "period", "period_unit", "unit",
                    "identity_number", "active")  # fmt: skip
    list_filter = ("period_unit", "identity_number", "active")
    search_fields = ("name", "code", "law", "citations")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change through the product's services (deadline, history)."""

    list_display = ("number", "type", "received_on", "due_date", "state", "responsible_unit")
    list_filter = ("state", "channel", "type")
    search_fields = ("number", "subject")
    exclude = ("tc_kimlik_no", "tax_number", "email", "phone", "address")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# GIS data sales -----------------------------------------------------------------------------


class GisTariffLineInline(admin.TabularInline):
    model = GisTariffLine
    extra = 0
    fields = ("layer", "data_format", "charge_unit", "unit_price", "minimum_charge", "kdv_rate",
              "note")  # fmt: skip


@admin.register(GisLayer)
class GisLayerAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "unit", "position", "active")
    list_filter = ("active",)
    search_fields = ("name", "code")


@admin.register(GisTariff)
class GisTariffAdmin(admin.ModelAdmin):
    """The approved tariff and its lines (the product's pages check overlapping periods)."""

    list_display = ("name", "valid_from", "valid_until", "council_decision", "unit")
    search_fields = ("name", "council_decision")
    inlines = [GisTariffLineInline]


@admin.register(GisDataSale)
class GisDataSaleAdmin(admin.ModelAdmin):
    """Read-only: sales change through the product's services (quote, accrual, delivery)."""

    list_display = ("application", "state", "total", "accrual_number", "paid_on")
    list_filter = ("state",)
    search_fields = ("application__number", "accrual_number", "payment_reference")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GisDeliveryLineInline(admin.TabularInline):
    model = GisDeliveryLine
    extra = 0
    fields = ("item", "quantity")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GisDelivery)
class GisDeliveryAdmin(admin.ModelAdmin):
    """Read-only: a delivery (a part or the whole order) is recorded through the service,
    which never lets more of a layer out than was ordered."""

    list_display = ("sale", "delivered_at", "delivered_by", "recipient_name", "method")
    list_filter = ("method",)
    search_fields = ("sale__application__number", "recipient_name", "files")
    inlines = [GisDeliveryLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApplicationMailboxForm(MailboxPasswordForm):
    class Meta:
        model = ApplicationMailbox
        fields = [
            "name", "application_type", "unit", "host", "port", "use_ssl", "username", "password",
            "folder", "is_active",
        ]  # fmt: skip


@admin.register(ApplicationMailbox)
class ApplicationMailboxAdmin(admin.ModelAdmin):
    """Each message of the mailbox becomes an application of its type (biys.applications.
    mail_intake), polled every minute by beat."""

    form = ApplicationMailboxForm
    list_display = ["name", "application_type", "username", "unit", "is_active", "last_polled_at"]
    readonly_fields = ["last_polled_at", "last_error"]


# Address numbering and street naming ----------------------------------------------------------


class StreetNameInline(admin.TabularInline):
    model = StreetName
    extra = 0
    fields = ("name", "valid_from", "council_decision", "proposal")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    """The register's streets (a name changes by a council decision, on the product's pages)."""

    list_display = ("name", "kind", "neighbourhood", "code", "unit", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "neighbourhood", "code")
    inlines = [StreetNameInline]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ("street", "door_number", "block", "parcel", "building_name")
    search_fields = ("street__name", "door_number", "block", "parcel", "building_name")
    list_select_related = ("street",)


@admin.register(NumberingTariff)
class NumberingTariffAdmin(admin.ModelAdmin):
    """The council's numbering tariff: an amount per kind, valid from a day (a new decision
    adds rows from its day; the old rows stay for the fees accrued under them, so none is
    deleted). Saved through ``services.save_tariff``, as the product's page saves it: its
    permission over the whole municipality, its rules and its normalised decision text."""

    form = NumberingTariffForm  # the product page's form: the same-day row at its field
    list_display = ("kind", "valid_from", "amount", "council_decision")
    list_filter = ("kind",)
    date_hierarchy = "valid_from"

    def save_model(self, request, obj, form, change):
        from biys.applications.numarataj.services import save_tariff

        save_tariff(user=request.user, tariff=obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NumberingRequest)
class NumberingRequestAdmin(admin.ModelAdmin):
    """Read-only: requests change through the product's services (visit, number, accrual)."""

    list_display = ("application", "state", "street", "door_number", "accrual_number",
                    "certificate_number")  # fmt: skip
    list_filter = ("state",)
    search_fields = ("application__number", "accrual_number", "certificate_number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StreetNamingProposal)
class StreetNamingProposalAdmin(admin.ModelAdmin):
    """Read-only: proposals are sent and decided through the product's services."""

    list_display = ("proposed_name", "neighbourhood", "state", "decision_number", "decision_date")
    list_filter = ("state",)
    search_fields = ("proposed_name", "decided_name", "decision_number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ("name", "tax_number", "authorisation", "unit", "active")
    list_filter = ("active",)
    search_fields = ("name", "tax_number", "authorisation")


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SiteAccrualInline(admin.TabularInline):
    model = SiteAccrual
    extra = 0
    fields = ("year", "amount", "accrual_number", "accrued_on", "payment_reference", "paid_on")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BaseStationSite)
class BaseStationSiteAdmin(_ReadOnlyAdmin):
    """Read-only: sites change through the product's services (inspection, decision,
    contract, accruals)."""

    list_display = ("application", "operator", "site_code", "kind", "state", "neighbourhood",
                    "contract_number")  # fmt: skip
    list_filter = ("state", "kind", "operator")
    search_fields = ("application__number", "site_code", "neighbourhood", "contract_number")
    list_select_related = ("application", "operator")
    inlines = [SiteAccrualInline]


@admin.register(SiteComplaint)
class SiteComplaintAdmin(_ReadOnlyAdmin):
    """Read-only: complaints are answered through the product's services."""

    list_display = ("application", "site", "state", "answered_on")
    list_filter = ("state",)
    search_fields = ("application__number", "site__site_code")
    list_select_related = ("application", "site", "site__application", "site__operator")
