"""``python -m bench logs5651`` runs end to end on a small size and reports its figures."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_logs5651_small_json():
    env = {**os.environ, "BIYS_DEBUG": "true"}
    env.pop("DATABASE_URL", None)  # a temporary SQLite file, whatever the suite runs on
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "logs5651", "--size", "400", "--repeat", "2", "--json",
         "--syncdb"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["lines"] == 400 and result["unreadable"] == 0
    assert result["ingest_lines_per_s"] > 0 and result["seal_ratio"] > 0
    assert result["search_found"] >= 1 and result["search_best_ms"] > 0
