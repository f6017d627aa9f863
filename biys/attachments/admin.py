from django.contrib import admin

from biys.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = (
        "filename",
        "mime_type",
        "size",
        "content_type",
        "object_id",
        "uploaded_by",
        "created",
    )
    list_filter = ("mime_type", "content_type")
    search_fields = ("filename", "sha256", "description")
    readonly_fields = (
        "content_type",
        "object_id",
        "file",
        "filename",
        "size",
        "sha256",
        "mime_type",
        "uploaded_by",
        "created",
    )
    fields = (*readonly_fields, "description")

    def has_add_permission(self, request):
        # Uploads go through the service, which sniffs the content; never around it.
        return False
