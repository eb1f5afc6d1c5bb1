# shellcheck shell=bash
# Sourced by the Makefile before every cargo command: one build environment for the server,
# the wasm bundle, tests and clippy, so compiled dependencies are shared and never rebuilt
# because a variable differed. Compiled output and installed tools live outside the clone.
THUOCDO_CACHE="${THUOCDO_CACHE:-$HOME/.cache/thuocdo}"
export THUOCDO_CACHE
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$THUOCDO_CACHE/target}"
export PATH="$THUOCDO_CACHE/tools/bin:$THUOCDO_CACHE/node/bin:$HOME/.cargo/bin:$PATH"
# cargo-leptos sets this for its builds; Leptos reads it at compile time (option_env!).
export LEPTOS_OUTPUT_NAME=thuocdo

if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  # A rustup toolchain with the wasm32 standard library: nothing else needed.
  export THUOCDO_TOOLCHAIN=rustup
elif rustup toolchain list 2>/dev/null | grep -q '^debian-web'; then
  # Offline: Debian's rustc-web, with std for wasm32 built from its shipped sources.
  export THUOCDO_TOOLCHAIN=debian-web
  export RUSTUP_TOOLCHAIN=debian-web
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  _lld="$(rustc +stable --print sysroot 2>/dev/null)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
  if [ -x "$_lld" ]; then
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$_lld"
  fi
  unset _lld
else
  export THUOCDO_TOOLCHAIN=missing
fi
