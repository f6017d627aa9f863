"""What every scenario measures, the same way (the "bench rules", see bench/README.md).

For each page:

- ``page_ms``: the page through the whole stack (Django test client, signed in), warm median;
- ``best_ms``: the best query an expert would write for what the page shows (hand-written SQL in
  the scenario: the right index, keyset, a capped count, no DISTINCT the data does not need),
  run in the same process, in turns with the page;
- ``floor_ms``: the stack's floor, an authenticated request to a page that runs no query of
  its own (session, middleware, scope): ``/bench/floor/`` (HTML) or ``/bench/floor/api/``,
  timed in turns with the page too, so that a busy moment weighs on both sides of the ratio;
- ``ratio`` = page / (best + floor), so a better index never makes the ratio look worse;
- ``frame_ms`` / ``frame_ratio`` (HTML pages): the same with the frame every HTML page shares
  (``/bench/floor/frame/``: the base template's side menu, top bar and bell around an empty
  body, no query of its own) as the floor: what the page costs beyond any page of the
  installation. Printed beside ``ratio``, which stays the bench rule;
- ``replay_ms`` / ``replay_ratio``: the SQL the page itself sent, replayed through a cursor (the
  old figure; the gap between the two ratios is what the ORM costs).

``--http`` also serves the real stack (gunicorn, 2 workers) and drives each page with wrk (4
connections, a warm-up, then ``--http-seconds``) for requests per second and p50/p95.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

FLOOR_HTML = "/bench/floor/"
FLOOR_API = "/bench/floor/api/"
FLOOR_FRAME = "/bench/floor/frame/"
ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- timing


def median_ms(action, repeat: int) -> float:
    action()  # warm: caches, prepared plans, imports
    timings = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def interleaved_medians_ms(actions, repeat: int) -> list[float]:
    """The median time of each action, the actions taking turns (page, best, floor, replay,
    page, best, …) so that all of them meet the same load on a shared machine."""
    for action in actions:
        action()  # warm
    timings = [[] for _ in actions]
    for _ in range(max(1, repeat)):
        for action, spent in zip(actions, timings, strict=True):
            started = time.perf_counter()
            action()
            spent.append((time.perf_counter() - started) * 1000)
    return [statistics.median(spent) for spent in timings]


@contextmanager
def recording():
    """Every (sql, params, many) the block sends to the database."""
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def run_sql(statements) -> None:
    """Run ``(sql, params[, many])`` statements and fetch every row."""
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in statements:
            sql, params, *rest = statement
            if rest and rest[0]:
                cursor.executemany(sql, params)
                continue
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()


def is_read(sql: str) -> bool:
    head = sql.lstrip().upper()
    return head.startswith(("SELECT", "WITH", "EXPLAIN")) and "django_session" not in sql


# --------------------------------------------------------------------------- pages


@dataclass
class Page:
    """One page of a scenario and the expert's queries for what it shows."""

    name: str
    url: str
    best: list  # [(sql, params)], or a callable run as the best
    kind: str = "html"  # "html" or "api": which floor applies
    marker: str = ""  # replay only the statements mentioning it ("" = every read)
    note: str = ""
    extra: dict = field(default_factory=dict)


def measure_page(client, page: Page, repeat: int, floors: dict | None = None) -> dict:
    """The page, its best query, the floor and the replayed SQL, timed in turns; ``floors``
    (the scenario's separate floor figures) is no longer used for the ratio."""

    def request():
        response = client.get(page.url)
        if response.status_code != 200:
            raise RuntimeError(f"{page.url} answered {response.status_code}")
        return response

    response = request()  # warm caches and the session
    with recording() as statements:
        request()
    replayed = [s for s in statements if is_read(s[0]) and page.marker in s[0]]
    best = page.best if callable(page.best) else (lambda: run_sql(page.best))
    floor_url = FLOOR_API if page.kind == "api" else FLOOR_HTML
    actions = [request, best, lambda: client.get(floor_url)]
    if page.kind == "html":
        actions.append(lambda: client.get(FLOOR_FRAME))
    if replayed:
        actions.append(lambda: run_sql(replayed))
    timings = interleaved_medians_ms(actions, repeat)
    page_ms, best_ms, floor_ms = timings[:3]
    frame_ms = timings[3] if page.kind == "html" else None
    replay_ms = timings[-1] if replayed else 0.0
    result = {
        "name": page.name,
        "url": page.url,
        "page_ms": round(page_ms, 2),
        "best_ms": round(best_ms, 2),
        "floor_ms": round(floor_ms, 2),
        "ratio": round(page_ms / (best_ms + floor_ms), 2),
        **(
            {
                "frame_ms": round(frame_ms, 2),
                "frame_ratio": round(page_ms / (best_ms + frame_ms), 2),
            }
            if frame_ms is not None
            else {}
        ),
        "replay_ms": round(replay_ms, 2),
        "replay_ratio": round(page_ms / replay_ms, 2) if replay_ms else None,
        "queries": len(statements),
        "bytes": len(response.content),
        **page.extra,
    }
    if page.note:
        result["note"] = page.note
    return result


