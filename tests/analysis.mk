# Static and dynamic analysis (issue 7, "Tools").  Included by the top
# Makefile; each target prints one verdict line ("NAME: OK ..." or
# "NAME: FAIL ...") and exits non-zero on any finding.
#
#	make werror	everything (shim, CLI, unit and integration tests,
#			fixtures) with -Werror, gcc and clang, into
#			build/werror-gcc and build/werror-clang
#	make lint	cppcheck, then clang-tidy (.clang-tidy) over shim/*.c
#			shim/core/*.c tools/*.c tools/kernel/*.c
#			tools/report/*.c tests/tsan/*.c; a remaining finding
#			is justified at its site (NOLINT / cppcheck-suppress);
#			then lint-shim
#	make lint-shim	no shim built (64-bit, 32-bit) has a relocation
#			against a symbol it exports (tests/selfreloc.sh)
#	make tsan	ThreadSanitizer: the ring with 16 producers, the
#			codecs from 6 threads (tests/tsan/tsan_ring.c), and the
#			shim's sources in a 64-thread binder that forks
#			(tests/tsan/tsan_shim.c), bare, with policies and with
#			a collector
#	make valgrind	memcheck of the getaddrinfo paths under the preloaded
#			shim (glibc, and musl when tests/musl.mk builds it),
#			with and without BINDWATCH_RESOLVE / BINDWATCH_FAMILY,
#			and of the CLI itself
#	make analysis	the four
#
# Needs clang, clang-tidy, cppcheck, valgrind and the TSan runtime
# (Debian: clang clang-tidy cppcheck valgrind libclang-rt-14-dev).  A
# missing tool is a failure, not a skip; only the musl runs are skipped
# when musl-gcc is missing.

AN_B		 = $(B)/analysis
# Sub-makes read the same top makefile (the one including this file).
AN_MAKE		 = $(MAKE) -f $(firstword $(MAKEFILE_LIST)) --no-print-directory -s
AN_JOBS		?= $(shell nproc 2>/dev/null || echo 2)
# A sub-make gets -j unless it already shares this make's job server.
AN_J		 = $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(AN_JOBS))
# Whatever BINDWATCH_* the caller has set must not change the runs.
AN_ENV		 = env -u LD_PRELOAD -u BINDWATCH_LOG -u BINDWATCH_FORMAT \
		   -u BINDWATCH_FORCE -u BINDWATCH_LOOPBACK_ONLY \
		   -u BINDWATCH_RESOLVE -u BINDWATCH_FAMILY \
		   -u BINDWATCH_MAP_PORT -u BINDWATCH_DENY -u BINDWATCH_COLLECTOR
AN_NEED		 = for t in $(1); do command -v $$t >/dev/null 2>&1 || { \
		   echo "$(2): FAIL ($$t not installed; make deps-test)"; \
		   exit 1; }; done

# ---------------------------------------------------------------- werror
WERROR_CCS	?= gcc clang

werror:
	@$(call AN_NEED,$(WERROR_CCS),werror); \
	t0=$$(date +%s); mkdir -p $(AN_B); \
	for cc in $(WERROR_CCS); do \
	    d=build/werror-$$cc; \
	    $(AN_MAKE) $(AN_J) B=$$d CC=$$cc CFLAGS=-Werror \
		all $$d/test-unit $$d/test-integration >$(AN_B)/werror-$$cc.log 2>&1 || { \
		cat $(AN_B)/werror-$$cc.log; \
		echo "werror: FAIL ($$cc: see above)"; exit 1; }; \
	done; \
	echo "werror: OK ($(WERROR_CCS): shim, CLI, unit and integration tests, fixtures; $$(($$(date +%s) - t0))s)"

# ------------------------------------------------------------------ lint
CPPCHECK	?= cppcheck
CLANG_TIDY	?= clang-tidy
# No --suppress: the few remaining findings are justified at their site.
CPPCHECK_FLAGS	 = --enable=warning,performance,portability --error-exitcode=1 \
		   --inline-suppr -D_GNU_SOURCE -Ishim -Ishim/core -Itools \
		   -Itools/kernel -Itools/report --std=c11 -q \
		   -j$(AN_JOBS)
