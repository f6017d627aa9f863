"""The service desk bench runs end to end on a small size and prints its JSON figures."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_prints_ratio_queries_and_creates():
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "servicedesk", "--size", "300", "--json", "--repeat", "2"],
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
    assert result["ratio"] > 0
    assert result["creates_per_s"] > 0
    assert set(result["queries"]) == {
        "api_queue",
        "api_queue_deep",
        "ui_queue",
        "api_search",
        "ui_search",
    }
    assert all(count > 0 for count in result["queries"].values())
    assert result["queries_constant"] is True
    assert all(item["ticket_queries"] >= 1 for item in result["lists"].values())
    assert result["stats_page"]["queries"] > 0
