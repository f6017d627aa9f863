from django.contrib import admin

from biys.kvkk.models import ListItem, ProcessingActivity, SubjectRequest


@admin.register(ListItem)
class ListItemAdmin(admin.ModelAdmin):
    """The pick-lists are data: the administrator edits them here or on the KVKK pages."""

    list_display = ["name", "kind", "code", "special", "position", "active"]
    list_filter = ["kind", "special", "active"]
    search_fields = ["name", "code"]


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    """Read only: activities change through the service that checks the inventory's rules."""

    list_display = ["name", "unit", "retention_period", "transfer_abroad", "active"]
    list_filter = ["transfer_abroad", "active"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SubjectRequest)
class SubjectRequestAdmin(admin.ModelAdmin):
    """Read only and without the applicant's identity: requests change through their
    services, and the identity is read through the logged reveal."""

    list_display = ["number", "right", "state", "received_on", "due_date", "unit"]
    list_filter = ["state", "right"]
    search_fields = ["number"]
    fields = ["number", "received_on", "channel", "right", "unit", "assignee", "state",
              "due_date", "outcome", "answered_on"]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
