from django.contrib import admin

from biys.comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "author", "is_internal", "content_type", "object_id", "created")
    list_filter = ("is_internal", "content_type")
    search_fields = ("text",)
    readonly_fields = ("content_type", "object_id", "author", "created", "edited")
    fields = (*readonly_fields, "text", "is_internal")

    def has_add_permission(self, request):
        return False
