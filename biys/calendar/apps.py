from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "biys.calendar"
    label = "calendar"
    verbose_name = _("Working calendar")

    def ready(self):
        from biys.accounts.roles import extend_role
        from biys.calendar import (
            navigation,  # noqa: F401  (registers the side menu)
            signals,
        )
        from biys.calendar.selectors import CALENDAR_GENERATION, calendar_tables
        from biys.core import generations

        signals.connect()
        generations.watch(CALENDAR_GENERATION, calendar_tables())

        # Declared days change every deadline of the municipality: administrators only.
        writes = ["calendar.add_*", "calendar.change_*", "calendar.delete_*"]
        for slug in ("chief", "department_head"):
            extend_role(slug, exclude=writes)
