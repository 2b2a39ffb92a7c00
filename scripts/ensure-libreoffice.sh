#!/usr/bin/env bash
# Install LibreOffice Calc for the office round-trip tests where it is missing and
# the machine allows it (Debian, as root). Otherwise say why: those tests then skip,
# except on CI (CI=true), where this script fails, as the tests would (tests/conftest.py).
set -u
on_ci() {
  local ci="${CI:-}"
  case "${ci,,}" in
    true | 1 | yes) return 0 ;;
    *) return 1 ;;
  esac
}
# Say why soffice is missing; on CI that is an error, elsewhere the tests skip.
missing() {
  if on_ci; then
    echo "error: $1; CI=true, so the LibreOffice round-trip tests must run:" \
         "install libreoffice-calc on the CI image." >&2
    exit 1
  fi
  echo "$1; the LibreOffice round-trip tests will be skipped."
  exit 0
}
if command -v soffice >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  missing "LibreOffice (soffice) is not installed and cannot be installed here (needs root and apt-get)"
fi
echo "Installing LibreOffice Calc for the round-trip tests (one time, a few minutes)..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null 2>&1 \
   && apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null 2>&1 \
   && command -v soffice >/dev/null 2>&1; then
  echo "LibreOffice installed: $(soffice --version 2>/dev/null | head -n 1)"
  exit 0
fi
missing "Installing LibreOffice failed (apt-get install libreoffice-calc)"