LINT_SRC	 = $(wildcard shim/*.c shim/core/*.c tools/*.c tools/kernel/*.c \
		   tools/seccomp/*.c \
		   tools/report/*.c tests/tsan/*.c)
# One stamp per file: only what changed is checked again.
TIDY_STAMPS	 = $(LINT_SRC:%.c=$(AN_B)/tidy/%.ok)

$(AN_B)/tidy/%.ok: %.c .clang-tidy $(wildcard shim/*.h shim/core/*.h tools/*.h tools/seccomp/*.h \
    tools/kernel/*.h tools/report/*.h)
	@mkdir -p $(@D)
	@if $(CLANG_TIDY) -quiet $< -- $(ALLCPPFLAGS) -std=c11 >$@.out 2>$@.err; then \
	    touch $@; else cat $@.out; grep -v 'warnings\? generated\|^Suppressed\|NOLINT\|^Use -header-filter' $@.err; exit 1; fi

# shim_gai.c is gai.c.
$(AN_B)/tidy/tests/tsan/shim_gai.ok: shim/gai.c

lint-tidy: $(TIDY_STAMPS)

lint:
	@$(call AN_NEED,$(CPPCHECK) $(CLANG_TIDY),lint); \
	t0=$$(date +%s); \
	$(CPPCHECK) $(CPPCHECK_FLAGS) shim tools tests/tsan || { \
	    echo "lint: FAIL (cppcheck: see above)"; exit 1; }; \
	$(AN_MAKE) $(AN_J) lint-tidy || { \
	    echo "lint: FAIL (clang-tidy: see above)"; exit 1; }; \
	$(AN_MAKE) $(AN_J) lint-shim || { \
	    echo "lint: FAIL (lint-shim: see above)"; exit 1; }; \
	echo "lint: OK (cppcheck + clang-tidy, $(words $(LINT_SRC)) files; lint-shim; $$(($$(date +%s) - t0))s)"

# Inside the shim libc is reached through real.c only: a relocation
# against one of the shim's own exports (a JUMP_SLOT for close, say) is a
# call into its own hook.  Every shim make builds is checked.
LINT_SHIM_LIBS	 = $(LIB) $(if $(HAVE_M32),$(B)/lib/$(MULTIARCH32)/bindwatch/libbindwatch.so)

lint-shim: $(LINT_SHIM_LIBS)
	@$(call AN_NEED,nm readelf,lint-shim); \
	sh tests/selfreloc.sh $(LINT_SHIM_LIBS) || exit 1; \
	echo "lint-shim: OK ($(words $(LINT_SHIM_LIBS)) libraries)"

# No include circles among the production headers.
lint-includes:
	@python3 tests/include_cycles.py

# The shell scripts the project ships or runs.  The integration scenarios
# are fragments sourced after tests/integration/lib.sh: -x follows their
# `source=` directives, from the top of the tree.
LINT_IT		 = $(wildcard tests/integration/*.sh tests/integration/*/*.sh)
LINT_SH		 = $(wildcard tests/*.sh) completion/bindwatch.bash $(LINT_IT)
lint-sh:
	@$(call AN_NEED,shellcheck,lint-sh); \
	shellcheck -s sh $(filter-out tests/completion.sh,$(wildcard tests/*.sh)) && \
	shellcheck -s sh -x $(LINT_IT) && \
	shellcheck -s bash tests/completion.sh completion/bindwatch.bash || { \
	    echo "lint-sh: FAIL (shellcheck: see above)"; exit 1; }; \
	echo "lint-sh: OK (shellcheck, $(words $(LINT_SH)) scripts)"

# ------------------------------------------------------------------ tsan
TSAN_CC		?= clang
TSAN_FLAGS	 = -std=c11 $(WARN) -Werror -O1 -g -fno-omit-frame-pointer \
		   -fsanitize=thread $(ALLCPPFLAGS)
TSAN_OPTS	 = halt_on_error=1 suppressions=$(CURDIR)/tests/tsan/tsan.supp
# The shim without hooks.c (tsan_shim.c calls what the hooks call) and
# with gai.c through tests/tsan/shim_gai.c.
TSAN_SHIM_SRC	 = tests/tsan/shim_gai.c \
		   $(filter-out shim/gai.c shim/hooks.c,$(SHIM_SRC))
TSAN_HDRS	 = $(wildcard shim/*.h shim/core/*.h)
TSAN_RUN	 = timeout 300 $(AN_ENV) TSAN_OPTIONS='$(TSAN_OPTS)'
TSAN_POLICY	 = BINDWATCH_FORCE=127.0.0.1 BINDWATCH_FAMILY=4 \
		   BINDWATCH_RESOLVE='svc.test=127.0.0.1,::1'
TSAN_ARGS	 = -r 50 -f 16
# -a keeps every descriptor open to the end (see tsan_shim.c): fewer rounds.
TSAN_AARGS	 = -r 10 -f 16

$(AN_B)/tsan/tsan_ring: tests/tsan/tsan_ring.c $(PURE_SRC) $(TSAN_HDRS)
	@mkdir -p $(@D)
	$(TSAN_CC) $(TSAN_FLAGS) -o $@ $< $(PURE_SRC) -pthread

$(AN_B)/tsan/tsan_shim: tests/tsan/tsan_shim.c $(TSAN_SHIM_SRC) $(SHIM_SRC) $(TSAN_HDRS)
	@mkdir -p $(@D)
	$(TSAN_CC) $(TSAN_FLAGS) -o $@ $< $(TSAN_SHIM_SRC) -pthread -ldl

tsan:
	@$(call AN_NEED,$(TSAN_CC) timeout,tsan); \
	t0=$$(date +%s); \
	$(AN_MAKE) $(AN_J) $(AN_B)/tsan/tsan_ring $(AN_B)/tsan/tsan_shim || { \
	    echo "tsan: FAIL (build)"; exit 1; }; \
	set -- \
	    "ring|$(AN_B)/tsan/tsan_ring" \
	    "log|BINDWATCH_LOG=/dev/null $(AN_B)/tsan/tsan_shim $(TSAN_ARGS)" \
	    "log+policy|BINDWATCH_LOG=/dev/null BINDWATCH_FORMAT=json $(TSAN_POLICY) $(AN_B)/tsan/tsan_shim -w -a -n localhost -n svc.test $(TSAN_AARGS)" \
	    "collector|$(AN_B)/tsan/tsan_shim -c $(TSAN_ARGS)" \
	    "collector+policy|$(TSAN_POLICY) $(AN_B)/tsan/tsan_shim -c -w -a -n localhost -n svc.test $(TSAN_AARGS)"; \
	for run; do \
	    name=$${run%%|*}; cmd=$${run#*|}; \
	    if eval "$(TSAN_RUN) $$cmd" >$(AN_B)/tsan/$$name.log 2>&1; then \
		echo "  tsan $$name: $$(tail -n 1 $(AN_B)/tsan/$$name.log)"; \
	    else \
		cat $(AN_B)/tsan/$$name.log; \
		echo "tsan: FAIL ($$name: $$cmd)"; exit 1; \
	    fi; \
	done; \
	echo "tsan: OK ($$# runs, no ThreadSanitizer report; $$(($$(date +%s) - t0))s)"

# -------------------------------------------------------------- valgrind
# Exit status 99 for a valgrind error: the programs' own statuses (1...)
# mean something.  Definite leaks are errors.  Lists the shim builds stay
# "still reachable" when a program does not free them (the shim keeps a
# registry of them), so every run also fails when a block allocated by
# the shim's new_list is still there at exit; the -k run (never freeing)
# shows that this check sees them.
VALGRIND	?= valgrind
VG		 = $(VALGRIND) -q --leak-check=full --show-leak-kinds=all \
		   --errors-for-leak-kinds=definite --error-exitcode=99
VG_QUERIES	 = 0/unspec/stream/localhost/80 \
		   passive,canonname/unspec/stream/localhost/8080 \
		   null/-/-/localhost/80 numerichost/unspec/stream/::1/80 \
		   numerichost/unspec/dgram/127.0.0.1/53 \
		   numericserv/unspec/stream/localhost/http \
		   0/unspec/stream/localhost/nosuchsvc passive/unspec/stream/-/80 \
		   0/unspec/stream/-/80 0/inet6/stream/localhost/80 \
		   v4mapped,all/inet6/stream/127.0.0.1/80
# Names only the resolve override knows (no resolver query).
VG_RQUERIES	 = canonname/unspec/stream/svc.test/80 0/inet/dgram/svc.test/53 \
		   0/inet6/stream/svc.test/80 passive/unspec/any/svc.test/http
VG_RESOLVE	 = BINDWATCH_RESOLVE='svc.test=127.0.0.1,::1;localhost=::1,127.0.0.1'
# ENV|ARGS for gai_dump, each run with BINDWATCH_LOG=/dev/null.
VG_GAI_RUNS	 = "|-n 20 $(VG_QUERIES)" \
		   "$(VG_RESOLVE)|-n 20 $(VG_QUERIES) $(VG_RQUERIES)" \
		   "BINDWATCH_FAMILY=4|-n 20 $(VG_QUERIES)" \
		   "BINDWATCH_FAMILY=6|-n 20 $(VG_QUERIES)" \
		   "$(VG_RESOLVE) BINDWATCH_FAMILY=4 BINDWATCH_FORMAT=json|-n 20 $(VG_QUERIES) $(VG_RQUERIES)"
# The musl program runs under musl's loader with --preload (LD_PRELOAD
# would also reach valgrind's own glibc launcher, which cannot load a
# musl library); --preload replaces LD_PRELOAD, so valgrind's preloads
# are named there too.
AN_SPACE	:= $(eval) $(eval)
VG_PRELOADS	 = $(subst $(AN_SPACE),:,$(strip \
		   $(firstword $(wildcard /usr/libexec/valgrind/vgpreload_core-*.so /usr/lib/*/valgrind/vgpreload_core-*.so /usr/lib/valgrind/vgpreload_core-*.so)) \
		   $(firstword $(wildcard /usr/libexec/valgrind/vgpreload_memcheck-*.so /usr/lib/*/valgrind/vgpreload_memcheck-*.so /usr/lib/valgrind/vgpreload_memcheck-*.so))))
MUSL_LDSO	 = $(firstword $(wildcard /lib/ld-musl-*.so.1))
# ARGS|STATUSES for the CLI: its own allocations, not the children's.  The
# dynamic build of it: valgrind cannot follow a static program's malloc.
VG_CLI_RUNS	 = "-q -- true|0" \
		   "--json -o /dev/null -- $(B)/fixtures/forker 2|0" \
		   "--force 127.0.0.1 --resolve svc.test=127.0.0.1 -o /dev/null -- $(B)/fixtures/threaded_binder|0" \
		   "-- $(B)/fixtures/gai_dump 0/unspec/stream/localhost/80|0" \
		   "ports --json --all|0" \
		   "which 127.0.0.1:1|0 1"

valgrind:
	@$(call AN_NEED,$(VALGRIND),valgrind); \
	t0=$$(date +%s); n=0; \
	$(AN_MAKE) $(AN_J) all $(B)/bindwatch-dynamic >/dev/null || { \
	    echo "valgrind: FAIL (build)"; exit 1; }; \
	mkdir -p $(AN_B)/valgrind; log=$(AN_B)/valgrind/run.log; \
	vg_gai() { \
	    libc=$$1; envs=$$2; shift 2; \
	    if [ $$libc = glibc ]; then \
		eval "$(AN_ENV) $$envs BINDWATCH_LOG=/dev/null LD_PRELOAD=$(CURDIR)/$(B)/libbindwatch.so $(VG) --log-file=$$log $(B)/fixtures/gai_dump $$*"; \
	    else \
		eval "$(AN_ENV) $$envs BINDWATCH_LOG=/dev/null $(VG) --log-file=$$log $(MUSL_LDSO) --preload $(VG_PRELOADS):$(CURDIR)/$(B)/musl/libbindwatch.so $(B)/musl/gai_dump $$*"; \
	    fi >$$log.out 2>&1; \
	}; \
	check_gai() { \
	    libc=$$1; run=$$2; envs=$${run%%|*}; args=$${run#*|}; \
	    vg_gai $$libc "$$envs" $$args; st=$$?; n=$$((n + 1)); \
	    case "$$envs" in *RESOLVE*) want='canon=svc.test addrs=127.0.0.1:80/stream';; \
		*) want='q0 rc=';; esac; \
	    if [ $$st -ne 0 ] || grep -q new_list $$log || ! grep -q "$$want" $$log.out; then \
		cat $$log.out $$log; \
		echo "valgrind: FAIL ($$libc gai_dump, status $$st, $$envs $$args)"; exit 1; \
	    fi; \
	}; \
	for run in $(VG_GAI_RUNS); do check_gai glibc "$$run" || exit 1; done; \
	vg_gai glibc "$(VG_RESOLVE)" -k -n 2 $(VG_RQUERIES); \
	grep -q new_list $$log || { cat $$log; \
	    echo "valgrind: FAIL (glibc: the -k run left no list of ours: the check is blind)"; exit 1; }; \
	musl=skipped; \
	$(AN_MAKE) musl >/dev/null; \
	if [ -f $(B)/musl/libbindwatch.so ] && [ -x $(B)/musl/gai_dump ] && \
	   [ -n "$(MUSL_LDSO)" ] && [ -n "$(VG_PRELOADS)" ]; then \
	    for run in $(VG_GAI_RUNS); do check_gai musl "$$run" || exit 1; done; \
	    vg_gai musl "$(VG_RESOLVE)" -k -n 2 $(VG_RQUERIES); \
	    grep -q new_list $$log || { cat $$log; \
		echo "valgrind: FAIL (musl: the -k run left no list of ours: the check is blind)"; exit 1; }; \
	    musl=checked; \
	else \
	    echo "  valgrind: musl skipped (no musl-gcc, $(B)/musl or musl loader)"; \
	fi; \
	for run in $(VG_CLI_RUNS); do \
	    args=$${run%|*}; ok=$${run##*|}; n=$$((n + 1)); \
	    eval "$(AN_ENV) $(VG) --log-file=$$log $(B)/bindwatch-dynamic $$args" >$$log.out 2>&1; st=$$?; \
	    case " $$ok " in *" $$st "*) ;; *) cat $$log.out $$log; \
		echo "valgrind: FAIL (bindwatch $$args: status $$st, want $$ok)"; exit 1;; esac; \
	done; \
	echo "valgrind: OK ($$n runs: gai_dump glibc, musl $$musl, with and without resolve/family policies; the CLI; $$(($$(date +%s) - t0))s)"

analysis: werror lint tsan valgrind

.PHONY: werror lint lint-tidy lint-shim lint-sh lint-includes tsan valgrind analysis
