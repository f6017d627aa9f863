from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "biys.servicedesk"
    label = "servicedesk"
    verbose_name = _("Service desk")

    def ready(self):
        from biys.core import generations
        from biys.org.presets import register_preset_extension
        from biys.servicedesk import (
            home,  # noqa: F401  (registers the home page card)
            roles,  # noqa: F401  (extends the built-in roles)
            search,  # noqa: F401  (registers tickets, catalogue and articles for search)
        )
        from biys.servicedesk.catalog_loader import preset_catalog_summary
        from biys.servicedesk.selectors import (
            CATALOG_GENERATION,
            ROUTING_GENERATION,
            SLA_TARGET_GENERATION,
            catalog_tables,
            routing_tables,
            sla_target_tables,
        )

        generations.watch(SLA_TARGET_GENERATION, sla_target_tables())
        generations.watch(CATALOG_GENERATION, catalog_tables())
        tables, ignoring = routing_tables()
        generations.watch(ROUTING_GENERATION, tables, ignoring=ignoring)

        register_preset_extension(preset_catalog_summary)

        # An asset's page lists the tickets about it (biys.core.assets).
        from biys.core.assets import register_fault_counter, register_fault_lister
        from biys.servicedesk.selectors import fault_counts_of_devices, faults_of_device

        register_fault_lister(faults_of_device)
        register_fault_counter(fault_counts_of_devices)

        # Other modules file tickets through biys.core.tickets (a finding's fix).
        from biys.core.tickets import register_ticket_opener
        from biys.servicedesk.remediation import open_for_unit

        register_ticket_opener(open_for_unit)

        from biys.calendar.signals import calendar_changed
        from biys.servicedesk.sla import on_calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="servicedesk-due-dates")

        from biys.servicedesk import stats_summary

        stats_summary.connect()
