#!/usr/bin/env bash
# Installs or updates the tracker in production, as its user, with the settings of
# /etc/kraeftplan-tracker.env (or ENV_FILE): the virtualenv and pinned packages, the
# database's migrations, the static files, the agreements, and the deployment check, which
# fails on any warning. Safe to run again after an update.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck disable=SC1090
. "${ENV_FILE:-/etc/kraeftplan-tracker.env}"
set +a
mkdir -p var
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py collectstatic --no-input -v0
.venv/bin/python manage.py load_agreements
.venv/bin/python manage.py check --deploy --fail-level WARNING
