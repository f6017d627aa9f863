"""The bench CLI runs end to end on a small size and reports what the README promises."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_org_small_json():
    env = {**os.environ, "BIYS_DEBUG": "true"}
    env.pop("DATABASE_URL", None)  # a temporary SQLite file, whatever the suite runs on
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "org",
            "--size",
            "120",
            "--repeat",
            "2",
            "--json",
            "--syncdb",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert {"ratio", "queries", "measures", "size", "database"} <= result.keys()
    assert result["size"]["people"] == 120
    assert result["queries"] == result["measures"][0]["queries"] > 0
    names = [measure["name"] for measure in result["measures"]]
    assert any("page 1" in name for name in names)
    assert any("search" in name for name in names)
    for measure in result["measures"]:
        assert measure["api_ms"] > 0 and measure["raw_ms"] > 0
        assert measure["raw_queries"] >= 1
    assert result["ratio"] == max(measure["ratio"] for measure in result["measures"])
    assert "sqlite" in result["database"]


def test_bench_rejects_unknown_scenario():
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "nope"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert "invalid choice" in completed.stderr
