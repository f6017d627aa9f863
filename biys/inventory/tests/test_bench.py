"""``python -m bench inventory`` runs end to end on a small size and reports its figures."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_bench_inventory_small_json():
    env = {**os.environ, "BIYS_DEBUG": "true"}
    env.pop("DATABASE_URL", None)  # a temporary SQLite file, whatever the suite runs on
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "inventory", "--size", "400", "--repeat", "1",
         "--json", "--syncdb"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["size"] == 400
    names = [page["name"] for page in result["pages"]]
    assert names == [
        "ui_assets", "api_assets", "ui_search_model", "api_search_serial", "ui_person_custody",
    ]  # fmt: skip
    for page in result["pages"]:
        assert page["page_ms"] > 0 and page["best_ms"] > 0 and page["ratio"] > 0
        assert page["queries"] <= 8, page
    assert result["queries_constant"] is True
    agents = result["agents"]
    assert agents["inventories"] == 480 and agents["applied"] == 480
    assert agents["deadlocks"] == 0 and agents["errors"] == 0 and agents["lost_updates"] == 0
    assert agents["devices"] == 240 and agents["matched_to_register"] == 120
    assert result["agent_inventories_per_s"] > 0


@pytest.mark.django_db
def test_a_kept_build_is_found_again():
    """``--keep-db``: a database that holds a build is measured as it is (``bench.inventory
    .load``), the same officer, units and busiest person as the build gave."""
    import random

    from bench.inventory import build, load

    built = build(random.Random(1), 60)
    found = load()
    assert found["officer"] == built["officer"]
    assert found["units"] == built["units"]
    assert found["person"] == built["person"]
