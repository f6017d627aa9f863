"""What reading a page costs in Python calls and CPU, on a database a bench scenario kept, so
that a change to the shared list, frame or floor can be measured on a loaded machine (the calls
do not move with the load; the CPU moves by a quarter).

    DATABASE_URL=postgres://…/KEPT python -m bench.calls --user USERNAME URL [URL …]
        [--requests 10] [--repeat 3] [--json]

Signs ``USERNAME`` in through the test client (the bench's settings, ``bench.settings``:
``/bench/floor/`` and ``/bench/floor/frame/`` exist) and, per URL after three warm-up requests:

- ``calls``: Python function calls per request (cProfile over ``--requests`` requests);
- ``cpu_ms``: this process's CPU per request (``time.process_time``), the least over
  ``--repeat`` rounds of ``--requests`` requests (the round other processes disturbed least).

A kept database: ``--keep-db NAME`` of the servicedesk scenario (user ``bench-chief``), or any
scenario's database left in place. Never the installation's own database: it only reads.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import time


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.calls", description=__doc__.split("\n")[0]
    )
    parser.add_argument("urls", nargs="+", metavar="URL")
    parser.add_argument("--user", default="bench-chief", help="the user to sign in as")
    parser.add_argument("--requests", type=int, default=10, help="requests per round")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds per URL")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print where the profiled requests' time goes (BENCH_PROFILE_SORT, BENCH_PROFILE_FILTER)",
    )
    return parser.parse_args(argv)


def measure(client, url: str, requests: int, repeat: int, show_profile: bool = False) -> dict:
    for _ in range(3):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    profile = cProfile.Profile(time.process_time)  # CPU, not the waits for the database
    profile.enable()
    for _ in range(requests):
        client.get(url)
    profile.disable()
    calls = pstats.Stats(profile).total_calls / requests
    if show_profile:
        stats = pstats.Stats(profile).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative"))
        stats.print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 60)
    rounds = []
    for _ in range(repeat):
        started = time.process_time()
        for _ in range(requests):
            client.get(url)
        rounds.append((time.process_time() - started) * 1000 / requests)
    return {"url": url, "calls": round(calls), "cpu_ms": round(min(rounds), 2)}


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ["BIYS_DEBUG"] = "false"
    os.environ.setdefault("BIYS_SECRET_KEY", "bench")
    os.environ["BIYS_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    results = [measure(client, url, args.requests, args.repeat, args.profile) for url in args.urls]
    if args.json:
        print(json.dumps({"user": args.user, "pages": results}))
    else:
        for item in results:
            print(f"{item['calls']:>9,} calls  {item['cpu_ms']:>8.2f} ms CPU  {item['url']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
