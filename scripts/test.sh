#!/usr/bin/env bash
# Runs the whole test suite: lint, then every test on SQLite and again on PostgreSQL
# (a throw-away PostgreSQL server started on localhost for the run). Installs what is
# missing first. Extra arguments go to pytest, e.g. `bash scripts/test.sh -k reminders`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh

.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== Tests on SQLite"
env -u DATABASE_URL .venv/bin/pytest "$@"

echo "== Tests on PostgreSQL"
source scripts/postgres.sh
DATABASE_URL="$TEST_POSTGRES_URL" .venv/bin/pytest "$@"
