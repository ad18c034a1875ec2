#!/usr/bin/env bash
# Runs the whole test suite: lint, then every test on SQLite and again on PostgreSQL
# (a throw-away PostgreSQL server started on localhost for the run). Installs what is
# missing first. Extra arguments go to pytest, e.g. `bash scripts/test.sh -k reminders`.
# The tests run in TEST_WORKERS processes (pytest-xdist; default 2, one per core here),
# each module's tests in one process so that a module's shared fixtures are set up once;
# `bash scripts/test.sh -n 0` runs them in one.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache

parallel=(-n "${TEST_WORKERS:-2}" --dist loadscope)

echo "== Tests on SQLite"
env -u DATABASE_URL .venv/bin/pytest "${parallel[@]}" "$@"

echo "== Tests on PostgreSQL"
source scripts/postgres.sh
DATABASE_URL="$TEST_POSTGRES_URL" .venv/bin/pytest "${parallel[@]}" "$@"
