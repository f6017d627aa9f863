"""``python -m bench SCENARIO [--size N] [--json]``

The bench builds and migrates its own database (a temporary SQLite file, or a fresh PostgreSQL
database next to the one DATABASE_URL names), fills it, measures, and removes it again. It never
touches the installation's own database.
"""

import argparse
import json
import os
import secrets
import sys
import tempfile
import warnings
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

SCENARIOS = {
    "applications": "bench.applications",
    "bgys": "bench.bgys",
    "documents": "bench.documents",
    "logs5651": "bench.logs5651",
    "findings": "bench.secops",
    "inventory": "bench.inventory",
    "inventory_import": "bench.inventory_import",
    "org": "bench.org",
    "secops": "bench.secops",
    "servicedesk": "bench.servicedesk",
}
KEEPS = (
    "servicedesk",
    "inventory",
    "org",
    "applications",
    "documents",
)  # scenarios that can measure a kept build again (--keep-db)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument(
        "--size", type=int, default=None, help="how many rows to build (scenario default)"
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per measure")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--http",
        action="store_true",
        help="also serve the stack with gunicorn (2 workers) and drive each page with wrk",
    )
    parser.add_argument(
        "--http-seconds", type=int, default=20, help="wrk seconds per page (after a warm-up)"
    )
    parser.add_argument(
        "--keep-db",
        metavar="NAME",
        help="PostgreSQL only: build into the database NAME and keep it; when NAME already"
        " holds a build (servicedesk, inventory, org, applications), migrate it and measure it as it is instead of building",
    )
    parser.add_argument(
        "--import-size",
        type=int,
        default=None,
        help="secops (findings) only: findings in the Nessus file imported through the real"
        " importer (default: the size, at most 20,000)",
    )
    parser.add_argument(
        "--pages",
        metavar="NAME,NAME",
        help="servicedesk only: measure only these pages in process (no creation, no HTTP);"
        " for quick comparisons on a kept build",
    )
    parser.add_argument(
        "--syncdb",
        action="store_true",
        help="create the tables straight from the models instead of running the migrations"
        " (the same schema, built in a second; for quick runs and tests)",
    )
    return parser.parse_args(argv)


@contextmanager
def bench_database(keep: str | None = None):
    """Point Django at a throw-away database for the duration of the block (or at the kept
    database ``keep``, created when missing and left in place)."""
    source = os.environ.get("DATABASE_URL", "")
    if keep and not source.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--keep-db needs DATABASE_URL=postgres://…")
    if source.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(source)
        name = keep or f"biys_bench_{os.getpid()}"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not keep:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            if not (keep and exists):
                admin.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        try:
            yield f"postgresql {name}" + (" (kept)" if keep else "")
        finally:
            from django.db import connections

            connections.close_all()
            if not keep:
                with psycopg.connect(admin_url, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            os.environ["DATABASE_URL"] = source
    else:
        with tempfile.TemporaryDirectory(prefix="biys-bench-") as directory:
            os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
            os.environ["BIYS_DATA_DIR"] = directory
            try:
                yield "sqlite (temporary file)"
            finally:
                from django.db import connections

                connections.close_all()


def configure_environment() -> None:
    """Production-like settings: no DEBUG (its query log would distort the timings)."""
    os.environ["BIYS_DEBUG"] = "false"
    os.environ.setdefault("BIYS_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["BIYS_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["BIYS_LOGIN_THROTTLING"] = "false"
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # config.settings + floor pages


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.keep_db and args.scenario not in KEEPS:
        raise SystemExit("--keep-db is for the " + ", ".join(KEEPS) + " scenarios")
    configure_environment()
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise, no collectstatic
    with bench_database(args.keep_db) as database:
        import django

        django.setup()
        from django.core.management import call_command

        if args.syncdb and not args.keep_db:
            from django.apps import apps
            from django.conf import settings

            settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
            call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
        else:
            call_command("migrate", verbosity=0, interactive=False)
        module = __import__(SCENARIOS[args.scenario], fromlist=["run"])
        options = {"reuse": True} if args.keep_db else {}
        if args.pages:
            if args.scenario != "servicedesk":
                raise SystemExit("--pages is for the servicedesk scenario")
            options["pages"] = tuple(args.pages.split(","))
        if args.import_size and SCENARIOS[args.scenario] == "bench.secops":
            options["import_size"] = args.import_size
        result = module.run(
            size=args.size,
            repeat=args.repeat,
            http_seconds=args.http_seconds if args.http else 0,
            **options,
        )
        result["database"] = database
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        module.print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
