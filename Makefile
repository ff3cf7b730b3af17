# bindwatch: see README.md.  `make demo` and `make check` are all a newcomer needs.
.SUFFIXES:

# The version is written once, in debian/changelog's first line.
VERSION	:= $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)

CC	?= cc
B	?= build

# Multiarch (Debian, Ubuntu): each architecture's shim lives in
# lib/TRIPLET/bindwatch, and the CLI preloads PREFIX/$LIB/bindwatch/
# libbindwatch.so, which ld.so expands to each process's own library
# directory.  Without a triplet (other systems), one lib/bindwatch.
MULTIARCH ?= $(shell $(CC) -print-multiarch 2>/dev/null)
# A 32-bit shim too, where the compiler can link 32-bit programs
# (gcc-multilib).  Its loader's $LIB is lib32 (gcc-multilib's libc6-i386)
# or lib/i386-linux-gnu (a multiarch libc6:i386): it goes in both.
HAVE_M32 := $(if $(MULTIARCH),$(shell printf 'int main(void){return 0;}\n' | \
	    $(CC) -m32 -x c -o /dev/null - 2>/dev/null && echo yes))
MULTIARCH32 := $(if $(HAVE_M32),$(shell $(CC) -m32 -print-multiarch 2>/dev/null))
ifeq ($(MULTIARCH32),)
HAVE_M32 :=
endif
# gcc says lib32 (as ../lib32); clang does not say: the same default.
LIB32DIR := $(if $(HAVE_M32),$(or $(patsubst ../%,%,$(shell $(CC) -m32 \
	    -print-multi-os-directory 2>/dev/null)),lib32))

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
LIBDIR	?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))/bindwatch
MANDIR	?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
DESTDIR	?=

WARN	 = -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wformat=2
OPT	?= -O2 -g
# SAN=1: the sanitizer build (ASan+UBSan for the CLI and the tests; the
# shim gets UBSan only, as ASan must be the first library of a process).
ifeq ($(SAN),1)
SANFLAGS	 = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SHIMSAN		 = -fsanitize=undefined -fno-sanitize-recover=all
endif
# Ours, then the user's: `make CPPFLAGS=-DX` keeps the include paths.
BW_CPPFLAGS = -D_GNU_SOURCE -Ishim/core -Ishim -Itools -Itools/kernel \
	      -Itools/report -Itools/seccomp -DBW_LIBDIR='"$(LIBDIR)"' -DBW_MULTIARCH='"$(MULTIARCH)"' \
	      -DBINDWATCH_VERSION='"$(VERSION)"'
ALLCPPFLAGS = $(BW_CPPFLAGS) $(CPPFLAGS)
ALLCFLAGS = -std=c11 $(WARN) $(OPT) $(CFLAGS)
# Header dependencies, written by the compiler.
DEPFLAGS = -MMD -MP

