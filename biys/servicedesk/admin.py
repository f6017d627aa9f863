from django.contrib import admin

from biys.core.forms import MailboxPasswordForm
from biys.servicedesk.models import (
    AlertRoute,
    CatalogItem,
    KnowledgeArticle,
    Mailbox,
    Queue,
    RecurringTicket,
    SLATarget,
    Ticket,
)


@admin.register(CatalogItem)
class CatalogItemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "requires_approval", "is_active"]
    list_filter = ["kind", "is_active", "requires_approval"]
    search_fields = ["name", "keywords"]


@admin.register(SLATarget)
class SLATargetAdmin(admin.ModelAdmin):
    list_display = ["catalog_item", "priority", "first_response_minutes", "resolution_minutes"]


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["unit", "assignment_rule", "include_subtree"]
    filter_horizontal = ["members"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "state", "priority", "responsible_unit", "assignee"]
    list_filter = ["state", "priority", "kind"]
    search_fields = ["number", "title"]
    raw_id_fields = ["requester", "parent", "merged_into", "assignee", "created_by"]
    readonly_fields = ["number"]


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "is_public"]


@admin.register(RecurringTicket)
class RecurringTicketAdmin(admin.ModelAdmin):
    list_display = ["title", "recurrence", "next_run", "is_active"]


class MailboxForm(MailboxPasswordForm):
    class Meta:
        model = Mailbox
        fields = [
            "name",
            "host",
            "port",
            "use_ssl",
            "username",
            "password",
            "folder",
            "catalog_item",
            "is_active",
        ]


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ["name", "host", "username", "folder", "is_active", "last_polled_at"]
    readonly_fields = ["last_polled_at", "last_error"]


@admin.register(AlertRoute)
class AlertRouteAdmin(admin.ModelAdmin):
    list_display = ["label", "value", "unit", "catalog_item", "order"]
    list_select_related = ["unit", "catalog_item"]
