#!/usr/bin/env bash
# Runs the whole test suite: lint and the layers check, then every test on SQLite and, at
# the same time, on PostgreSQL (a throw-away server started on localhost for the run).
# Installs what is missing first. Extra arguments go to pytest, e.g. `bash scripts/test.sh -k reminders`.
# Each pass runs its tests in TEST_WORKERS processes (pytest-xdist; default 2, one per core
# here), each module's tests in one process so that a module's shared fixtures are set up
# once; `bash scripts/test.sh -n 0` runs them in one.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache

parallel=(-n "${TEST_WORKERS:-2}" --dist loadscope)

# The two passes run at the same time: much of the suite waits on servers (Redis, SMTP,
# PostgreSQL, the browser), so together they take little more than the longer one. Each
# pass writes its own log, printed when it ends.
source scripts/postgres.sh
logs=$(mktemp -d /tmp/tracker-tests.XXXXXX)
env -u DATABASE_URL .venv/bin/pytest "${parallel[@]}" "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
DATABASE_URL="$TEST_POSTGRES_URL" .venv/bin/pytest "${parallel[@]}" "$@" >"$logs/postgres.log" 2>&1 &
postgres_pid=$!
status=0
wait "$sqlite_pid" || status=1
echo "== Tests on SQLite"
cat "$logs/sqlite.log"
wait "$postgres_pid" || status=1
echo "== Tests on PostgreSQL"
cat "$logs/postgres.log"
rm -rf "$logs"
exit "$status"
