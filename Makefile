# Linnet: `make run` starts a server, `make test` builds and runs every test.
BUILD ?= build
FUZZ_SECONDS ?= 30
PYTHON := /usr/bin/python3
# What the qemu driver and its image build need on the host.
E2E_PACKAGES := qemu-system-x86 qemu-utils debootstrap e2fsprogs openssh-client sshpass

.PHONY: all deps build run cluster test unit-and-clients unit api api-sqlite api-postgresql python fuzz browser e2e e2e-first e2e-rest e2e-image bench format clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@[ -f $(BUILD)/build.ninja ] || cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD)

run: build
	@bash scripts/run.sh

# Three lanes side by side, each leaving the CPU idle part of the time: the unit tests and then
# the wrapper, fuzz and browser suites; the API suite on SQLite; the API suite on PostgreSQL.
# The image of the real Linodes is built in the first lane to come free. Each API suite's output
# is printed whole once it ends; the first lane prints as it goes. Then the real Linodes.
test: build
	@$(MAKE) --no-print-directory -o build -o deps -j3 --output-sync=target unit-and-clients \
	  api-sqlite api-postgresql e2e-image
	@$(MAKE) --no-print-directory -o build -o deps e2e

unit-and-clients: build
	@$(MAKE) --no-print-directory -o build -o deps -j1 unit python fuzz browser

unit: build
	cd $(BUILD) && ctest --output-on-failure --timeout 120

# The HTTP API suite, once on SQLite and once on PostgreSQL (a private cluster the run starts).
api: api-sqlite api-postgresql

api-sqlite: build
	LINNET_TEST_ENGINE=sqlite LINNET_BIN=$(CURDIR)/$(BUILD)/linnetd $(PYTHON) -m pytest -q tests/api

api-postgresql: build
	LINNET_TEST_ENGINE=postgresql LINNET_BIN=$(CURDIR)/$(BUILD)/linnetd $(PYTHON) -m pytest -q tests/api

# The Python wrapper (clients/python) against a linnetd with the sim driver, walkthrough 2 included.
python: build
	LINNET_BIN=$(CURDIR)/$(BUILD)/linnetd $(PYTHON) -m pytest -q clients/python/tests

# The login service in headless Chromium; the consent page is kept as artifacts/consent.png.
browser: build
	LINNET_BIN=$(CURDIR)/$(BUILD)/linnetd $(PYTHON) -m pytest -q tests/browser

# Real Linodes: boots linode/debian12 under QEMU (root, a few minutes). Two sessions side by
# side, as QEMU without KVM keeps a core busy for each guest: these files, and all the others.
# Each session's output is printed whole once it ends.
E2E_FIRST := tests/e2e/test_qemu_volumes.py tests/e2e/test_qemu_linode.py \
  tests/e2e/test_nodebalancers.py tests/e2e/test_image_build.py
E2E_PYTEST = LINNET_BIN=$(CURDIR)/$(BUILD)/linnetd LINNET_E2E_IMAGE=$(CURDIR)/$(E2E_IMAGE) \
  $(PYTHON) -m pytest -q -x
e2e: build e2e-image
	@$(MAKE) --no-print-directory -o build -o deps -j2 --output-sync=target e2e-first e2e-rest

e2e-first: build e2e-image
	$(E2E_PYTEST) $(E2E_FIRST)

e2e-rest: build e2e-image
	$(E2E_PYTEST) tests/e2e $(addprefix --ignore=,$(E2E_FIRST))

# linode/debian12 built with `linnetd image build` into a data folder of its own, again when its
# recipe changes; each end-to-end session starts from a copy of that folder.
E2E_IMAGE := $(BUILD)/e2e-image
e2e-image: $(E2E_IMAGE)/built

$(E2E_IMAGE)/built: src/compute/images/debian12.sh | build
	@bash scripts/install-deps.sh $(E2E_PACKAGES)
	rm -rf $(E2E_IMAGE) && mkdir -p $(E2E_IMAGE)
	$(BUILD)/linnetd image build debian12 --data $(E2E_IMAGE)
	touch $@

# The X-Filter parser and compiler under libFuzzer (clang, ASan, UBSan) for FUZZ_SECONDS.
fuzz: deps
	@[ -f build-fuzz/build.ninja ] || CXX=clang++ cmake -S . -B build-fuzz -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLINNET_FUZZ=ON -DLINNET_TESTS=OFF
	cmake --build build-fuzz --target fuzz_filter
	rm -rf build-fuzz/corpus && cp -r fuzz/corpus/filter build-fuzz/corpus
	build-fuzz/fuzz_filter -max_total_time=$(FUZZ_SECONDS) -max_len=9000 -print_final_stats=1 \
	  build-fuzz/corpus

# A private PostgreSQL, two API nodes, two sim hosts and HAProxy on 127.0.0.1:8080; prints a token.
cluster: build
	@bash scripts/install-deps.sh haproxy
	@bash scripts/cluster.sh

# Load scenarios (wrk, nginx for comparison); the Linode scenario on SQLite and on PostgreSQL.
bench: build
	@bash scripts/install-deps.sh wrk nginx
	bash bench/catalog.sh
	bash bench/linodes.sh
	BENCH_ENGINE=postgresql bash bench/linodes.sh
	@bash scripts/install-deps.sh knot-dnsutils haproxy
	$(PYTHON) bench/networking.py

format:
	find src tests fuzz -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) build-fuzz
