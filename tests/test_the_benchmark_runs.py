"""A smoke test, so that the benchmark cannot rot; its figures are not pass/fail."""

import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_the_quick_benchmark_prints_every_figure():
    # On the database the suite runs on: the PostgreSQL pass runs the benchmark's own
    # throw-away PostgreSQL server and its PostgreSQL code.
    database = "postgres" if connection.vendor == "postgresql" else "sqlite"
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--databases", database],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert out.startswith(database), out[:500]
    for figure in (
        "read all time phrases",
        "Taskforce report, real data",
        "admin list (default): queries",
        "admin list (overskredet): median time",
        "reminder selection",
        "reminder run, first over",
        "reminder run, the next day",
        "peak",
        "admin front page",
    ):
        assert figure in out, figure
