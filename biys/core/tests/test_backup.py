"""`biys backup` then `biys restore` into a fresh installation (new database, new data
directory): the uploaded files, the audit key and the checkpoints come back, and the restored
change log passes `audit verify` against the restored checkpoint."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from biys.core.context import change_context
from biys.org.models import Unit

BASE_DIR = Path(settings.BASE_DIR)


def fresh_database(tmp_path) -> tuple[str, callable]:
    """A DATABASE_URL for an empty database, and how to drop it afterwards."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    params = connection.settings_dict
    name = f"{params['NAME']}_restored"[:63]
    admin = psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    host = params["HOST"] or "127.0.0.1"
    url = f"postgres://{params['USER']}{password}@{host}:{params['PORT'] or 5432}/{name}"
    return url, drop


def run_biys(*arguments, environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_installation_that_passes_verify(
    org_tree, make_user, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "attachments").mkdir(parents=True)
    (settings.MEDIA_ROOT / "attachments" / "tutanak.pdf").write_bytes(b"%PDF-1.4 tutanak")
    author = make_user(username="kayitci")
    with change_context(user=author, remote_addr="10.1.2.3"):
        for number in range(5):
            Unit.objects.create(name=f"Şeflik {number}", kind="seflik", parent=org_tree["dept"])
    call_command("audit", "checkpoint")
    call_command("backup", str(tmp_path / "backup"))
    backup = tmp_path / "backup"
    assert {p.name for p in backup.iterdir()} >= {"manifest.json", "media", "audit.key"}
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(backup))

    url, drop = fresh_database(tmp_path)
    new_home = tmp_path / "new-installation"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("BIYS_") and key != "DATABASE_URL"
    }
    environment.update(
        BIYS_SECRET_KEY="t",
        BIYS_DATA_DIR=str(new_home),
        BIYS_MEDIA_ROOT=str(new_home / "media"),
        DATABASE_URL=url,
    )
    try:
        restored = run_biys("restore", str(backup), environment=environment)
        assert restored.returncode == 0, restored.stderr
        assert "Change log intact" in restored.stdout
        assert "checked against checkpoint-" in restored.stdout
        assert (new_home / "audit.key").read_bytes() == (backup / "audit.key").read_bytes()
        assert (new_home / "media" / "attachments" / "tutanak.pdf").exists()
        verified = run_biys("audit", "verify", environment=environment)
        assert verified.returncode == 0, verified.stderr
        again = run_biys("restore", str(backup), environment=environment)
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        drop()
