# The two commands that matter: `make run` serves the demo, `make test` runs every test.
# Both install what is missing first (scripts/install-deps), so they work on a fresh Debian 12.

BUILD_DIR ?= build
ASAN_DIR ?= build-asan
JOBS ?= 2
CMAKE_FLAGS = -G Ninja -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache
export CCACHE_DIR ?= $(CURDIR)/.ccache
# Paths relative to the checkout, so that a clone elsewhere (CI) hits the same cache entries.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

.PHONY: all deps test-deps build build-asan run demo test unit-test integration-test \
        browser-test fuzz-test lint bench clean

all: build

deps:
	@scripts/install-deps

test-deps:
	@scripts/install-deps --with-test-tools

# The Release build is the binary alone (what `make run` and the benchmarks use). `make test`
# builds once, with the sanitizers: the unit tests and the binary that the integration and browser
# suites start come from that one build, which keeps CI on 2 cores short and runs the real server
# under AddressSanitizer and UndefinedBehaviorSanitizer too.
build: deps
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=Release -DCOALITION_TESTS=OFF >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target coalition

build-asan: test-deps
	@cmake -S . -B $(ASAN_DIR) $(CMAKE_FLAGS) -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DCMAKE_BUILD_TYPE=Debug -DCOALITION_SANITIZE=ON -DCMAKE_UNITY_BUILD=ON >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)

# Serves the demo at http://127.0.0.1:8080 with an embedded SQLite database under var/.
run: build
	@scripts/run-demo $(BUILD_DIR)/coalition

test: test-deps
	@scripts/test-all $(ASAN_DIR)

unit-test: build-asan
	@scripts/with-postgres ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS)

integration-test: build
	@tests/integration/run $(BUILD_DIR)/coalition

browser-test: build
	@tests/browser/run $(BUILD_DIR)/coalition

fuzz-test: test-deps
	@fuzz/run --brief

lint: build-asan
	@scripts/lint $(ASAN_DIR) --all

bench: build
	@bench/http.sh

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) build-fuzz
