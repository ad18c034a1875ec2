#!/usr/bin/env bash
# Installs what Kræftplan-tracker needs on a fresh Debian machine with Python 3.11:
# the system packages (only those missing; as root, or through sudo), a virtualenv in
# .venv and the pinned Python packages. Safe to run again: it does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  redis-server            # the Celery broker
  postgresql              # the production database, used by the test suite too
  chromium                # the browser the end-to-end tests drive
  libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core   # WeasyPrint's PDF rendering
  libcairo2               # CairoSVG: the charts as pictures in the Word report
)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# npm installs axe-core for the accessibility tests; any Node.js with npm will do.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3.11}
[ -x .venv/bin/python ] || "$python" -m venv .venv
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat .venv/.requirements.sha256 2>/dev/null)" != "$wanted" ]; then
  echo "Installing Python packages from requirements.txt"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  echo "$wanted" >.venv/.requirements.sha256
fi

# axe-core, which the accessibility tests inject into pages (package-lock.json pins it).
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.package-lock.sha256 2>/dev/null)" != "$wanted" ]; then
  echo "Installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --silent
  echo "$wanted" >node_modules/.package-lock.sha256
fi
