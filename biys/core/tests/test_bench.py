"""The bench CLI runs end to end on a small size and reports what the README promises."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert {"ratio", "replay_ratio", "queries", "pages", "size", "database", "floors_ms"} <= (
        result.keys()
    )
    assert result["size"]["people"] == 120
    assert result["queries"] == result["pages"][0]["queries"] > 0
    assert result["queries_constant"] is True
    names = [page["name"] for page in result["pages"]]
    assert {"api_people_page1", "api_people_deep", "ui_people_list", "ui_people_search"} <= set(
        names
    )
    for page in result["pages"]:
        assert page["page_ms"] > 0 and page["best_ms"] > 0 and page["floor_ms"] > 0
        # ratio = page / (best query + the stack's floor); the replayed SQL is kept apart
        expected = page["page_ms"] / (page["best_ms"] + page["floor_ms"])
        assert abs(page["ratio"] - expected) <= 0.02 * expected + 0.01
        assert page["replay_ms"] > 0
        if page["name"].startswith(("ui_", "global_")):  # HTML: also set against the frame
            framed = page["page_ms"] / (page["best_ms"] + page["frame_ms"])
            assert abs(page["frame_ratio"] - framed) <= 0.02 * framed + 0.01
        else:
            assert "frame_ms" not in page
    assert result["ratio"] == max(page["ratio"] for page in result["pages"])
    assert "sqlite" in result["database"]


@pytest.mark.django_db
def test_bench_org_reads_back_a_kept_build():
    """``--keep-db`` measures a kept org build as it is: what the build returned, read back."""
    from bench.org import build, load_built

    built = build(40)
    assert load_built() == built


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


def test_the_floor_pages_resolve_the_access_scope(client, admin_user, settings):
    """The floor is session, middleware and scope (the issue "Speed at scale"): a page's ratio
    must not count the scope, which every page resolves, against the page."""
    settings.ROOT_URLCONF = "bench.urls"
    client.force_login(admin_user)
    for url in ("/bench/floor/", "/bench/floor/frame/", "/bench/floor/api/"):
        response = client.get(url)
        assert response.status_code == 200
        assert hasattr(response.wsgi_request.user, "_biys_scope"), url


def test_bench_calls_counts_a_page(db, client, django_user_model):
    """``python -m bench.calls``' measure: calls and CPU of a signed-in page, and a refusal for a
    page that does not answer 200."""
    import pytest

    from bench.calls import measure

    user = django_user_model.objects.create_user(username="calls", password=None)
    client.force_login(user)
    figures = measure(client, "/", requests=2, repeat=1)
    assert figures["url"] == "/"
    assert figures["calls"] > 100
    assert figures["cpu_ms"] > 0
    with pytest.raises(SystemExit):
        measure(client, "/no-such-page/", requests=1, repeat=1)
