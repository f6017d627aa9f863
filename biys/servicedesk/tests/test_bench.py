"""The service desk bench runs end to end on a small size and prints its JSON figures."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_bench_prints_ratio_queries_and_creates():
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "servicedesk",
            "--size",
            "300",
            "--json",
            "--repeat",
            "1",
            "--syncdb",
        ],
        cwd=ROOT,
        env={**os.environ},  # same database engine as the test run
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout)
    assert result["size"] == 300
    assert result["rows"]["tickets"] == 300
    assert result["ratio"] > 0 and result["replay_ratio"] > 0
    assert result["creates_per_s"] > 0 and result["create"]["ratio"] > 0
    names = {page["name"] for page in result["pages"]}
    assert names == {
        "ui_queue_default",
        "api_queue_open",
        "ui_ticket_detail",
        "api_ticket_detail",
        "api_search_all",
        "ui_search_all",
        "api_deep_page",
        "ui_my_tickets",
        "ui_stats_year",
    }
    for page in result["pages"]:
        assert page["queries"] > 0 and page["best_ms"] > 0 and page["floor_ms"] > 0
        assert page["ratio"] > 0
    counts = result["queries_constant_by_page"]  # name -> [at 10 rows, at 100 rows]
    for name, (few, many) in counts.items():
        if name == "ui_queue_default":
            # The SLA column loads each calendar year its rows span once (precomputed office
            # time per year): old on-hold tickets can add a year, never a query per row.
            # A larger page that holds every row is its own count: one query fewer.
            assert -1 <= many - few <= 2, counts
        else:
            assert many <= few, counts


@pytest.mark.django_db
def test_the_write_floor_stores_one_row_and_needs_a_login(make_user, org_tree):
    """``/bench/floor/api/write/``: what creation is set against over HTTP."""
    from django.db import connection
    from django.test import override_settings
    from rest_framework.test import APIClient

    from bench.urls import WRITE_TABLE, ensure_write_table

    with override_settings(ROOT_URLCONF="bench.urls"):
        ensure_write_table()
        client = APIClient()
        assert client.post("/bench/floor/api/write/", {"a": 1}, format="json").status_code in (
            401,
            403,
        )
        client.force_authenticate(make_user("technician", org_tree["helpdesk"]))
        response = client.post("/bench/floor/api/write/", {"title": "Yazıcı"}, format="json")
        assert response.status_code == 201
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT body FROM {WRITE_TABLE}")
            assert [row[0] for row in cursor.fetchall()] == ['{"title": "Yaz\\u0131c\\u0131"}']
