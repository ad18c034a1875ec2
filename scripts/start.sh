#!/usr/bin/env bash
# Installs and starts the whole system on the embedded defaults: SQLite, a Redis server,
# a local SMTP server that prints the mail it receives, the web server, a Celery worker
# and Celery beat, until Ctrl-C. The agreements are loaded and a demo login is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
mkdir -p var

.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_agreements --with-history
.venv/bin/python manage.py create_demo_users

processes=(web worker beat mail)
# Use a Redis that is already running on the default port; else start our own.
if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
  processes+=(redis)
fi
echo
echo "Kræftplan-tracker: http://localhost:8000/admin/  (stop with Ctrl-C)"
echo
exec .venv/bin/honcho -f Procfile start "${processes[@]}"
