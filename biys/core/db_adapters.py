"""PostgreSQL timestamps read by psycopg's C loader.

Django's psycopg backend reads every ``timestamptz`` through a Python subclass of psycopg's
pure-Python loader (``SpecificTzLoader``: parse the text in Python, then replace the time
zone), even where psycopg's C extension is installed: a list page's rows hold a few timestamps
each, and their parsing was a visible share of the page. Where the connection runs in UTC (a
project with ``USE_TZ`` and no database ``TIME_ZONE``, as BİYS), psycopg's C loader gives the
same values, with ``datetime.timezone.utc`` as their time zone, as Django's does; this module
registers it for each new connection (through a loader whose ``load`` is the C loader's own
bound method, so no Python frame runs per value). Anything else keeps Django's loader.
"""

from datetime import UTC

from django.db.backends.signals import connection_created


def _c_timestamptz_loader():
    try:
        from psycopg import adapters, postgres
        from psycopg.adapt import Loader
        from psycopg.pq import Format
    except ImportError:  # psycopg 2, or no PostgreSQL driver
        return None
    optimised = adapters.get_loader(postgres.types["timestamptz"].oid, Format.TEXT)
    if optimised is None or optimised.__module__.startswith("psycopg.types"):
        return None  # no C extension: Django's loader is as fast

    class UTCTimestamptzLoader(Loader):
        """psycopg's C ``timestamptz`` loader for a UTC connection; ``timezone`` tells Django's
        ``create_cursor`` that the connection's loader already gives UTC."""

        timezone = UTC

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._c_loader = optimised(oid, context)
            # the C loader's bound method, found on the instance before the class's ``load``
            self.load = self._c_loader.load

        def load(self, data):
            return self._c_loader.load(data)

    return UTCTimestamptzLoader


_LOADER = None


def use_c_timestamp_loader(sender, connection, **kwargs) -> None:
    global _LOADER
    if connection.vendor != "postgresql" or connection.timezone is not UTC:
        return
    if _LOADER is None:
        _LOADER = _c_timestamptz_loader() or False
    if _LOADER:
        connection.connection.adapters.register_loader("timestamptz", _LOADER)


def install() -> None:
    connection_created.connect(use_c_timestamp_loader, dispatch_uid="biys_c_timestamp_loader")
