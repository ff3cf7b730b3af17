# bindwatch: see README.md.  `make demo` and `make check` are all a newcomer needs.
.SUFFIXES:

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
LIBDIR	?= $(PREFIX)/lib/bindwatch
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=

CC	?= cc
B	?= build
WARN	 = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wformat=2
OPT	?= -O2 -g
# SAN=1: the sanitizer build (ASan+UBSan for the CLI and the tests; the
# shim gets UBSan only, as ASan must be the first library of a process).
ifeq ($(SAN),1)
SANFLAGS	 = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SHIMSAN		 = -fsanitize=undefined -fno-sanitize-recover=all
endif
CPPFLAGS += -D_GNU_SOURCE -Ishim -Ishim/core -Itools -Itools/kernel -DBW_LIBDIR='"$(LIBDIR)"'
CFLAGS	 ?=
ALLCFLAGS = -std=c11 $(WARN) $(OPT) $(CFLAGS)

SHIM_SRC  = $(wildcard shim/*.c)
# The pure parts of the shim, linked into the CLI and the unit tests too.
PURE_SRC  = shim/addr.c shim/buf.c shim/channel.c shim/escape.c shim/event.c shim/format.c shim/names.c shim/policy.c \
	    shim/ring.c shim/core/kernelrules.c
# Pure parts only the shim and the unit tests use.
SHIM_ONLY_SRC = shim/sockcache.c shim/arena.c
TOOL_SRC  = $(filter-out tools/bindwatch.c,$(wildcard tools/*.c)) \
	    $(wildcard tools/kernel/*.c)
UNIT_SRC  = $(wildcard tests/unit/*.c)
INTEG_SRC = $(wildcard tests/integration/*.c)
FIX_SRC   = $(wildcard tests/fixtures/*.c)
FIXLIB_SRC = $(wildcard tests/fixtures/lib/*.c)

SHIM_OBJ  = $(SHIM_SRC:%.c=$(B)/pic/%.o)
PURE_OBJ  = $(PURE_SRC:%.c=$(B)/obj/%.o)
TOOL_OBJ  = $(TOOL_SRC:%.c=$(B)/obj/%.o)
FIXTURES  = $(FIX_SRC:tests/fixtures/%.c=$(B)/fixtures/%) \
	    $(FIXLIB_SRC:tests/fixtures/lib/%.c=$(B)/fixtures/lib%.so)

LIB	= $(B)/libbindwatch.so
BIN	= $(B)/bindwatch

all: $(LIB) $(BIN) $(FIXTURES)

$(B)/pic/%.o: %.c $(wildcard shim/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) $(SHIMSAN) -fPIC -fvisibility=hidden -c $< -o $@

$(B)/obj/%.o: %.c $(wildcard shim/*.h shim/core/*.h tools/*.h tools/kernel/*.h \
    tests/unit/*.h tests/integration/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) $(SANFLAGS) -c $< -o $@

# No exported globals, nothing but the hooks (shim.map); libc (and libdl
# on old glibc) only.  Every process of a tree loads it, so it loads
# cheaply (bench/RESULTS.md, start-up): two segments instead of four
# (noseparate-code); lazy binding, as the real functions are found by
# dlsym anyway (real.c; -z now cost 7 us per process); and no RELRO, whose
# mprotect splits the data mapping (10 us per process here) to guard a
# GOT that lazy binding and the shim's own function pointers leave
# writable anyway.  tests/integration/test_shim.c (load_layout) pins it.
$(LIB): $(SHIM_OBJ) shim/shim.map Makefile
	$(CC) -shared $(ALLCFLAGS) $(SHIMSAN) -Wl,--version-script=shim/shim.map \
	    -Wl,-z,norelro -Wl,-z,noseparate-code -Wl,--no-undefined \
	    -o $@ $(SHIM_OBJ) -ldl

# The CLI is a static PIE: loading libc.so (mapping and relocating it) was
# 0.18 ms of every run, most of what bindwatch added to a command's start-up
# beyond any supervisor's fork, exec and wait (bench/RESULTS.md, start-up;
# libbsd and libmd were another 0.1 ms).  glibc warns at the link that
# getaddrinfo and getpwuid then load NSS modules other than files and dns
# from the glibc it was built with: make builds it here, against this
# system's.  The sanitizer build stays dynamic, and so does
# $(B)/bindwatch-dynamic, which valgrind runs (it cannot follow the
# allocator of a static program).
CLI_DYNAMIC = -Wl,-z,relro -Wl,-z,now -Wl,-Bstatic -lbsd -lmd -Wl,-Bdynamic
CLI_STATIC  = -static-pie -Wl,-z,relro -lbsd -lmd
# The link flags live here: a change to them relinks.
$(BIN): $(B)/obj/tools/bindwatch.o $(TOOL_OBJ) $(PURE_OBJ) Makefile
	$(CC) $(ALLCFLAGS) $(SANFLAGS) -o $@ $(filter %.o,$^) \
	    $(if $(SANFLAGS),$(CLI_DYNAMIC),$(CLI_STATIC))

$(B)/bindwatch-dynamic: $(B)/obj/tools/bindwatch.o $(TOOL_OBJ) $(PURE_OBJ) Makefile
	$(CC) $(ALLCFLAGS) $(SANFLAGS) -o $@ $(filter %.o,$^) $(CLI_DYNAMIC)

$(B)/fixtures/%: tests/fixtures/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -pthread -o $@ $< $(if $(findstring static,$*),-static)

$(B)/fixtures/lib%.so: tests/fixtures/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -shared -fPIC -o $@ $<

$(B)/test-unit: $(UNIT_SRC:%.c=$(B)/obj/%.o) $(TOOL_OBJ) $(PURE_OBJ) $(SHIM_ONLY_SRC:%.c=$(B)/obj/%.o)
	$(CC) $(ALLCFLAGS) $(SANFLAGS) -o $@ $^ -lcriterion -lbsd

$(B)/test-integration: $(INTEG_SRC:%.c=$(B)/obj/%.o) $(TOOL_OBJ) $(PURE_OBJ)
	$(CC) $(ALLCFLAGS) $(SANFLAGS) -o $@ $^ -lcriterion -lbsd

# Build dependencies, from Debian packages.  As root they are installed;
# otherwise the exact command is printed.
DEB_BUILD = build-essential libbsd-dev libcriterion-dev pkg-config iproute2 perl python3 jq
DEB_TEST  = nginx-light musl-tools redis-server memcached nodejs valgrind netcat-openbsd \
	    clang clang-tidy cppcheck libclang-rt-14-dev libcap2-bin
deps:
	@sh tests/deps.sh $(DEB_BUILD)

deps-test:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

# The whole suite: unit and integration tests, then the same again in the
# ASan+UBSan build.
check: deps-test
	$(MAKE) all musl $(B)/test-unit $(B)/test-integration
	$(B)/test-unit --jobs 2
	BW_BUILD=$(abspath $(B)) $(B)/test-integration --jobs 2
	$(MAKE) B=$(B)/san SAN=1 all musl $(B)/san/test-unit $(B)/san/test-integration
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(B)/san/test-unit --jobs 2
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	    BW_BUILD=$(abspath $(B)/san) $(B)/san/test-integration --jobs 2
	$(MAKE) werror lint tsan valgrind fuzz-smoke

unit: $(B)/test-unit
	$(B)/test-unit

demo: deps
	$(MAKE) all
	@sh tests/demo.sh $(B)

install: $(LIB) $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/bindwatch
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libbindwatch.so
	install -m 644 tools/bindwatch.1 $(DESTDIR)$(MANDIR)/man1/bindwatch.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/bindwatch $(DESTDIR)$(LIBDIR)/libbindwatch.so \
	    $(DESTDIR)$(MANDIR)/man1/bindwatch.1
	-rmdir $(DESTDIR)$(LIBDIR)

clean:
	rm -rf build

# Fuzzing and other optional targets live beside their sources.
-include tests/fuzz/fuzz.mk
-include bench/bench.mk
-include tests/musl.mk
-include tests/analysis.mk

.PHONY: all deps deps-test check unit demo install uninstall clean
