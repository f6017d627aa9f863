"""The WSGI application as gunicorn serves it."""

import gc

from django.core.wsgi import get_wsgi_application

# Requests after which the process's long-lived objects are set aside (see below): by then the
# URL patterns are resolved, the templates compiled and the per-process caches filled.
WARM_UP_REQUESTS = 20


def freeze_long_lived_objects() -> None:
    """Moves every object alive now out of the cyclic garbage collector's sight
    (``gc.freeze``). Django's apps, models, URL patterns and compiled templates are about
    200,000 objects that live as long as the process; each full collection walked them all
    (about 120 ms on a 2-core server, one request in fifty paying it) and freed none."""
    gc.collect()
    gc.freeze()


def application_with_frozen_start(application, warm_up: int = WARM_UP_REQUESTS):
    """``application``, which freezes what the process holds at start and again once it has
    served ``warm_up`` requests."""
    freeze_long_lived_objects()
    served = 0

    def wsgi(environ, start_response):
        nonlocal served
        try:
            return application(environ, start_response)
        finally:
            if served < warm_up:
                served += 1
                if served == warm_up:
                    freeze_long_lived_objects()

    return wsgi


def get_application():
    return application_with_frozen_start(get_wsgi_application())
