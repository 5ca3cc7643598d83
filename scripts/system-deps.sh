#!/usr/bin/env bash
# Installs the system tools the tests use (LibreOffice headless, poppler, the
# redis-server binary the broker-outage test starts on its own port, Apertium with its
# English-Spanish pair, a real offline engine, and Chromium, which opens the HTML QA
# report headless) when missing.
# Needs root and apt-get; otherwise says what to install. With CI=true a missing tool
# that cannot be installed is an error.
set -euo pipefail

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v apertium >/dev/null 2>&1 || missing+=(apertium)
[ -e /usr/share/apertium/modes/eng-spa.mode ] || missing+=(apertium-eng-spa)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# PgBouncer (the transaction-mode pooling test starts its own); Debian puts it in /usr/sbin.
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
# logrotate (the log rotation test runs deploy/logrotate/iris with it); also in /usr/sbin.
command -v logrotate >/dev/null 2>&1 || [ -x /usr/sbin/logrotate ] || missing+=(logrotate)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "missing system packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
[ "${CI:-}" = "true" ] && exit 1
exit 0