def measure_floors(client, repeat: int) -> dict:
    """The floors, measured first: from here on the process keeps its long-lived objects out
    of the garbage collector's sight, as the served application does (``biys.core.wsgi``)."""
    from biys.core.wsgi import freeze_long_lived_objects

    freeze_long_lived_objects()

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    return {
        "html": median_ms(lambda: get(FLOOR_HTML), repeat * 3),
        "api": median_ms(lambda: get(FLOOR_API), repeat * 3),
    }


def query_count(client, url: str) -> int:
    """Queries of a warm request (caches filled once, e.g. a calendar year, do not count)."""
    client.get(url)
    with recording() as statements:
        client.get(url)
    return len([statement for statement in statements if is_read(statement[0])])


# --------------------------------------------------------------------------- HTTP (gunicorn + wrk)

REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %.1f %.1f\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95)))
end
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(workers: int = 2):
    """The real stack under gunicorn on a free local port, on the bench's database."""
    if shutil.which("wrk") is None:
        raise SystemExit("--http needs wrk (Debian: apt-get install wrk)")
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/health/", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _drain(completed) -> None:
    """Let the server finish what wrk left in flight when it stopped (the workers go on with
    those requests), so that the next run starts on idle workers: a slow page's leftovers
    would otherwise eat the first seconds of the next run."""
    line = next((ln for ln in completed.stdout.splitlines() if ln.startswith("BENCH ")), None)
    p95_ms = float(line.split()[5]) / 1000 if line else 0.0
    time.sleep(min(p95_ms / 1000, 30.0))


CONNECTIONS = 4  # wrk's connections per page, unless a measure names its own


