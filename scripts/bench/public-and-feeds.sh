#!/usr/bin/env bash
# The release benchmarks of issue #15 (docs/PERFORMANCE.md) on the demo city: bulk ingestion
# of 50,000 metric values in one POST (sent twice: new rows, then the same rows again), and
# wrk on the public pages with 100 connections. Needs `cargo leptos build --release` and wrk.
# Usage: scripts/bench/public-and-feeds.sh sqlite|postgres
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p /tmp/bench
source scripts/env.sh
S=$CARGO_TARGET_DIR/release/server
case "$1" in
  sqlite) rm -f /tmp/bench/p.db*; export DATABASE_URL="sqlite:///tmp/bench/p.db?mode=rwc" ;;
  postgres)
    psql -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS bench15" -q
    psql -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE bench15" -q
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/bench15" ;;
esac
$S migrate up >/dev/null
$S seed demo >/dev/null
TOKEN=$($S api-client create --name "Benchmark" --unit HUE | tail -1)
# 50,000 values: 40 communes x 5 service-index groups x 250 days.
python3 - > /tmp/bench/values.json <<'PY'
import datetime, json
groups = ["service_index_transparency", "service_index_progress", "service_index_online",
          "service_index_satisfaction", "service_index_digitisation"]
end = datetime.date(2026, 11, 30)
values = [{"metric": m, "unit": f"HUE-X{u:02d}", "date": str(end - datetime.timedelta(days=d)),
           "value": 10 + (u + d) % 8} for u in range(1, 41) for m in groups for d in range(250)]
print(json.dumps({"values": values}))
PY
THUOCDO_SITE_ROOT=target/site THUOCDO_ADDR=127.0.0.1:3100 THUOCDO_PUBLIC_RPS=1000000 \
  THUOCDO_LOG=warn $S serve &
PID=$!
trap 'kill $PID' EXIT
until curl -sf http://127.0.0.1:3100/readyz >/dev/null; do sleep 0.5; done
for run in new again; do
  curl -s -o /tmp/bench/answer.json -w "ingest ($run): %{http_code} in %{time_total} s\n" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary @/tmp/bench/values.json http://127.0.0.1:3100/api/v1/metric-values
  head -c 120 /tmp/bench/answer.json; echo
done
# First reads (each page rendered), one at a time.
for p in /public/units/HUE /public/units/HUE-X01 /public/units/HUE-X02 /public/units/HUE-X03; do
  curl -s -o /dev/null -w "first read $p: %{time_total} s\n" "http://127.0.0.1:3100$p"
done
wrk -t2 -c100 -d10s -s scripts/bench/public.lua http://127.0.0.1:3100 | tail -1
