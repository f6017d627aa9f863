"""``python -m bench secops`` runs end to end on a small size and reports its figures."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_secops_small_json():
    env = {**os.environ, "BIYS_DEBUG": "true"}
    env.pop("DATABASE_URL", None)  # a temporary SQLite file, whatever the suite runs on
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "findings", "--size", "200", "--import-size", "120",
         "--repeat", "1", "--json", "--syncdb"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["size"] == 200 and result["units"] == 5
    assert result["import"]["findings"] == 120 and result["import_per_s"] > 0
    assert result["import"]["updated_per_s"] > 0
    names = [page["name"] for page in result["pages"]]
    assert names == ["ui_findings", "api_open_critical", "ui_overdue", "ui_overdue_by_unit"]
    for page in result["pages"]:
        assert page["page_ms"] > 0 and page["best_ms"] > 0 and page["ratio"] > 0
        assert page["queries"] <= 8, page
    assert result["queries_constant"] is True
