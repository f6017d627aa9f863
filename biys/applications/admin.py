from django.contrib import admin

from biys.applications.models import Application, ApplicationType


@admin.register(ApplicationType)
class ApplicationTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "law", "legal_article", "period", "period_unit", "unit",
                    "active")  # fmt: skip
    list_filter = ("period_unit", "active")
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
