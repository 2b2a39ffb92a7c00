#!/usr/bin/env bash
# Install what the report's browser tests need where it is missing and the machine allows it
# (Debian, as root): Chromium (Debian's `chromium` package, /usr/bin/chromium), which the
# tests drive headless through Playwright (never Playwright's own downloaded browsers).
# Otherwise say why: those tests then skip, except on CI (CI=true), where this script fails,
# as the tests would (tests/needs.py).
set -u
on_ci() {
  local ci="${CI:-}"
  case "${ci,,}" in
    true | 1 | yes) return 0 ;;
    *) return 1 ;;
  esac
}
missing() {
  if on_ci; then
    echo "error: $1; CI=true, so the report's browser tests must run:" \
         "install chromium on the CI image." >&2
    exit 1
  fi
  echo "$1; the report's browser tests will be skipped."
  exit 0
}
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  missing "chromium is not installed and cannot be installed here (needs root and apt-get)"
fi
echo "Installing chromium for the report's browser tests (one time, a few minutes)..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null 2>&1 \
   && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
   && [ -x /usr/bin/chromium ]; then
  echo "Installed: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  exit 0
fi
missing "Installing Chromium failed (apt-get install chromium)"
