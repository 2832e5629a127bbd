#!/usr/bin/env bash
# Runs the whole suite. Uses PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, and says
# which. Under CI=true a skipped test is a failure: every service must really be there.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_TESTING=1
echo "Database: ${DATABASE_URL:-SQLite (embedded default)}"
echo "Broker and cache: ${REDIS_URL:-filesystem broker and local cache (embedded default)}"

.venv/bin/python manage.py compilemessages --ignore=.venv -v0
.venv/bin/ruff check --quiet . || { echo "ruff check failed"; exit 1; }

report=$(mktemp)
set +e
.venv/bin/python -m pytest -p no:cacheprovider "$@" 2>&1 | tee "$report"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 0 ] && [ "${CI:-}" = "true" ] && grep -Eq "^SKIPPED|[0-9]+ skipped" "$report"; then
  echo "CI: tests were skipped; every service must be available in CI."
  status=1
fi
rm -f "$report"
exit "$status"
