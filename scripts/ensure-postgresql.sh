#!/usr/bin/env bash
# Install the PostgreSQL server for the register tests where it is missing and the machine
# allows it (Debian, as root). The tests themselves start a throwaway cluster (initdb in a
# temporary folder, on a Unix socket there, as the 'postgres' user when run as root) and stop
# it afterwards (tests/register/postgres.py). Otherwise say why: those tests then skip,
# except on CI (CI=true), where this script fails, as the tests would (tests/needs.py).
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
    echo "error: $1; CI=true, so the PostgreSQL register tests must run:" \
         "install postgresql on the CI image." >&2
    exit 1
  fi
  echo "$1; the PostgreSQL register tests will be skipped."
  exit 0
}
# Where Debian puts the server's programs (a test points it elsewhere: tests/test_skips.py).
PG_LIB="${MISSIONPLAN_PG_LIB:-/usr/lib/postgresql}"
have_server() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  compgen -G "$PG_LIB/*/bin/initdb" >/dev/null 2>&1
}
# As root the server must run as another user: Debian's package makes 'postgres'.
user_ok() {
  [ "$(id -u)" != "0" ] || { id postgres >/dev/null 2>&1 && command -v runuser >/dev/null 2>&1; }
}
if have_server && user_ok; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  missing "PostgreSQL (initdb, pg_ctl) is not installed and cannot be installed here (needs root and apt-get)"
fi
echo "Installing PostgreSQL for the register tests (one time, a minute or two)..."
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null 2>&1 \
   && apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 \
   && have_server && user_ok; then
  echo "PostgreSQL installed: $(ls -d "$PG_LIB"/*/bin 2>/dev/null | tail -n 1)"
  exit 0
fi
missing "Installing PostgreSQL failed (apt-get install postgresql)"
