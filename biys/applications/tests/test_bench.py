"""``python -m bench applications`` runs end to end on a small size and reports its figures."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_applications_small_json():
    env = {**os.environ, "BIYS_DEBUG": "true"}
    env.pop("DATABASE_URL", None)  # a temporary SQLite file, whatever the suite runs on
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "applications", "--size", "600", "--repeat", "2",
         "--json", "--syncdb"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["size"] == 600 and result["units"] == 61
    names = [page["name"] for page in result["pages"]]
    assert names == ["ui_due_this_week", "api_due_this_week", "ui_open", "ui_late"]
    for page in result["pages"]:
        assert page["page_ms"] > 0 and page["best_ms"] > 0 and page["ratio"] > 0
        assert page["queries"] <= 6, page
    assert result["queries_constant"] is True
    assert result["deadlines_per_s"] > 1000