def wrk(
    url: str,
    headers: dict,
    seconds: int,
    warmup: int = 3,
    post_body: str = "",
    connections: int = CONNECTIONS,
) -> dict:
    """Requests per second and p50/p95 latency of ``url`` at ``connections`` connections."""
    url = quote(url, safe=":/?&=%+,;@")  # wrk takes ASCII only (``?q=yazılım``)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(REPORT_LUA)
        if post_body:
            body = post_body.replace("\\", "\\\\").replace('"', '\\"')
            script.write(f'wrk.method = "POST"\nwrk.body = "{body}"\n')
            script.write('wrk.headers["Content-Type"] = "application/json"\n')
    header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    try:
        base = ["wrk", "-t2", f"-c{connections}", "--timeout", "30s", "-s", script.name]
        base += header_args
        if warmup:
            _drain(
                subprocess.run(
                    [*base, f"-d{warmup}s", url], capture_output=True, text=True, check=False
                )
            )
        completed = subprocess.run(
            [*base, f"-d{seconds}s", url], capture_output=True, text=True, check=False
        )
        _drain(completed)
    finally:
        os.unlink(script.name)
    line = next((ln for ln in completed.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        return {"error": (completed.stderr or completed.stdout)[-300:]}
    requests, errors, duration_us, p50_us, p95_us = line.split()[1:]
    return {
        "rps": round(int(requests) / (int(duration_us) / 1e6), 1),
        "p50_ms": round(float(p50_us) / 1000, 1),
        "p95_ms": round(float(p95_us) / 1000, 1),
        "requests": int(requests),
        "errors": int(errors),
        "connections": connections,
    }


def session_cookie(client) -> str:
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def http_figures(
    pages: list, client, seconds: int, posts: dict | None = None, rt: dict | None = None
) -> dict:
    """wrk over each page (and each ``posts`` entry: (path, headers, json body) or (path,
    headers, json body, connections) when the measure needs other than 4 connections).

    With ``rt`` (Request Tracker's page for each of ours, see ``rt_pages()`` in
    bench/servicedesk.py) and ``BENCH_RT_URL`` set, each page is driven BİYS, RT, BİYS again
    (the machine is shared: what the other sessions do lands on both sides), and the figures
    get an ``rt`` entry: per page, RT's run and ``ratio`` = BİYS req/s (mean of its two runs) /
    RT req/s."""
    cookie = {"Cookie": session_cookie(client), "Accept-Language": "tr"}
    figures: dict = {}
    against = rt_target(rt or {})
    compared: dict = {}
    with served() as base:
        for key, url in (
            ("floor", FLOOR_HTML),
            ("floor_frame", FLOOR_FRAME),
            ("floor_api", FLOOR_API),
        ):
            figures[key] = wrk(base + url, cookie, seconds)
        runs = [(page.name, base + page.url, cookie, "", CONNECTIONS) for page in pages]
        runs += [
            (name, base + post[0], post[1], post[2], post[3] if len(post) > 3 else CONNECTIONS)
            for name, post in (posts or {}).items()
        ]
        for name, url, headers, body, connections in runs:
            figures[name] = wrk(url, headers, seconds, post_body=body, connections=connections)
            theirs = [(key, item) for key, item in against.items() if item["biys"] == name]
            if not theirs:
                continue
            for key, item in theirs:
                compared[key] = {"rt": rt_run(item, seconds), "url": item["path"]}
            again = wrk(url, headers, seconds, post_body=body, connections=connections)
            first = figures[name]
            if "rps" in first and "rps" in again:
                figures[name] = {
                    **first,
                    "rps": round((first["rps"] + again["rps"]) / 2, 1),
                    "runs": [first, again],
                }
            for key, _item in theirs:
                rt_rps = compared[key]["rt"].get("rps")
                ours = figures[name].get("rps")
                compared[key]["biys_rps"] = ours
                compared[key]["ratio"] = round(ours / rt_rps, 2) if ours and rt_rps else None
    if against:
        figures["rt"] = compared
    return figures


def add_http_figures(result: dict, pages, client, http_seconds: int) -> dict:
    """``--http``: the served stack's figures for ``pages`` into ``result``; a failure there is
    recorded as ``http_error`` and keeps the in-process figures."""
    if http_seconds:
        result["http_seconds"] = http_seconds
        try:
            result["http"] = http_figures(pages, client, http_seconds)
        except Exception as error:  # keep the in-process figures whatever happens here
            result["http_error"] = repr(error)
    return result


def rt_target(pages: dict) -> dict:
    """Request Tracker's pages to drive when ``BENCH_RT_URL`` names one (see bench/README.md):
    ``{name: {"path", "biys": our page's name, "body": JSON for a POST, "auth": "cookie" or
    "token"}}`` with the headers each needs (``BENCH_RT_COOKIE``, ``BENCH_RT_TOKEN``)."""
    base = os.environ.get("BENCH_RT_URL", "").rstrip("/")
    if not base:
        return {}
    target = {}
    for name, page in pages.items():
        item = {"biys": name, "body": "", "auth": "cookie", **page}
        if item["auth"] == "token":
            headers = {"Authorization": f"token {os.environ.get('BENCH_RT_TOKEN', '')}"}
        else:
            headers = {"Cookie": os.environ.get("BENCH_RT_COOKIE", "")}
            if item["body"]:  # RT refuses a POST on a session without its own Referer
                headers["Referer"] = f"{base}/"
        target[name] = {**item, "url": base + item["path"], "headers": headers}
    return target


def rt_run(item: dict, seconds: int) -> dict:
    """One request first (status, size, signed in or not: RT answers 200 with its login form
    when the session is not signed in), then the wrk run."""
    request = urllib.request.Request(
        item["url"],
        data=item["body"].encode() or None,
        headers={**item["headers"], "Content-Type": "application/json"},
    )
    check: dict = {}
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            content = response.read()
            check = {"status": response.status, "bytes": len(content)}
    except urllib.error.HTTPError as error:
        content = error.read()
        check = {"status": error.code, "bytes": len(content)}
    check["signed_in"] = b"NoAuth/Login.html" not in content and b'name="pass"' not in content
    figures = wrk(item["url"], item["headers"], seconds, post_body=item["body"])
    return {**figures, "check": check}


def print_pages(result: dict) -> None:
    header = (
        f"{'page':<22}{'page ms':>9}{'best ms':>9}{'floor':>7}{'ratio':>7}"
        f"{'frame':>7}{'f.ratio':>8}{'replay':>8}{'queries':>8}  url"
    )
    print(header)
    print("-" * len(header))
    for item in result["pages"]:
        replay = item["replay_ratio"] if item["replay_ratio"] is not None else "-"
        frame, frame_ratio = item.get("frame_ms", "-"), item.get("frame_ratio", "-")
        print(
            f"{item['name']:<22}{item['page_ms']:>9.1f}{item['best_ms']:>9.1f}"
            f"{item['floor_ms']:>7.1f}{item['ratio']:>7.2f}{frame!s:>7}{frame_ratio!s:>8}"
            f"{replay!s:>8}{item['queries']:>8}  {item['url']}"
        )
    http = result.get("http")
    if http:
        print(
            f"\nHTTP (gunicorn 2 workers, wrk {CONNECTIONS} connections unless said,"
            f" {result['http_seconds']} s each)"
        )
        for name, figures in http.items():
            if "rps" in figures:
                connections = figures.get("connections", CONNECTIONS)
                print(
                    f"{name:<22}{figures['rps']:>9.1f} req/s  p50 {figures['p50_ms']} ms"
                    f"  p95 {figures['p95_ms']} ms  errors {figures['errors']}"
                    + (f"  ({connections} connections)" if connections != CONNECTIONS else "")
                )
            else:
                print(f"{name:<22} failed: {figures.get('error')}")
    if result.get("rt"):
        print("\nAgainst Request Tracker (BİYS req/s, mean of the runs before and after RT's):")
        for name, item in result["rt"].items():
            rt = item["rt"]
            print(
                f"{name:<22}BİYS {item.get('biys_rps')!s:>7} req/s  RT {rt.get('rps')!s:>7} req/s"
                f"  p50 {rt.get('p50_ms')} ms  p95 {rt.get('p95_ms')} ms  ratio {item.get('ratio')}"
                f"  ({rt.get('check')}) {item['url']}"
            )
