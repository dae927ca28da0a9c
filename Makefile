# detview — build, test, demo and install. Every target first makes sure the
# system libraries are there (scripts/install-deps.sh, idempotent).
PREFIX ?= /usr/local
SWIFT ?= swift
RELEASE_BIN = .build/release/detview

.PHONY: deps build release test demo install clean bench

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build
	$(SWIFT) test

demo: release
	$(RELEASE_BIN) view --demo

bench: release
	$(RELEASE_BIN) bench ingest

install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/detview

clean:
	rm -rf .build