# shim/core: the pure code linked into the CLI and the tests, and into the
# shim but for the kernel's rules, which only the CLI asks.
PURE_SRC  = $(wildcard shim/core/*.c)
SHIM_SRC  = $(wildcard shim/*.c) $(filter-out shim/core/kernelrules.c,$(PURE_SRC))
# Pure parts only the shim and the unit tests use.
SHIM_ONLY_SRC = shim/sockcache.c shim/arena.c
TOOL_SRC  = $(filter-out tools/bindwatch.c,$(wildcard tools/*.c)) \
	    $(wildcard tools/kernel/*.c tools/report/*.c tools/seccomp/*.c)
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
# The shims as an installed tree has them, so the CLI in $(B) preloads
# $(B)/$LIB/bindwatch/libbindwatch.so like an installed one.
LIBTREE	= $(if $(MULTIARCH),$(B)/lib/$(MULTIARCH)/bindwatch/libbindwatch.so)
LIB32	= $(if $(HAVE_M32),$(B)/lib/$(MULTIARCH32)/bindwatch/libbindwatch.so \
	    $(B)/$(LIB32DIR)/bindwatch/libbindwatch.so)
FIXTURES32 = $(if $(HAVE_M32),$(FIX32:%=$(B)/fixtures32/%))
FIX32	= bind_once gai_walker sc_probe

all: progs $(FIXTURES) $(FIXTURES32)

# What is installed: the shims and the CLI.
progs: $(LIB) $(LIBTREE) $(LIB32) $(BIN)

$(B)/pic/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) $(DEPFLAGS) $(SHIMSAN) -fPIC -fvisibility=hidden -c $< -o $@

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) $(DEPFLAGS) $(SANFLAGS) -c $< -o $@

# --version says what debian/changelog says.
$(B)/obj/tools/bindwatch.o: debian/changelog

# No exported globals, nothing but the hooks (shim.map); libc (and libdl
# on old glibc) only.  Every process of a tree loads it, so it loads
# cheaply (bench/RESULTS.md, start-up, and its "Figures once quoted in
# the source"): two segments instead of four (noseparate-code); lazy
# binding, as the real functions are found by dlsym anyway (real.c; -z now
# costs every process its eager relocations); and no RELRO, whose mprotect
# splits the data mapping to guard a GOT that lazy binding and the shim's
# own function pointers leave writable anyway.
# tests/integration/test_shim.c (load_layout) pins it.
# After the user's LDFLAGS, so that a distribution's -z relro -z now does
# not undo it (debian/*.lintian-overrides say so too).
SHIM_LDFLAGS = -Wl,--version-script=shim/shim.map -Wl,-z,norelro -Wl,-z,lazy \
	       -Wl,-z,noseparate-code -Wl,--no-undefined
$(LIB): $(SHIM_OBJ) shim/shim.map Makefile
	$(CC) -shared $(ALLCFLAGS) $(SHIMSAN) $(LDFLAGS) $(SHIM_LDFLAGS) \
	    -o $@ $(SHIM_OBJ) -ldl $(LDLIBS)

# The CLI is a static PIE: loading libc.so, libbsd and libmd (mapping and
# relocating them) was most of what bindwatch added to a command's start-up
# beyond any supervisor's fork, exec and wait (bench/RESULTS.md, start-up,
# and its "Figures once quoted in the source").  glibc warns at the link that
# getaddrinfo and getpwuid then load NSS modules other than files and dns
# from the glibc it was built with: make builds it here, against this
# system's.  The sanitizer build stays dynamic, and so does
# $(B)/bindwatch-dynamic, which valgrind runs (it cannot follow the
# allocator of a static program).
CLI_DYNAMIC = -Wl,-z,relro -Wl,-z,now -Wl,-Bstatic -lbsd -lmd -Wl,-Bdynamic
CLI_STATIC  = -static-pie -Wl,-z,relro -lbsd -lmd
# The link flags live here: a change to them relinks.
$(BIN): $(B)/obj/tools/bindwatch.o $(TOOL_OBJ) $(PURE_OBJ) Makefile
	$(CC) $(ALLCFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LDLIBS) \
	    $(if $(SANFLAGS),$(CLI_DYNAMIC),$(CLI_STATIC))

$(B)/bindwatch-dynamic: $(B)/obj/tools/bindwatch.o $(TOOL_OBJ) $(PURE_OBJ) Makefile
	$(CC) $(ALLCFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LDLIBS) $(CLI_DYNAMIC)

$(LIBTREE): $(LIB)
	@mkdir -p $(@D)
	ln -f $< $@

# The 32-bit shim: the same sources, no sanitizer (its runtime may be
# missing for 32 bits), large-file interfaces as on 64 bits.
SHIM32_OBJ = $(SHIM_SRC:%.c=$(B)/pic32/%.o)
$(B)/pic32/%.o: %.c
	@mkdir -p $(@D)
	$(CC) -m32 -D_FILE_OFFSET_BITS=64 $(ALLCPPFLAGS) $(ALLCFLAGS) -Wno-psabi \
	    $(DEPFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(B)/lib/$(MULTIARCH32)/bindwatch/libbindwatch.so: $(SHIM32_OBJ) shim/shim.map Makefile
	@mkdir -p $(@D)
	$(CC) -m32 -shared $(ALLCFLAGS) $(LDFLAGS) $(SHIM_LDFLAGS) \
	    -o $@ $(SHIM32_OBJ) -ldl $(LDLIBS)

$(B)/$(LIB32DIR)/bindwatch/libbindwatch.so: $(B)/lib/$(MULTIARCH32)/bindwatch/libbindwatch.so
	@mkdir -p $(@D)
	ln -f $< $@

$(B)/fixtures32/sc_probe: tests/fixtures/sc_probe.c
	@mkdir -p $(@D)
	$(CC) -m32 $(ALLCPPFLAGS) $(ALLCFLAGS) -pthread -static -o $@ $<

$(B)/fixtures32/%: tests/fixtures/%.c
	@mkdir -p $(@D)
	$(CC) -m32 $(ALLCPPFLAGS) $(ALLCFLAGS) -pthread -o $@ $<

# The one fixture that must be static: the loader never preloads into it.
$(B)/fixtures/static_listener: tests/fixtures/static_listener.c
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -pthread -static -o $@ $<

# Static, with raw system calls: only the seccomp supervisor sees it.
$(B)/fixtures/sc_probe: tests/fixtures/sc_probe.c
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -pthread -static -o $@ $<

$(B)/fixtures/%: tests/fixtures/%.c
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -pthread -o $@ $<

$(B)/fixtures/lib%.so: tests/fixtures/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -shared -fPIC -o $@ $<

$(B)/test-unit: $(UNIT_SRC:%.c=$(B)/obj/%.o) $(TOOL_OBJ) $(PURE_OBJ) $(SHIM_ONLY_SRC:%.c=$(B)/obj/%.o)
	$(CC) $(ALLCFLAGS) $(SANFLAGS) -o $@ $^ -lcriterion -lbsd

$(B)/test-integration: $(INTEG_SRC:%.c=$(B)/obj/%.o) $(TOOL_OBJ) $(PURE_OBJ)
	$(CC) $(ALLCFLAGS) $(SANFLAGS) -o $@ $^ -lcriterion -lbsd

# Build dependencies, from Debian packages.  As root they are installed;
# otherwise the exact command is printed.
DEB_BUILD = build-essential libbsd-dev libcriterion-dev pkg-config iproute2 perl python3 jq
DEB_TEST  = nginx-light musl-tools redis-server memcached nodejs valgrind netcat-openbsd strace \
	    golang-go curl lighttpd haproxy dnsmasq-base php-cli postgresql \
	    openssh-server gunicorn rsync dnsutils apache2 \
	    clang clang-tidy cppcheck libclang-rt-14-dev libcap2-bin \
	    mandoc bash-completion zsh shellcheck busybox-static caddy \
	    $(if $(filter amd64,$(shell dpkg --print-architecture 2>/dev/null)),gcc-multilib)
deps:
	@sh tests/deps.sh $(DEB_BUILD)

deps-test:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

# The whole suite: unit and integration tests, then the same again in the
# ASan+UBSan build.
# Each build is also installed (DESTDIR=BUILD/inst, PREFIX=/opt/bw) for the
# tests of an installed tree (tests/integration/install/).
check: deps-test
	$(MAKE) all musl $(B)/test-unit $(B)/test-integration
	rm -rf $(B)/inst && $(MAKE) install DESTDIR=$(abspath $(B))/inst PREFIX=/opt/bw
	$(B)/test-unit --jobs 2
	BW_SRC=$(CURDIR) BW_BUILD=$(abspath $(B)) $(B)/test-integration --jobs 2
	sh tests/completion.sh
	$(MAKE) B=$(B)/san SAN=1 all musl $(B)/san/test-unit $(B)/san/test-integration
	rm -rf $(B)/san/inst && $(MAKE) B=$(B)/san SAN=1 install \
	    DESTDIR=$(abspath $(B))/san/inst PREFIX=/opt/bw
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(B)/san/test-unit --jobs 2
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp BW_SRC=$(CURDIR) \
	    BW_BUILD=$(abspath $(B)/san) $(B)/san/test-integration --jobs 2
	$(MAKE) werror lint lint-sh lint-man lint-includes tsan valgrind fuzz-smoke

unit: $(B)/test-unit
	$(B)/test-unit

demo: deps
	$(MAKE) all
	@sh tests/demo.sh $(B)

# The 32-bit shim goes where both 32-bit loaders look ($LIB: lib32 and
# lib/i386-linux-gnu); the second is a link to the first.
LIBDIR32 = $(PREFIX)/$(LIB32DIR)/bindwatch
LIBDIR32MA = $(PREFIX)/lib/$(MULTIARCH32)/bindwatch
INSTALLED = $(BINDIR)/bindwatch $(LIBDIR)/libbindwatch.so \
	    $(MANDIR)/man1/bindwatch.1 $(MANDIR)/man7/libbindwatch.7 \
	    $(BASHCOMPDIR)/bindwatch $(ZSHCOMPDIR)/_bindwatch \
	    $(if $(HAVE_M32),$(LIBDIR32)/libbindwatch.so $(LIBDIR32MA)/libbindwatch.so)

install: $(LIB) $(LIB32) $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/bindwatch
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libbindwatch.so
	install -m 644 tools/bindwatch.1 $(DESTDIR)$(MANDIR)/man1/bindwatch.1
	install -m 644 tools/libbindwatch.7 $(DESTDIR)$(MANDIR)/man7/libbindwatch.7
	install -m 644 completion/bindwatch.bash $(DESTDIR)$(BASHCOMPDIR)/bindwatch
	install -m 644 completion/_bindwatch $(DESTDIR)$(ZSHCOMPDIR)/_bindwatch
ifneq ($(HAVE_M32),)
	install -d $(DESTDIR)$(LIBDIR32) $(DESTDIR)$(LIBDIR32MA)
	install -m 644 $(B)/lib/$(MULTIARCH32)/bindwatch/libbindwatch.so \
	    $(DESTDIR)$(LIBDIR32)/libbindwatch.so
	ln -sf ../../../$(LIB32DIR)/bindwatch/libbindwatch.so $(DESTDIR)$(LIBDIR32MA)/libbindwatch.so
endif

uninstall:
	rm -f $(INSTALLED:%=$(DESTDIR)%)
	-rmdir $(DESTDIR)$(LIBDIR) $(if $(HAVE_M32),$(DESTDIR)$(LIBDIR32) $(DESTDIR)$(LIBDIR32MA))

clean:
	rm -rf $(B)

# Debian packages, built from a copy of this tree (dpkg-buildpackage writes
# beside the source), left in $(B)/deb; lintian must pass, warnings too.
DEB_DEPS = dpkg-dev debhelper fakeroot lintian libmd-dev \
	   $(if $(filter amd64,$(shell dpkg --print-architecture 2>/dev/null)),gcc-multilib)
deb:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_DEPS)
	rm -rf $(B)/deb && mkdir -p $(B)/deb/src/bindwatch-$(VERSION)
	tar -cf - --exclude=./$(B) --exclude=./.git . | \
	    tar -xf - -C $(B)/deb/src/bindwatch-$(VERSION)
	cd $(B)/deb/src/bindwatch-$(VERSION) && dpkg-buildpackage -b -us -uc >../build.log 2>&1 || \
	    { tail -40 ../build.log; exit 1; }
	mv $(B)/deb/src/*.deb $(B)/deb/src/*.changes $(B)/deb/src/*.buildinfo $(B)/deb/
	lintian --fail-on error,warning --suppress-tags bad-distribution-in-changes-file $(B)/deb/*.changes
	@ls $(B)/deb/*.deb

# The packages on a fresh Debian made with debootstrap: install, the story,
# a 32-bit program, purge, nothing left behind.  CI runs it after check.
check-fresh: deb
	@sh tests/deps.sh debootstrap iproute2 jq
	sh tests/fresh.sh $(B)

# Fuzzing and other optional targets live beside their sources.
-include tests/fuzz/fuzz.mk
-include bench/bench.mk
-include tests/musl.mk
-include tests/analysis.mk
-include tests/man.mk
-include $(shell find $(B)/obj $(B)/pic $(B)/pic32 -name '*.d' 2>/dev/null)

.PHONY: all progs deps deps-test check unit demo install uninstall clean deb check-fresh
