from django.contrib import admin

from biys.logs5651.models import DailySeal, LogFile, LogSource, SearchRequest


@admin.register(LogSource)
class LogSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "parser", "active"]
    list_filter = ["kind", "parser", "active"]
    search_fields = ["name"]


@admin.register(LogFile)
class LogFileAdmin(admin.ModelAdmin):
    """Read only: a received file changes only by being received again."""

    list_display = ["day", "source", "name", "size", "records", "unreadable"]
    list_filter = ["source"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DailySeal)
class DailySealAdmin(LogFileAdmin):
    list_display = ["day", "unit", "status", "attempts", "stamped_at"]
    list_filter = ["status", "unit"]


@admin.register(SearchRequest)
class SearchRequestAdmin(LogFileAdmin):
    list_display = ["time", "user_name", "request_number", "ip", "at", "results"]
    list_filter = []
    date_hierarchy = "time"
