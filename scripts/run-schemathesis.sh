#!/usr/bin/env bash
# The API against its own description: schemathesis (from PyPI, installed by
# scripts/install-tools.sh) reads /api/openapi.json from the debug server on the demo city and
# sends what it generates from it — valid and invalid batches, with a real integration token
# and without — failing on any 500, any status, content type, header or body the description
# does not declare. A fixed seed keeps runs alike.
set -euo pipefail
cd "$(dirname "$0")/.."
THUOCDO_CACHE="${THUOCDO_CACHE:-$HOME/.cache/thuocdo}"
ST="$THUOCDO_CACHE/tools/schemathesis/bin/schemathesis"
S="$CARGO_TARGET_DIR/debug/server"
PORT="${SCHEMATHESIS_PORT:-3197}"
DIR=$(mktemp -d)
export DATABASE_URL="sqlite://$DIR/api.db?mode=rwc" THUOCDO_LOG=warn
"$S" migrate up >/dev/null
"$S" seed demo >/dev/null
TOKEN=$("$S" api-client create --name "Schemathesis" --unit HUE | tail -1)
THUOCDO_ADDR="127.0.0.1:$PORT" THUOCDO_SITE_ROOT=target/site "$S" serve &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  sleep 0.5
done
"$ST" run "http://127.0.0.1:$PORT/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --header "Authorization: Bearer $TOKEN" \
  --rate-limit 40/s --max-examples 60 --seed 15 --workers 1 --no-color
