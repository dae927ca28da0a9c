# detview — build, test, demo and install. Every target first makes sure the
# system libraries are there (scripts/install-deps.sh, idempotent).
PREFIX ?= /usr/local
SWIFT ?= swift
RELEASE_BIN = .build/release/detview

SHELL := /bin/bash

.PHONY: deps build release test demo install clean bench

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The suite is XCTest; the summary line at the end is the one CI reads.
test: deps
	$(SWIFT) build
	@set -o pipefail; $(SWIFT) test --disable-swift-testing 2>&1 | tee .build/test.log
	@awk '/^\t Executed [0-9]+ tests?, with [0-9]+ failures?/ { n=$$2; f=$$5 } END { if (n == "") exit 1; print n-f " passed, " f " failed" }' .build/test.log

demo: release
	$(RELEASE_BIN) view --demo

bench: release
	$(RELEASE_BIN) bench ingest

install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/detview

clean:
	rm -rf .build
