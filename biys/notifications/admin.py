from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from biys.notifications import services
from biys.notifications.models import Notification, OutboxMessage


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "created", "read_at")
    list_filter = ("read_at",)
    search_fields = ("title", "recipient__username")
    readonly_fields = [f.name for f in Notification._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: the outbox is a record of what was sent. Failed mail can be queued again."""

    list_display = ("subject", "to", "status", "attempts", "created", "sent_at")
    list_filter = ("status",)
    search_fields = ("to", "subject")
    readonly_fields = [f.name for f in OutboxMessage._meta.concrete_fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected e-mails again"), permissions=["view"])
    def retry(self, request, queryset):
        count = services.retry_messages(queryset=queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
