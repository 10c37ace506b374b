#!/usr/bin/env bash
# Installs what the portal needs on Debian 12: system packages (when run as root), the Python
# environment in .venv, and the compiled translations. Safe to run again; it skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk poppler-utils chromium gettext ${EXTRA_DEB_PACKAGES:-})

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages first (as root): ${missing[*]}" >&2
    exit 1
  fi
fi
# Without a CJK font every Chinese character in a PDF prints as a box, with no warning.
fc-list :lang=zh | grep -q 'Noto Sans CJK SC' || { echo "setup: font 'Noto Sans CJK SC' missing" >&2; exit 1; }

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
.venv/bin/python manage.py compilemessages -v 0 --ignore=.venv
