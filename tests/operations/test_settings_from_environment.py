import re
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import envbool, envint
from tests.paths import ROOT


def test_envbool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert envbool("X_FLAG", "0") is True
    monkeypatch.setenv("X_FLAG", "0")
    assert envbool("X_FLAG", "1") is False


def test_envbool_fails_loudly_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        envbool("X_FLAG", "0")


def test_envint_fails_loudly_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        envint("EMAIL_PORT", "25")


def run_settings(env: dict) -> subprocess.CompletedProcess:
    code = (
        "from django.conf import settings; import django; django.setup(); "
        "print(settings.DATABASES['default']['ENGINE'], settings.EMAIL_HOST, settings.EMAIL_PORT, "
        "settings.CELERY_BROKER_URL, settings.DEBUG, settings.ALLOWED_HOSTS)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )


def test_configuration_comes_from_the_environment():
    result = run_settings(
        {
            "DATABASE_URL": "postgres://u:p@db.example.org:5432/tracker",
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_PORT": "587",
            "REDIS_URL": "redis://cache.example.org:6379/2",
            "SECRET_KEY": "s3cret",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "tracker.example.org",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "smtp.example.org",
        "587",
        "redis://cache.example.org:6379/2",
        "False",
        "['tracker.example.org']",
    ]


def test_production_without_a_secret_key_refuses_to_start():
    result = run_settings({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_every_setting_read_from_the_environment_is_in_the_readmes_table():
    root = ROOT
    source = (root / "config" / "settings.py").read_text()
    read = set(
        re.findall(r"""(?:env\w*\(|environ(?:\.get\(|\[))\s*["']([A-Z][A-Z0-9_]+)["']""", source)
    )
    readme = (root / "README.md").read_text()
    table_rows = "\n".join(line for line in readme.splitlines() if line.startswith("| `"))
    table = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table_rows))
    assert read, "no environment variables found in settings.py"
    assert sorted(read - table) == []
