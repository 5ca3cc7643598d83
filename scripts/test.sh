#!/usr/bin/env bash
# The one test command (README "Run the tests", and CI's .ci/run): installs what the
# tests need, lints, type-checks, then runs pytest in two configurations:
#   embedded  SQLite, eager tasks, local storage (no services)
#   services  PostgreSQL + Redis with a real `celery worker` subprocess
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL=${IRIS_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/iris}
BROKER_URL=${IRIS_TEST_BROKER_URL:-redis://127.0.0.1:6379/0}
REPORTS=var/test-reports

bash scripts/system-deps.sh
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'

echo "== lint and types"
.venv/bin/ruff check iris tests bench
.venv/bin/ruff format --check iris tests bench
.venv/bin/mypy iris tests bench

# Each configuration starts from a clean IRIS_* environment.
for name in $(compgen -e | grep '^IRIS_' || true); do unset "$name"; done
mkdir -p "$REPORTS"

services_up() {
  .venv/bin/python - "$PG_URL" "$BROKER_URL" <<'PY'
import socket, sys
from urllib.parse import urlsplit
for url in sys.argv[1:]:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except OSError as exc:
        print(f"{parts.scheme} at {parts.hostname}:{parts.port} unreachable ({exc})")
        sys.exit(1)
PY
}

# The two configurations run side by side: the embedded one is mostly computation,
# the services one mostly waits on its workers and servers. The services run's output
# goes to a log printed when both have ended.
services_pid=""
if why=$(services_up); then
  echo "== pytest: services configuration (PostgreSQL, Redis, real worker) started; its output: $REPORTS/services.log"
  (
    IRIS_DATABASE_URL=$PG_URL IRIS_ASYNC=true IRIS_BROKER_URL=$BROKER_URL \
      .venv/bin/python -m pytest -m "services or everywhere" --junitxml="$REPORTS/services.xml" "$@"
  ) >"$REPORTS/services.log" 2>&1 &
  services_pid=$!
elif [ "${CI:-}" = "true" ]; then
  echo "FAILED: services configuration cannot run: $why" >&2
  exit 1
fi

echo "== pytest: embedded configuration (SQLite, eager)"
embedded=0
.venv/bin/python -m pytest -m "not services" --junitxml="$REPORTS/embedded.xml" "$@" || embedded=$?

if [ -z "$services_pid" ]; then
  echo "services configuration NOT RUN: $why -- start PostgreSQL and Redis (see README, 'Services') or set IRIS_TEST_DATABASE_URL / IRIS_TEST_BROKER_URL" >&2
  exit 1
fi
services=0
wait "$services_pid" || services=$?
echo "== pytest: services configuration (PostgreSQL, Redis, real worker): its output"
cat "$REPORTS/services.log"

.venv/bin/python scripts/test_summary.py "$REPORTS/embedded.xml" "$REPORTS/services.xml"
if [ "$embedded" -ne 0 ] || [ "$services" -ne 0 ]; then
  echo "FAILED: embedded exit $embedded, services exit $services" >&2
  exit 1
fi
