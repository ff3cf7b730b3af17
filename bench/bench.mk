# make bench: the overhead measurements of issue 6, written to
# bench/RESULTS.md and bench/README-table.md (see bench/bench.sh).
# The bench builds into its own directory (BENCH_B), so that a `make` run
# elsewhere cannot swap the library under a running benchmark.
# BENCH_ROWS=perevent,burst,tree,startup,datapath,inspection,seccomp,clients
# runs a subset.
DEB_BENCH   = nginx-light wrk hyperfine strace ltrace iproute2 jq time \
	      valgrind curl bpftrace
BENCH_SRC   = $(wildcard bench/*.c)
BENCH_B    ?= $(B)/bench-build
BENCH_ROWS ?= all

$(B)/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) -D_GNU_SOURCE -std=c11 $(WARN) -O2 -g $(CFLAGS) -o $@ $<

# The same generator, static: the shim never sees it, the seccomp
# supervisor does (the seccomp row).
$(B)/bench/evgen-static: bench/evgen.c
	@mkdir -p $(@D)
	$(CC) -D_GNU_SOURCE -std=c11 $(WARN) -O2 -g $(CFLAGS) -static -o $@ $<

# With bindwatch's own filter code (shim/core/scfilter.c), to install
# exactly the filter --seccomp=all installs beside unfiltered twins.
$(B)/bench/scloop: bench/scloop.c $(B)/obj/shim/core/scfilter.o
	@mkdir -p $(@D)
	$(CC) -D_GNU_SOURCE -Ishim/core -std=c11 $(WARN) -O2 -g $(CFLAGS) \
	    -o $@ bench/scloop.c $(B)/obj/shim/core/scfilter.o

# Linked like the shim (two segments), so the difference is the shim's.
$(B)/bench/libempty.so: bench/lib/empty.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) -O2 -shared -fPIC -Wl,-z,noseparate-code -o $@ $<

bench-deps:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_BENCH)

bench: bench-deps
	$(MAKE) B=$(BENCH_B) all $(BENCH_SRC:bench/%.c=$(BENCH_B)/bench/%) \
	    $(BENCH_B)/bench/libempty.so $(BENCH_B)/bench/evgen-static
	sh bench/bench.sh $(CURDIR)/$(BENCH_B) $(BENCH_ROWS)

.PHONY: bench bench-deps
