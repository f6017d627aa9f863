from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecopsConfig(AppConfig):
    name = "biys.secops"
    label = "secops"
    verbose_name = _("Security operations")

    def ready(self):
        # The SOME roles; a ticket's page lists the findings and incidents it was opened for.
        from biys.core.tickets import register_link_provider
        from biys.secops import roles  # noqa: F401
        from biys.secops.selectors import records_of_ticket, ticket_records_hint

        register_link_provider("servicedesk.ticket", records_of_ticket, hint=ticket_records_hint)

        # The overdue summary follows deleted findings (saves are the model's own).
        from biys.secops import due_summary

        due_summary.connect()
