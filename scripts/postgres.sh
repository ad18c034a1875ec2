# Sourced by test.sh: starts a throw-away PostgreSQL server on localhost, stopped and
# removed when the calling shell exits, and sets TEST_POSTGRES_URL.
# The newest Debian PostgreSQL, or the bin directory given in TEST_POSTGRES_BIN. Written so
# that the caller's `set -euo pipefail` cannot end the script before the message below.
pg_bin=${TEST_POSTGRES_BIN:-$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
if [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL is not installed: no initdb in $pg_bin (scripts/install.sh installs it)" >&2
  exit 1
fi
pg_port=${TEST_POSTGRES_PORT:-54329}
pg_dir=$(mktemp -d /tmp/tracker-pg.XXXXXX)
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres "$pg_dir"
  as_postgres=(runuser -u postgres --)
fi
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
trap '"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null; rm -rf "$pg_dir"' EXIT
export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/tracker"
