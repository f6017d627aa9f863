"""``biys backup DEST`` and ``biys restore SRC``: everything an installation needs to come back.

A backup is a directory holding ``database.dump`` (``pg_dump --format=custom`` on PostgreSQL) or
``database.sqlite3`` (SQLite's online backup), ``media/`` (uploaded files), ``audit.key`` (the
change log's key, unless it comes from ``BIYS_AUDIT_KEY``), ``audit-checkpoints/`` (a fresh
checkpoint is written first) and ``manifest.json``. Restore goes into an empty database and
runs ``audit verify`` against the restored checkpoints.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from biys.core import auditkey, checkpoints

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _pg_environment(settings_dict: dict) -> tuple[list[str], dict]:
    arguments = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments += [flag, str(settings_dict[key])]
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    return arguments, environment


def _run(command: list[str], environment: dict) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _copy_tree(source: Path, target: Path) -> int:
    if not source.is_dir():
        return 0
    shutil.copytree(source, target, dirs_exist_ok=True)
    return sum(1 for path in target.rglob("*") if path.is_file())


def backup(destination: Path, *, using: str = "default") -> dict:
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty.")
    destination.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    checkpoint = checkpoints.write_checkpoint(using=using)
    manifest = {"created": timezone.now().isoformat(), "vendor": connection.vendor}
    if connection.vendor == "postgresql":
        arguments, environment = _pg_environment(connection.settings_dict)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *arguments,
                "--file",
                str(destination / "database.dump"),
                connection.settings_dict["NAME"],
            ],
            environment,
        )
        manifest["database"] = "database.dump"
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(destination / "database.sqlite3")
        try:
            connection.connection.backup(target)  # consistent while others keep writing
        finally:
            target.close()
        manifest["database"] = "database.sqlite3"
    else:
        raise BackupError(f"No backup method for {connection.vendor}.")
    manifest["media_files"] = _copy_tree(Path(settings.MEDIA_ROOT), destination / "media")
    if getattr(settings, "BIYS_AUDIT_KEY", ""):
        manifest["audit_key"] = "BIYS_AUDIT_KEY (environment): keep a copy of it with this backup"
    else:
        auditkey.audit_key()  # generated if it did not exist yet
        shutil.copy2(auditkey.key_file(), destination / "audit.key")
        os.chmod(destination / "audit.key", 0o600)
        manifest["audit_key"] = "audit.key"
    manifest["checkpoints"] = _copy_tree(checkpoints.directory(), destination / "audit-checkpoints")
    manifest["latest_checkpoint"] = checkpoint.name
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest


def _database_is_empty(connection) -> bool:
    return "django_migrations" not in connection.introspection.table_names()


def restore(source: Path, *, using: str = "default", force: bool = False) -> dict:
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} holds no BİYS backup: {error}") from error
    connection = connections[using]
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"A {manifest['vendor']} backup cannot go into {connection.vendor}.")
    if not force and not _database_is_empty(connection):
        raise BackupError("The database is not empty: restore into a fresh one (or --force).")
    key_source = source / "audit.key"
    if key_source.exists() and not getattr(settings, "BIYS_AUDIT_KEY", ""):
        target = auditkey.key_file()
        if target.exists() and target.read_bytes() != key_source.read_bytes() and not force:
            raise BackupError(f"{target} holds another audit key: move it away (or --force).")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(key_source, target)
        os.chmod(target, 0o600)
        auditkey._cache.clear()
    if connection.vendor == "postgresql":
        arguments, environment = _pg_environment(connection.settings_dict)
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *(["--clean", "--if-exists"] if force else []),
                *arguments,
                "--dbname",
                connection.settings_dict["NAME"],
                str(source / manifest["database"]),
            ],
            environment,
        )
    else:
        connection.close()
        backup_file = sqlite3.connect(source / manifest["database"])
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            backup_file.backup(target)
        finally:
            backup_file.close()
            target.close()
    _copy_tree(source / "media", Path(settings.MEDIA_ROOT))
    _copy_tree(source / "audit-checkpoints", checkpoints.directory())
    return manifest
