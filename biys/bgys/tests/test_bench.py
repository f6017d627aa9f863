"""``python -m bench bgys`` runs end to end on a small size and reports its figures."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_bgys_small_json():
    env = {**os.environ, "BIYS_DEBUG": "true"}
    env.pop("DATABASE_URL", None)  # a temporary SQLite file, whatever the suite runs on
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "bgys", "--size", "30", "--repeat", "1", "--json",
         "--syncdb"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["size"] == result["information_assets"] == 30 and result["units"] == 61
    assert result["soa_entries"] > 0 and result["audits"] == 36
    assert result["findings"] > 0 and result["corrective_actions"] > 0
    names = [page["name"] for page in result["pages"]]
    assert names == [
        "ui_compliance", "api_compliance", "ui_assets", "ui_soa", "api_soa", "ui_audits",
        "ui_findings", "ui_corrective_actions", "ui_compliance_department",
    ]  # fmt: skip
    for page in result["pages"]:
        assert page["page_ms"] > 0 and page["best_ms"] > 0 and page["ratio"] > 0
        assert page["queries"] <= 10, page
    assert result["queries_constant"] is True
