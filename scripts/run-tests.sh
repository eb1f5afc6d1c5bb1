#!/usr/bin/env bash
# Unit and integration tests of the whole workspace (SQLite and PostgreSQL), then one line with
# the totals. Sourced environment: scripts/env.sh (the Makefile does it).
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if [ -n "${THUOCDO_TEST_POSTGRES:-}" ] && ! timeout 5 bash -c "</dev/tcp/127.0.0.1/5432" 2>/dev/null; then
  echo "!!!!!!!! PostgreSQL does not answer on 127.0.0.1:5432: its test variants will be SKIPPED !!!!!!!!"
fi

status=0
cargo test --workspace --all-targets 2>&1 | tee "$log" || status=$?
# Doc tests are not part of --all-targets.
cargo test --workspace --doc 2>&1 | tee -a "$log" || status=$?

passed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^passed/) s += $i } END { print s + 0 }' "$log")
failed=$(awk '/^test result:/ { for (i = 1; i < NF; i++) if ($(i+1) ~ /^failed/) s += $i } END { print s + 0 }' "$log")
skipped=$(grep -c 'SKIPPED (PostgreSQL)' "$log" || true)
echo
echo "cargo tests: ${passed:-0} passed, ${failed:-0} failed"
if [ "$skipped" -gt 0 ]; then
  echo "!!!!!!!! ${skipped} PostgreSQL test variants were SKIPPED: no server answered !!!!!!!!"
fi
exit "$status"
