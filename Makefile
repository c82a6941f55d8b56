# The two commands of the README, and a few more for developers.
#   make run    installs what is missing, builds, creates var/hatchery.db with
#               the Ruian plan and demo data if missing, serves http://127.0.0.1:8080
#   make test   installs, builds, runs every test (and again under ASan+UBSan),
#               ends with "N passed, N failed"
#   make fuzz   installs clang (scripts/install-fuzz-deps), builds the libFuzzer
#               targets of fuzz/ in build-fuzz, runs each FUZZ_SECONDS (60) s
#   make soak   the reliability runs of tests/soak (kill -9, load, slow clients,
#               full disk, backup), about 5 minutes; docs/RELIABILITY.md
#   make bench  installs the benchmark tools (scripts/install-bench-deps), builds,
#               runs bench/run: every figure next to its reference (docs/BENCHMARKS.md)
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
DB         ?= var/hatchery.db
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps build run test test-fast test-asan bench fuzz soak clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	@meson setup $(BUILD) >/dev/null

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null || ninja -C $(BUILD)

$(DB): | build
	@mkdir -p $(dir $(DB))
	$(BUILD)/hatchery init --db $(DB) --demo

run: build $(DB)
	$(BUILD)/hatchery serve --db $(DB) --listen $(LISTEN)

$(ASAN_BUILD)/build.ninja:
	@meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug >/dev/null

test: build $(ASAN_BUILD)/build.ninja
	@scripts/install-deps --tests
	@ninja -C $(ASAN_BUILD) >/dev/null || ninja -C $(ASAN_BUILD)
	@tests/run-all $(BUILD) $(ASAN_BUILD)

test-fast: build
	@scripts/install-deps --tests
	@tests/run-all $(BUILD)

bench: build
	@scripts/install-bench-deps
	@bench/run --build $(BUILD)

$(FUZZ_BUILD)/build.ninja:
	@CC=clang meson setup $(FUZZ_BUILD) -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null

fuzz: deps
	@scripts/install-fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZ_BUILD)/build.ninja
	@ninja -C $(FUZZ_BUILD) >/dev/null || ninja -C $(FUZZ_BUILD)
	@fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

soak: build
	@tests/soak/run $(BUILD) $(SOAK_RUNS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
