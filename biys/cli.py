"""The ``biys`` console command.

``biys serve``, ``biys worker`` and ``biys beat`` start the processes of an installation; every
other word is a Django management command (``biys demo``, ``biys preset list``,
``biys org tree --json``, ``biys regulation import FILE``, ``biys audit verify``, ``biys migrate``).
"""

import os
import sys

USAGE = """usage: biys COMMAND [ARGS]

Processes:
  serve [--host H] [--port P] [--workers N]   web application (gunicorn; migrations and static files first)
  serve --public [--host H] [--port P]        only the public application form (a DMZ host)
  worker                                      Celery worker (needs CELERY_BROKER_URL or REDIS_URL)
  beat                                        Celery beat scheduler

Data:
  demo [--preset SLUG] [--reset]              load a department preset and realistic demo data
  preset list | preset load SLUG              department presets from the five reference regulations
  org tree [--json]                           the units tree
  regulation import FILE [--json]             draft articles, units and duties from a regulation's text
  audit verify [--check-privileges]           check the change log's keyed chains and checkpoint
  audit checkpoint                            write a signed checkpoint of the change log
  kvkk erase USERNAME --reason TEXT           KVKK erasure with a redaction record
  backup DEST / restore SRC                   database, files, audit key and checkpoints
  stats rebuild                               rebuild the service desk's statistics summary
  link_ticket_assets [--dry-run]              link older tickets' device references to the asset register
  logs ingest SOURCE FILE [--date D]          receive a 5651 log file (JSON)
  logs seal [--date D]                        seal ended days with an RFC 3161 timestamp (JSON)
  logs verify [--from D --to D]               re-hash files, check manifests, chain and tokens
  logs who IP AT --request N --user U         who had an IP address at a time (logged, JSON)
  inventory load-codes [FILE]                 load the taşınır code list from CSV (all or nothing)
  inventory ingest FILE                       read one agent inventory (GLPI JSON, Fusion XML; JSON)
  applications due TYPE RECEIVED [--extended] the legal deadline of an application (e.g. bilgi-edinme)
  evrak check-eyp FILE [--json]               check an e-Yazışma package (schemas, digests)
  evrak import-eyp FILE --unit U [--json]     register an incoming document from an .eyp package
  evrak export-eyp NUMBER --out FILE          write the .eyp package of a signed outgoing document
  documents ...                               the same as evrak (check-eyp, import-eyp, export-eyp)
  evrak load-sdp [FILE]                       load the file plan (code;title; the sample without FILE)
  findings import FILE [--format F] [--json]  import a scanner report (OpenVAS, Nessus, Trivy, Nuclei)
  findings rebuild-summary [--json]           recount the overdue summary from the findings (after SQL)
  frameworks load SLUG | --file FILE [--json] load a control framework (bilgi-ve-iletisim-guvenligi-rehberi)
  frameworks list [--json] [--shipped]        loaded frameworks: measures per level and per section
  frameworks texts SLUG FILE                  titles and texts of ISO/IEC 27001 (number;title;text)

Any other Django management command works too: biys migrate, biys createsuperuser, biys shell.
"""


def _setup_environment() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _serve(args: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="biys serve")
    parser.add_argument("--host", default=os.environ.get("BIYS_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BIYS_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BIYS_WEB_WORKERS", "3")))
    parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    parser.add_argument(
        "--public",
        action="store_true",
        help="serve only the public application form and its tracking page (a DMZ host); "
        "never migrates: the installation inside does",
    )
    options = parser.parse_args(args)
    if options.public:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.public_settings"
        options.no_migrate = True

    import django
    from django.core.management import call_command

    django.setup()
    if not options.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    what = "BİYS public form" if options.public else "BİYS"
    print(f"{what}: http://{options.host}:{options.port}/", flush=True)
    os.execvp(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{options.host}:{options.port}",
            "--workers",
            str(options.workers),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ],
    )


def _celery(role: str, args: list[str]) -> None:
    os.execvp(
        sys.executable, [sys.executable, "-m", "celery", "-A", "config", role, "-l", "info", *args]
    )


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    _setup_environment()
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return
    command, rest = args[0], args[1:]
    if command == "serve":
        _serve(rest)
    elif command in ("worker", "beat"):
        _celery(command, rest)
    else:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["biys", command, *rest])


if __name__ == "__main__":
    main()
