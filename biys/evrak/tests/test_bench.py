"""``python -m bench documents`` runs end to end on a small size and reports its figures."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_documents_small_json():
    env = {**os.environ, "BIYS_DEBUG": "true"}
    env.pop("DATABASE_URL", None)  # a temporary SQLite file, whatever the suite runs on
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "documents", "--size", "90", "--repeat", "1", "--json",
         "--syncdb"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["documents"] == 90 and result["routings"] == 30
    names = [page["name"] for page in result["pages"]]
    assert names == [
        "ui_registry", "api_registry", "ui_search_number", "api_search_number",
        "ui_search_word", "api_search_word",
    ]  # fmt: skip
    for page in result["pages"]:
        assert page["page_ms"] > 0 and page["best_ms"] > 0 and page["ratio"] > 0
        assert page["queries"] <= 10, page
    assert result["queries_constant"] is True
    writes = result["registrations"]
    assert writes["registered"] > 0 and writes["duplicates"] == 0 and writes["gaps"] == 0
    assert not writes["errors"]
    assert result["eyp"]["packages"] == 10 and result["eyp"]["invalid"] == 0
