#!/usr/bin/env bash
# Install LibreOffice Calc for the office round-trip tests where it is missing and
# the machine allows it (Debian, as root). Otherwise say why; those tests then skip.
set -u
if command -v soffice >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "LibreOffice (soffice) is not installed and cannot be installed here (needs root and apt-get);" \
       "the LibreOffice round-trip tests will be skipped."
  exit 0
fi
echo "Installing LibreOffice Calc for the round-trip tests (one time, a few minutes)..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null 2>&1 \
   && apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null 2>&1; then
  echo "LibreOffice installed: $(soffice --version 2>/dev/null | head -n 1)"
else
  echo "Installing LibreOffice failed; the LibreOffice round-trip tests will be skipped."
fi
exit 0
