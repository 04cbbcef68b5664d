#!/usr/bin/env bash
# Set up (first time) and run the whole test suite: lint, unit, page and real-browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# needs "what it is for" "programs" packages...: install the Debian packages (as root) unless every program is there.
needs() {
  local purpose=$1 programs=$2 program
  shift 2
  for program in $programs; do
    [ -x "$program" ] && continue
    if [ "$(id -u)" != 0 ]; then
      echo "$purpose needs: sudo apt-get install $*" >&2
      exit 1
    fi
    echo "Installing $* for $purpose..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    return
  done
}
needs "the browser tests" "/usr/bin/chromium" chromium
needs "the deck's render test" "/usr/bin/soffice /usr/bin/pdftotext" libreoffice-impress poppler-utils
needs "the two-replica test" "/usr/sbin/haproxy" haproxy

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
