# Thước đo — the two commands of the README, and the steps they are made of.
#   make run   installs what is missing, builds, migrates, loads demo data on first start,
#              serves http://127.0.0.1:3000
#   make test  fmt, clippy (ssr and hydrate), unit and integration tests on SQLite and
#              PostgreSQL, Playwright in Chromium (JavaScript on and off), schemathesis on
#              the API's OpenAPI description
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
ENV := source scripts/env.sh &&
# PostgreSQL used by the tests (trust auth on this machine); empty to skip it loudly.
THUOCDO_TEST_POSTGRES ?= postgres://postgres@127.0.0.1:5432/test
export THUOCDO_TEST_POSTGRES

.PHONY: run test tools build build-release fmt fmt-check clippy unit e2e api-check serve-e2e clean-data help drills

help:
	@echo "make run   - build and serve http://127.0.0.1:3000 (demo data on first start)"
	@echo "make test  - every check: fmt, clippy, unit + integration (SQLite, Postgres), Playwright"
	@echo "make drills - fuzzing, kill -9 and load drills in full, on a release build (about 30 min)"

tools:
	@scripts/install-tools.sh

build: tools
	@$(ENV) cargo leptos build

build-release: tools
	@$(ENV) cargo leptos build --release

run: build
	@mkdir -p data
	@$(ENV) THUOCDO_SEED_DEMO=$${THUOCDO_SEED_DEMO:-true} THUOCDO_SITE_ROOT=target/site \
		"$$CARGO_TARGET_DIR/debug/server" serve

fmt:
	@$(ENV) RUSTUP_TOOLCHAIN=stable cargo fmt --all

fmt-check:
	@$(ENV) RUSTUP_TOOLCHAIN=stable cargo fmt --all --check

clippy: tools
	@$(ENV) cargo clippy --workspace --all-targets -- -D warnings
	@$(ENV) cargo clippy -p app --lib --no-default-features --features hydrate \
		--target wasm32-unknown-unknown -- -D warnings

unit: tools
	@$(ENV) scripts/run-tests.sh

e2e: build
	@$(ENV) scripts/run-e2e.sh

api-check: build
	@$(ENV) scripts/run-schemathesis.sh

test:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory fmt-check && \
	$(MAKE) --no-print-directory clippy && \
	$(MAKE) --no-print-directory unit && \
	$(MAKE) --no-print-directory e2e && \
	$(MAKE) --no-print-directory api-check && \
	echo "make test: all checks passed in $$(( $$(date +%s) - start ))s"

# The reliability drills in full (docs/RELIABILITY.md): `make test` runs them shortened. The
# server under test is the release build; one drill at a time, SQLite then PostgreSQL.
drills: build-release
	@$(ENV) PROPTEST_CASES=$${PROPTEST_CASES:-20000} cargo test --workspace --lib -- fuzz ssr::import::
	@$(ENV) THUOCDO_SERVER_BIN="$$CARGO_TARGET_DIR/release/server" \
		THUOCDO_FUZZ_CASES=$${THUOCDO_FUZZ_CASES:-20000} \
		THUOCDO_CRASH_ROWS=$${THUOCDO_CRASH_ROWS:-1000000} \
		THUOCDO_LOAD_CLIENTS=$${THUOCDO_LOAD_CLIENTS:-500} \
		THUOCDO_LOAD_SECS=$${THUOCDO_LOAD_SECS:-300} \
		THUOCDO_LOAD_APPROVALS=$${THUOCDO_LOAD_APPROVALS:-2000} \
		cargo test -p server --test fuzz_forms --test crash --test load -- --nocapture --test-threads=1

clean-data:
	rm -rf data/*.db data/*.db-*
