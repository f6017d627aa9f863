from django.contrib import admin

from biys.acknowledgements.models import Acknowledgement


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    """Read-only: an acknowledgement is given by the person themselves, never by an admin."""

    list_display = ("person", "content_type", "object_id", "due_on", "acknowledged_at")
    list_filter = ("content_type",)
    search_fields = ("person__first_name", "person__last_name", "person__sicil_no")
    readonly_fields = [field.name for field in Acknowledgement._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
