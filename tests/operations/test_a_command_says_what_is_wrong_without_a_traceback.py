"""A newcomer's mistakes get one clear line, not a traceback."""

import os
import subprocess
import sys

from tests.paths import ROOT


def manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_a_day_that_does_not_exist_is_a_usage_error():
    result = manage("send_reminders", "--today", "2026-13-01", "--dry-run")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "argument --today: Bad date '2026-13-01': write it as YYYY-MM-DD" in result.stderr


def test_a_database_that_is_not_migrated_is_named_with_what_to_run(tmp_path):
    agreement = next((ROOT / "fixtures" / "agreements").glob("*.txt"))
    empty = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    for command in (
        ["find_candidates", str(agreement)],
        ["send_reminders", "--dry-run"],
        ["export_obligations", "--format", "json"],
    ):
        result = manage(*command, env=empty)
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr, command
        assert "no such table" not in result.stderr, command
        assert "Run `python manage.py migrate` first." in result.stderr, command


def test_the_postgresql_script_says_when_postgresql_is_missing(tmp_path):
    script = f"set -euo pipefail; source {ROOT / 'scripts' / 'postgres.sh'}; echo started"
    result = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "TEST_POSTGRES_BIN": str(tmp_path / "no-postgresql")},
        timeout=60,
    )
    assert result.returncode == 1
    assert "started" not in result.stdout
    assert "PostgreSQL is not installed" in result.stderr
    assert "scripts/install.sh installs it" in result.stderr
