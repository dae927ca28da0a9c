# detview — build, test, demo and install. Every target first makes sure the
# system libraries are there (scripts/install-deps.sh, idempotent).
PREFIX ?= /usr/local
SWIFT ?= swift
RELEASE_BIN = .build/release/detview

SHELL := /bin/bash

.PHONY: deps build release test demo install clean bench fuzz soak

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The suite is XCTest; the summary line at the end is the one CI reads.
# The release binary too: the pty test of the byte budget measures the product users run
# (make demo), not the unoptimised debug build.
test: deps
	@scripts/install-deps.sh --test
	$(SWIFT) build
	$(SWIFT) build -c release --product detview
	@set -o pipefail; $(SWIFT) test --disable-swift-testing 2>&1 | tee .build/test.log
	@awk '/^\t Executed [0-9]+ tests?, with / { n=$$2; s=0; f=0; for (i = 3; i <= NF; i++) { if ($$i ~ /^skipped/) s=$$(i-2); if ($$i ~ /^failures?$$/) f=$$(i-1) } } \
		END { if (n == "") exit 1; print n-f-s " passed, " f " failed" (s > 0 ? ", " s " skipped" : "") }' .build/test.log

demo: release
	$(RELEASE_BIN) view --demo

bench: release
	$(RELEASE_BIN) bench ingest

# Soak suite (scripts/soak.py, docs/RELIABILITY.md): overload for SOAK_MINUTES (default 10), then a
# garbage flood, worker SIGSTOP/SIGCONT/SIGKILL, sender restarts and an unread pty, a minute each
# (SOAK_PHASE_MINUTES). Not part of `make test`. A quick run: make soak SOAK_MINUTES=1
SOAK_MINUTES ?= 10
SOAK_PHASE_MINUTES ?= 1
soak: release
	SOAK_MINUTES=$(SOAK_MINUTES) SOAK_PHASE_MINUTES=$(SOAK_PHASE_MINUTES) python3 scripts/soak.py \
		--binary $(RELEASE_BIN) --figures .build/soak-figures.json

# The binary finds the themes in ../share/detview/themes beside itself (and $$DETVIEW_THEMES).
install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/detview
	install -d $(DESTDIR)$(PREFIX)/share/detview/themes
	install -m 0644 themes/*.toml $(DESTDIR)$(PREFIX)/share/detview/themes/

clean:
	rm -rf .build

# libFuzzer on the DetectorStream decoders (Sources/Fuzz*/, Fuzz/corpus/README.md). Each target is
# built with ASan + libFuzzer in $(FUZZ_SCRATCH) and runs FUZZ_SECONDS on a scratch corpus there,
# seeded from Fuzz/corpus/<target> (never written back). Crashes land in $(FUZZ_SCRATCH)/artifacts.
#   make fuzz FUZZ_SECONDS=60 FUZZ_TARGETS="fuzz-sls fuzz-codecs"
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= fuzz-sls fuzz-simplon fuzz-stream2 fuzz-array fuzz-codecs fuzz-detect fuzz-monitor
FUZZ_SCRATCH ?= .build-fuzz
FUZZ_RSS_MB ?= 2048
# lld: gold dies with an internal error on these binaries. -Xcc instruments the C codecs too.
FUZZ_BUILD_FLAGS = --scratch-path $(FUZZ_SCRATCH) -Xswiftc -sanitize=fuzzer,address \
	-Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld -Xcc -fsanitize=fuzzer-no-link,address
# Longest input: 64 KiB; stream2's corpus holds real DECTRIS messages (about 0.5 MB each).
FUZZ_MAX_LEN ?= 65536
FUZZ_MAX_LEN_STREAM2 ?= 1100000

fuzz: deps
	@command -v ld.lld >/dev/null || { echo "fuzz: ld.lld not found: apt-get install lld"; exit 1; }
	@mkdir -p $(FUZZ_SCRATCH); for t in $(FUZZ_TARGETS); do \
		echo "fuzz: building $$t"; \
		$(SWIFT) build $(FUZZ_BUILD_FLAGS) --product $$t >$(FUZZ_SCRATCH)/build-$$t.log 2>&1 \
			|| { tail -30 $(FUZZ_SCRATCH)/build-$$t.log; echo "fuzz: $$t did not build"; exit 1; }; \
	done
	@failed=""; for t in $(FUZZ_TARGETS); do \
		case $$t in fuzz-stream2) max=$(FUZZ_MAX_LEN_STREAM2);; *) max=$(FUZZ_MAX_LEN);; esac; \
		corpus=$(FUZZ_SCRATCH)/corpus/$$t; artifacts=$(FUZZ_SCRATCH)/artifacts/$$t; log=$(FUZZ_SCRATCH)/$$t.log; \
		mkdir -p $$corpus $$artifacts; \
		if [ -d Fuzz/corpus/$$t ]; then cp Fuzz/corpus/$$t/* $$corpus/; fi; \
		echo "fuzz: running $$t for $(FUZZ_SECONDS) s (log $$log)"; \
		SWIFT_BACKTRACE=enable=no $(FUZZ_SCRATCH)/debug/$$t -max_total_time=$(FUZZ_SECONDS) \
			-rss_limit_mb=$(FUZZ_RSS_MB) -max_len=$$max -timeout=10 -print_final_stats=1 \
			-artifact_prefix=$$artifacts/ $$corpus >$$log 2>&1; status=$$?; \
		stats=$$(grep -E "^#[0-9]+" $$log | tail -1 | grep -oE "cov: [0-9]+ ft: [0-9]+|exec/s: [0-9]+" | paste -sd " "); \
		if [ $$status -eq 0 ]; then echo "fuzz: $$t: no crash ($$stats)"; \
		else echo "fuzz: $$t: CRASH (exit $$status, $$stats): $$(ls -t $$artifacts | head -1 | sed "s|^|$$artifacts/|")"; \
			grep -m3 -E "ERROR|Fatal error|fuzz invariant" $$log | sed 's/^/    /'; failed="$$failed $$t"; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashed:$$failed"; exit 1; fi
