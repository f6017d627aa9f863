"""The database options the environment chooses (``config/settings.py``), read in a fresh
interpreter so the suite's own settings are untouched."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRINT_DATABASE = (
    "import json, config.settings as s; d = s.DATABASES['default'];"
    "print(json.dumps({'options': d.get('OPTIONS', {}), 'age': d['CONN_MAX_AGE']}))"
)


def _database(**environment) -> dict:
    env = {**os.environ, "BIYS_SECRET_KEY": "t", **environment}
    for name in ("BIYS_DB_PREPARED_STATEMENTS", "BIYS_DB_PREPARE_THRESHOLD"):
        if name not in environment:
            env.pop(name, None)
    completed = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_prepared_statements_are_on_by_default_on_postgresql():
    database = _database(DATABASE_URL="postgres://biys@db/biys")
    assert database["options"] == {"server_side_binding": True, "prepare_threshold": 5}
    assert database["age"] == 60


def test_prepared_statements_can_be_switched_off_for_a_pooler():
    database = _database(
        DATABASE_URL="postgres://biys@db/biys", BIYS_DB_PREPARED_STATEMENTS="false"
    )
    assert "server_side_binding" not in database["options"]


def test_prepared_statements_on_postgresql():
    database = _database(
        DATABASE_URL="postgres://biys@db/biys",
        BIYS_DB_PREPARED_STATEMENTS="true",
        BIYS_DB_PREPARE_THRESHOLD="3",
    )
    assert database["options"] == {"server_side_binding": True, "prepare_threshold": 3}


def test_sqlite_ignores_the_postgresql_option(tmp_path):
    database = _database(
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", BIYS_DB_PREPARED_STATEMENTS="true"
    )
    assert "server_side_binding" not in database["options"]
    assert database["age"] == 0
