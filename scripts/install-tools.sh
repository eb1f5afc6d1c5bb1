#!/usr/bin/env bash
# Installs what the build and the tests need, only what is missing (idempotent):
#  - a Rust toolchain that can build wasm32 (rustup's target if it can be had, else Debian's
#    rustc-web with std sources, see shared/toolchain/wasm-offline.md), clippy for it;
#  - wasm-opt (binaryen), Chromium for the browser tests;
#  - cargo-leptos (pinned) and wasm-bindgen-cli (the version in Cargo.lock) under
#    $THUOCDO_CACHE/tools, outside the clone, so fresh clones reuse them;
#  - the end2end npm packages (Playwright without its browser downloads);
#  - schemathesis, from PyPI, in its own virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
THUOCDO_CACHE="${THUOCDO_CACHE:-$HOME/.cache/thuocdo}"
TOOLS="$THUOCDO_CACHE/tools"
mkdir -p "$TOOLS/bin"

say() { printf '\033[1m[tools]\033[0m %s\n' "$*"; }

APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# 1. A toolchain that builds wasm32.
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "rustup has wasm32-unknown-unknown"
elif timeout 60 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
  say "installed wasm32-unknown-unknown with rustup"
else
  say "rustup cannot fetch wasm32 std: using Debian's rustc-web and building std from source"
  apt_install rustc-web cargo-web rust-web-src rust-web-clippy
  if ! rustup toolchain list | grep -q '^debian-web'; then
    rustup toolchain link debian-web /usr
  fi
fi
# rustfmt comes from the default rustup toolchain.
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt clippy || true

# 2. System packages: wasm-opt, Chromium, Node.js.
apt_install binaryen chromium
command -v npm >/dev/null 2>&1 || apt_install nodejs npm

# shellcheck source=scripts/env.sh
source scripts/env.sh

# 3. cargo-leptos, pinned, built without its download features. Its dependencies need
#    rustc >= 1.96: when the default toolchain is older, build it with Debian's rustc-web.
if ! "$TOOLS/bin/cargo-leptos" --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  tool_toolchain=""
  rustc_minor=$(rustc --version | awk '{ split($2, v, "."); print v[2] }')
  if [ "${rustc_minor:-0}" -lt 96 ]; then
    apt_install rustc-web cargo-web
    rustup toolchain list | grep -q '^debian-web' || rustup toolchain link debian-web /usr
    tool_toolchain=debian-web
  fi
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes a while, once per machine)"
  env -u CARGO_UNSTABLE_BUILD_STD -u RUSTC_BOOTSTRAP ${tool_toolchain:+RUSTUP_TOOLCHAIN=$tool_toolchain} \
    CARGO_TARGET_DIR="$THUOCDO_CACHE/tools-build" cargo install --locked cargo-leptos \
    --version "$CARGO_LEPTOS_VERSION" --features no_downloads --root "$TOOLS" --debug
fi

# 4. wasm-bindgen-cli: exactly the wasm-bindgen version in Cargo.lock.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! "$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -q "$WB_VERSION"; then
  say "installing wasm-bindgen-cli $WB_VERSION"
  env -u CARGO_UNSTABLE_BUILD_STD -u RUSTC_BOOTSTRAP CARGO_TARGET_DIR="$THUOCDO_CACHE/tools-build" cargo install wasm-bindgen-cli \
    --version "$WB_VERSION" --root "$TOOLS" --force
fi

# 5. Playwright for the browser tests (uses Debian's Chromium, never downloads a browser).
if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "npm ci in end2end/"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
SCHEMATHESIS_VERSION=4.32.5
if ! "$TOOLS/schemathesis/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  say "schemathesis $SCHEMATHESIS_VERSION (PyPI) in $TOOLS/schemathesis"
  python3 -m venv "$TOOLS/schemathesis"
  "$TOOLS/schemathesis/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

say "ready: toolchain=$THUOCDO_TOOLCHAIN, $("$TOOLS/bin/cargo-leptos" --version), $("$TOOLS/bin/wasm-bindgen" --version)"
