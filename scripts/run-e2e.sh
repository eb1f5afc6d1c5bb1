#!/usr/bin/env bash
# Playwright in Debian's Chromium against the server built by `cargo leptos build`, in two
# projects: JavaScript on (hydrated) and JavaScript off (server-rendered only).
set -euo pipefail
cd "$(dirname "$0")/../end2end"
export E2E_SCREENSHOTS="${E2E_SCREENSHOTS:-$PWD/test-results/screenshots}"
mkdir -p "$E2E_SCREENSHOTS"
npx playwright test "$@"
echo "screenshots: $E2E_SCREENSHOTS"
