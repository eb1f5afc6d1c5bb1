#!/usr/bin/env bash
# The release benchmarks of issue #14 (docs/PERFORMANCE.md): national data, then wrk on the
# warning list and the personnel board. Needs `cargo leptos build --release` and wrk.
# Usage: scripts/bench/warnings-and-board.sh sqlite|postgres [seed|measure]
# (both by default; `seed` alone loads the data, `measure` alone reuses it after a new build).
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p /tmp/bench
source scripts/env.sh
S=$CARGO_TARGET_DIR/release/server
STEP=${2:-all}
case "$1" in
  sqlite) export DATABASE_URL="sqlite:///tmp/bench/n.db?mode=rwc" ;;
  postgres) export DATABASE_URL="postgres://postgres@127.0.0.1:5432/bench14" ;;
esac
if [ "$STEP" != measure ]; then
case "$1" in
  sqlite) rm -f /tmp/bench/n.db* ;;
  postgres) psql -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS bench14" -q; psql -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE bench14" -q ;;
esac
$S migrate up >/dev/null
$S seed scale --officials 1000000 >/dev/null
$S seed month --tag N --officials 50000 >/dev/null
$S recompute --cycle N-2026-11 >/dev/null
$S rollup rebuild --cycle N-2026-11 >/dev/null
THUOCDO_NEW_PASSWORD=bench-password-2026 $S user create --username quocgia --name "Lãnh đạo" --role leadership >/dev/null
THUOCDO_NEW_PASSWORD=bench-password-2026 $S user create --username tochuc --name "Ban Tổ chức" --role organiser --unit N-P01 >/dev/null
THUOCDO_NEW_PASSWORD=bench-password-2026 $S user create --username tinh --name "Lãnh đạo tỉnh" --role leadership --unit N-P01 >/dev/null
fi
[ "$STEP" = seed ] && exit 0
$S migrate up >/dev/null
echo "refresh:"; $S warnings refresh; $S warnings refresh
THUOCDO_ADDR=127.0.0.1:3100 THUOCDO_SITE_ROOT=target/site THUOCDO_LOG=warn $S serve & PID=$!
sleep 4
B=http://127.0.0.1:3100
for who in quocgia tochuc tinh; do
  C=$(curl -s -o /dev/null -D - -X POST -d "username=$who&password=bench-password-2026&next=/officials" $B/login | grep -i set-cookie | head -1 | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//')
  eval "COOKIE_$who='$C'"
done
echo "warnings list (quocgia, whole country):"
curl -s -X POST -H "Cookie: $COOKIE_quocgia" -H "Origin: $B" $B/api/warnings | head -c 300; echo
for c in 1 10; do wrk -t1 -c$c -d10s -s scripts/bench/post.lua -H "Cookie: $COOKIE_quocgia" -H "Origin: $B" $B/api/warnings; done | grep -E "req/s|Non-2xx"
echo "warnings list (tinh, one province):"
for c in 1 10; do wrk -t1 -c$c -d10s -s scripts/bench/post.lua -H "Cookie: $COOKIE_tinh" -H "Origin: $B" $B/api/warnings; done | grep -E "req/s|Non-2xx"
echo "board (tochuc, one province):"
curl -s -X POST -H "Cookie: $COOKIE_tochuc" -H "Origin: $B" $B/api/personnel | head -c 300; echo
for c in 1 4; do wrk -t1 -c$c -d10s -s scripts/bench/post.lua -H "Cookie: $COOKIE_tochuc" -H "Origin: $B" $B/api/personnel; done | grep -E "req/s|Non-2xx"
kill $PID
