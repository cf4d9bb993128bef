# runcs — build, demo, tests. See README.md.
SHELL := /bin/bash
DOTNET ?= dotnet
CC ?= gcc
CFLAGS_BOOT := -O2 -Wall -Wextra -Werror -fPIC -D_FORTIFY_SOURCE=2
BOOT_LIB := obj/bootstrap/libruncs_bootstrap.a
BIN := bin/runcs
SOURCES := $(shell find runtime spec -name '*.cs' -o -name '*.csproj' -o -name '*.c' | grep -v /obj/ | grep -v /bin/)

.PHONY: all build deps demo run test unit integration conformance bench clean bundle

all: build

build: $(BIN)

$(BOOT_LIB): runtime/Bootstrap/bootstrap.c
	@mkdir -p obj/bootstrap
	$(CC) $(CFLAGS_BOOT) -c $< -o obj/bootstrap/bootstrap.o
	ar rcs $@ obj/bootstrap/bootstrap.o

# flock: several engineers (and their test runs) may build in one tree at once.
LOCK := flock /tmp/runcs-build.lock

$(BIN): $(BOOT_LIB) $(SOURCES) Directory.Build.props
	$(LOCK) $(DOTNET) publish runtime/runcs.csproj -c Release -r linux-x64 -o obj/publish --nologo -v quiet -p:BootstrapLib=$(CURDIR)/$(BOOT_LIB)
	@mkdir -p bin
	install -m 0755 obj/publish/runcs $(BIN)

# What a clean Debian machine lacks for the demo and the tests.
deps:
	@./.ci/deps

bundle: deps build
	bundles/make-bundle.sh .bundles/busybox sh -c 'echo "Hello from a runcs container: $$(hostname), pid $$$$, uid $$(id -u)"; echo "namespaces:"; ls -l /proc/self/ns | sed -n "s/.* -> /  /p"'

demo run: build bundle
	@echo '--- runcs run demo (busybox) ---'
	$(BIN) --root /run/runcs-demo run --bundle .bundles/busybox demo-$$$$ </dev/null

unit:
	$(DOTNET) test tests/Unit/OciRuntime.Tests.Unit.csproj --nologo

integration: build bundle
	RUNCS_BIN=$(CURDIR)/$(BIN) $(DOTNET) test tests/Integration/OciRuntime.Tests.Integration.csproj --nologo

conformance: build bundle
	conformance/run.sh $(or $(RUNTIME),$(CURDIR)/$(BIN))

test: build bundle
	@./.ci/test-all

bench: build bundle
	bench/run.sh

clean:
	rm -rf bin obj */obj */bin tests/*/obj tests/*/bin

# cgroup v2 lane: real containers in a QEMU VM booted with cgroup_no_v1=all (installs
# qemu-system-x86 and Debian's kernel when absent). Prints "N passed, M failed, K skipped".
# `make test` runs it too (.ci/test-all).
.PHONY: test-v2
test-v2: build
	tests/v2/run.sh $(CURDIR)/$(BIN)
