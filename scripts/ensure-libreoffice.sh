#!/usr/bin/env bash
# Install what the office tests need where it is missing and the machine allows it (Debian,
# as root): LibreOffice Calc for the round-trip tests, and for the print tests poppler-utils
# (pdftotext, pdftocairo: reading back the printed PDF) and the Carlito font (Calibri's
# metrics, which LibreOffice ships on Windows and macOS). Otherwise say why: those tests
# then skip, except on CI (CI=true), where this script fails, as the tests would
# (tests/conftest.py).
set -u
on_ci() {
  local ci="${CI:-}"
  case "${ci,,}" in
    true | 1 | yes) return 0 ;;
    *) return 1 ;;
  esac
}
# Say why something is missing; on CI that is an error, elsewhere the tests skip.
missing() {
  if on_ci; then
    echo "error: $1; CI=true, so the LibreOffice round-trip and print tests must run:" \
         "install ${packages[*]} on the CI image." >&2
    exit 1
  fi
  echo "$1; the LibreOffice round-trip tests will be skipped."
  exit 0
}
has_carlito() {
  command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi carlito
}
packages=()
command -v soffice >/dev/null 2>&1 || packages+=(libreoffice-calc)
{ command -v pdftotext && command -v pdftocairo; } >/dev/null 2>&1 || packages+=(poppler-utils)
has_carlito || packages+=(fonts-crosextra-carlito)
if [ "${#packages[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  missing "${packages[*]} is not installed and cannot be installed here (needs root and apt-get)"
fi
echo "Installing ${packages[*]} for the office tests (one time, a few minutes)..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null 2>&1 \
   && apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null 2>&1 \
   && command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
   && has_carlito; then
  echo "Installed: $(soffice --version 2>/dev/null | head -n 1); $(pdftotext -v 2>&1 | head -n 1)"
  exit 0
fi
missing "Installing LibreOffice failed (apt-get install ${packages[*]})"
