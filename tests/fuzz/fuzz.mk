# libFuzzer targets for every parser (included by the top Makefile).
#   make fuzz                 each target for FUZZ_SECONDS (60) seconds
#   make fuzz-smoke           the same, 10 seconds each (CI)
# Seeds are read from tests/fuzz/corpus/TARGET; what libFuzzer finds goes
# to build/fuzz/work/TARGET, crashes to build/fuzz/crash-TARGET-*.  A crash
# gets a minimal fix and a regression unit test; its input may join the
# seed corpus.

FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_B		 = build/fuzz
FUZZ_FLAGS	 = -g -O1 -fno-omit-frame-pointer \
		   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		   -D_GNU_SOURCE -Ishim -Ishim/core -Itools -Itools/kernel -std=c11 \
		   $(WARN)
FUZZ_PURE	 = $(PURE_SRC)
# The /proc/net parser, when the tools have it.
FUZZ_PROCNET	 = $(wildcard tools/kernel/procnet.c)
FUZZ_TARGETS	 = fuzz_policy fuzz_event fuzz_endpoint fuzz_escape fuzz_target \
		   $(if $(FUZZ_PROCNET),fuzz_procnet)
FUZZ_BINS	 = $(FUZZ_TARGETS:%=$(FUZZ_B)/%)

$(FUZZ_B)/fuzz_procnet: tests/fuzz/fuzz_procnet.c $(FUZZ_PROCNET) $(FUZZ_PURE) \
    tests/fuzz/check.h $(wildcard shim/*.h shim/core/*.h tools/*.h tools/kernel/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_PROCNET) $(FUZZ_PURE)

# The HOST:PORT argument of `which`.
$(FUZZ_B)/fuzz_target: tests/fuzz/fuzz_target.c tools/target.c $(FUZZ_PURE) \
    $(wildcard shim/*.h shim/core/*.h tools/*.h tools/kernel/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< tools/target.c $(FUZZ_PURE)

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_PURE) tests/fuzz/check.h \
    $(wildcard shim/*.h shim/core/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_PURE)

fuzz-build: $(FUZZ_BINS)

# One run per target: new inputs into the work directory (the repository's
# corpus is only read), a summary line per target at the end.
fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_B)/work/$$t; \
	    echo "== $$t: $(FUZZ_SECONDS)s"; \
	    $(FUZZ_B)/$$t -max_len=4096 -max_total_time=$(FUZZ_SECONDS) \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_B)/crash-$$t- \
		$(FUZZ_B)/work/$$t tests/fuzz/corpus/$$t \
		>$(FUZZ_B)/$$t.log 2>&1 || { tail -n 60 $(FUZZ_B)/$$t.log; \
		echo "fuzz: $$t failed, see $(FUZZ_B)/$$t.log"; exit 1; }; \
	    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' \
		$(FUZZ_B)/$$t.log | sed "s/^/   /"; \
	done

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10

.PHONY: fuzz fuzz-smoke fuzz-build
