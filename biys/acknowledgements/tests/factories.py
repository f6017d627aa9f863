"""A document to acknowledge for the app's own tests: any model will do, a unit here (the
feature asks nothing of its documents but ``get_absolute_url``)."""

import datetime

from biys.acknowledgements import services


def ask(target, people, *, today=datetime.date(2026, 3, 2), working_days=5, notify=True):
    return services.request_acknowledgements(
        target=target, people=people, working_days=working_days, today=today, notify=notify
    )
