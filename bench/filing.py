"""What one ticket filing through the API costs in CPU, measured so that a loaded machine does
not move the figure much (wall time on a shared machine is mostly other people's work).

    python -m bench.filing [--size 2000] [--repeat 5] [--keep-db NAME] [--json] [--profile]

The servicedesk scenario's organisation and tickets are built (or a kept build is reused with
``--keep-db``), then a technician files tickets for requesters through ``POST
/api/v1/servicedesk/tickets/`` with an API token, as ``--http`` does, in process:

- ``cpu_ms``: this process's CPU (``time.process_time``) per filing, the least over ``--repeat``
  rounds of 40 filings (the least is the run the other processes disturbed least);
- ``db_cpu_ms``: the PostgreSQL backend's CPU per filing over the same round (read from
  ``/proc``; PostgreSQL on this machine only), the other half of what a filing costs the cores;
- ``floor_cpu_ms``: the same for the write floor (``/bench/floor/api/write/``: the POST parsed
  and stored as one row), and ``floors``: a filing's CPU in write-floor requests;
- ``calls``: Python function calls per filing (cProfile), which no load changes at all;
- ``queries``: statements per filing (SELECT, INSERT, UPDATE …, the transaction's own
  SAVEPOINT/RELEASE not counted).

``--profile`` prints (on stderr) the functions with the most cumulative time over one round.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import sys
import time

URL = "/api/v1/servicedesk/tickets/"
FLOOR_WRITE = "/bench/floor/api/write/"
PER_ROUND = 40
DEFAULT_SIZE = 2000


def _backend_cpu():
    """CPU seconds the PostgreSQL backend serving this connection has used, or None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rounds(post, payloads, repeat: int) -> tuple[float, float | None]:
    """The least CPU ms per request of this process and of the database over ``repeat``
    rounds."""
    mine, theirs = [], []
    index = 0
    for _ in range(repeat):
        batch = payloads[index : index + PER_ROUND]
        index += PER_ROUND
        db_before = _backend_cpu()
        before = time.process_time()
        for payload in batch:
            post(payload)
        mine.append((time.process_time() - before) * 1000 / len(batch))
        db_after = _backend_cpu()
        if db_before is not None and db_after is not None:
            theirs.append((db_after - db_before) * 1000 / len(batch))
    return min(mine), (min(theirs) if theirs else None)


def measure(client, payloads, repeat: int, *, warm: int = 5, profile: bool = False) -> dict:
    from bench.common import recording
    from bench.urls import ensure_write_table

    def file(payload):
        response = client.post(URL, payload, content_type="application/json")
        if response.status_code != 201:
            raise RuntimeError(f"POST {URL} answered {response.status_code}: {response.content!r}")

    def floor(payload):
        response = client.post(FLOOR_WRITE, payload, content_type="application/json")
        assert response.status_code == 201, response.content

    ensure_write_table()
    for payload in payloads[:warm]:  # warm: imports, caches, prepared plans
        file(payload)
        floor(payload)
    payloads = payloads[warm:]
    with recording() as statements:
        file(payloads[0])
    payloads = payloads[1:]
    queries = [
        sql
        for sql, _params, _many in statements
        if not sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))
    ]
    profiler = cProfile.Profile(time.process_time)  # CPU, not the waits for the database
    profiler.enable()
    for payload in payloads[:PER_ROUND]:
        file(payload)
    profiler.disable()
    payloads = payloads[PER_ROUND:]
    stats = pstats.Stats(profiler)
    calls = stats.total_calls / PER_ROUND
    cpu_ms, db_cpu_ms = _rounds(file, payloads, repeat)
    floor_ms, floor_db_ms = _rounds(floor, payloads, repeat)
    result = {
        "cpu_ms": round(cpu_ms, 2),
        "db_cpu_ms": None if db_cpu_ms is None else round(db_cpu_ms, 2),
        "floor_cpu_ms": round(floor_ms, 2),
        "floor_db_cpu_ms": None if floor_db_ms is None else round(floor_db_ms, 2),
        "floors": round(cpu_ms / floor_ms, 2),
        "calls": round(calls),
        "queries": len(queries),
        "statements": queries,
    }
    if profile:
        stats.stream = sys.stderr
        stats.sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(
            os.environ.get("BENCH_PROFILE_FILTER", ""), 45
        )
        if os.environ.get("BENCH_PROFILE_CALLERS"):
            stats.print_callers(os.environ["BENCH_PROFILE_CALLERS"])
        if os.environ.get("BENCH_PROFILE_CALLEES"):
            stats.print_callees(os.environ["BENCH_PROFILE_CALLEES"])
    return result


def run(
    *,
    size: int | None = None,
    repeat: int = 5,
    http_seconds: int = 0,
    reuse: bool = False,
    profile: bool = False,
) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from bench import servicedesk
    from biys.accounts.tokens import new_key, store_key
    from biys.servicedesk.models import Ticket

    del http_seconds
    size = size or DEFAULT_SIZE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    rng = random.Random(servicedesk.SEED)
    if reuse and Ticket.objects.exists():
        org = servicedesk.load_organisation()
    else:
        org = servicedesk.build_organisation(rng, size)
        servicedesk.build_tickets(rng, org, size, timezone.now())
    key = new_key()
    store_key(org["technicians"][0], key)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    # warm over every catalogue item: a running installation has seen each unit's routing
    warm = max(5, len(org["items"]))
    count = warm + 1 + PER_ROUND * (1 + 2 * repeat)
    payloads = [servicedesk.create_payload(org, index) for index in range(count)]
    result = {"scenario": "filing", "size": size, "repeat": repeat, "per_round": PER_ROUND}
    result.update(measure(client, payloads, repeat, warm=warm, profile=profile))
    result["load"] = round(os.getloadavg()[0], 1)
    return result


def print_table(result: dict) -> None:
    print(
        f"Filing through the API ({result['per_round']} per round, least of {result['repeat']}"
        f" rounds; load {result.get('load')}):"
    )
    print(f"  CPU per filing      {result['cpu_ms']} ms (database backend {result['db_cpu_ms']})")
    print(
        f"  write floor         {result['floor_cpu_ms']} ms (database backend"
        f" {result['floor_db_cpu_ms']}): a filing is {result['floors']} floor requests"
    )
    print(f"  calls per filing    {result['calls']}")
    print(f"  queries per filing  {result['queries']}")
    for sql in result["statements"]:
        print(f"    {sql[:150]}")


def main(argv=None) -> int:
    """``python -m bench.filing``: the bench's own database (``bench.__main__``), then ``run``."""
    import argparse
    import json
    import warnings

    from bench.__main__ import bench_database, configure_environment

    parser = argparse.ArgumentParser(prog="python -m bench.filing", description=__doc__)
    parser.add_argument("--size", type=int, default=None, help="tickets to build")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of 40 filings")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--profile", action="store_true", help="print where one round goes")
    parser.add_argument(
        "--keep-db",
        metavar="NAME",
        help="PostgreSQL only: build into the database NAME and keep it; reuse its build",
    )
    args = parser.parse_args(argv)
    configure_environment()
    warnings.filterwarnings("ignore", message="No directory at")
    with bench_database(args.keep_db) as database:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        result = run(
            size=args.size, repeat=args.repeat, reuse=bool(args.keep_db), profile=args.profile
        )
        result["database"] = database
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
