"""``check --deploy`` is clean with the production environment the README documents."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def documented_environment() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"`/etc/biys\.env`[^\n]*\n+```sh\n(.*?)```", readme, re.S)
    assert block, "the README no longer documents /etc/biys.env"
    env = {}
    for line in block.group(1).splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            name, value = line.split("=", 1)
            env[name.strip()] = value.strip()
    return env


def run_check(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    # Only the machine's basics: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process,
    # which production never has and check --deploy rightly refuses.
    inherited = ("BIYS_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    clean.update(env)
    clean["BIYS_SECRET_KEY"] = secrets.token_urlsafe(50)  # the README's placeholder
    clean["BIYS_DATA_DIR"] = str(tmp_path)  # /var/lib/biys is not ours to create here
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    env = documented_environment()
    assert {"BIYS_HSTS_SECONDS", "BIYS_SSL_REDIRECT", "BIYS_TRUSTED_PROXIES"} <= set(env)
    result = run_check(env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("dropped", ["BIYS_HSTS_SECONDS", "BIYS_SSL_REDIRECT"])
def test_check_deploy_warns_without_the_setting(tmp_path, dropped):
    env = documented_environment()
    env.pop(dropped)
    result = run_check(env, tmp_path)
    assert result.returncode != 0


def test_no_model_field_defaults_to_a_fixed_time_of_day():
    """Django warns (fields.W161) about a fixed time default only within ten seconds of that
    time of day, so ``check --deploy`` failed at 12:30:00 UTC and passed at any other moment: a
    time of day is given as a callable (``partial(time, 12, 30)``)."""
    from datetime import datetime, time

    from django.apps import apps

    fixed = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(getattr(field, "default", None), (time, datetime))
    ]
    assert not fixed, fixed
