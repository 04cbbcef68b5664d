#!/usr/bin/env bash
# Set up (first time) and run the whole test suite: lint, unit, page and real-browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
if [ ! -x /usr/bin/soffice ] || [ ! -x /usr/bin/pdftotext ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing LibreOffice Impress and poppler for the deck's render test..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-impress poppler-utils >/dev/null
  else
    echo "The deck's render test needs LibreOffice and poppler: sudo apt-get install libreoffice-impress poppler-utils" >&2
    exit 1
  fi
fi
if [ ! -x /usr/sbin/haproxy ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing HAProxy for the two-replica test..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null
  else
    echo "The two-replica test needs HAProxy: sudo apt-get install haproxy" >&2
    exit 1
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
