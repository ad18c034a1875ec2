"""A smoke test, so that the benchmark cannot rot; its figures are not pass/fail."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager

import psycopg
from django.db import connection

from tests.paths import ROOT


@contextmanager
def database_beside_the_suites():
    """A database of the benchmark's own on the PostgreSQL server the suite runs on, so the
    smoke run starts no server of its own; dropped afterwards."""
    params = connection.settings_dict
    server = dict(host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"],
                  password=params["PASSWORD"])  # fmt: skip
    name = f"bench_smoke_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{server['user']}:{server['password']}@" if server["password"] else (
            f"{server['user']}@")  # fmt: skip
        yield f"postgres://{auth}{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_quick_benchmark(database: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--databases", database],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )


def test_the_quick_benchmark_prints_every_figure():
    # On the database the suite runs on: the PostgreSQL pass runs the benchmark's
    # PostgreSQL code, in a database of its own on the suite's server.
    if connection.vendor == "postgresql":
        database = "postgres"
        with database_beside_the_suites() as url:
            result = run_quick_benchmark(database, {"BENCH_POSTGRES_URL": url})
    else:
        database = "sqlite"
        result = run_quick_benchmark(database, {})
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert out.startswith(database), out[:500]
    for figure in (
        "read all time phrases",
        "find_candidates the five agreements: recall / precision",
        "find_candidates corpus, held out: recall / precision",
        "find_candidates over the five agreements",
        "Taskforce report, real data",
        "admin list (default): queries",
        "admin list (overskredet): median time",
        "reminder selection",
        "reminder run, first over",
        "reminder run, the next day",
        "peak",
        "admin front page",
        "public agreement page: queries",
        "public list page, gunicorn",
        "public agreement page, gunicorn",
    ):
        assert figure in out, figure
