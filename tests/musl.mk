# The shim and a fixture built against musl (Debian's musl-tools), so the
# integration tests can check that lists the shim builds are freed by a
# musl program's own freeaddrinfo.  Included by the top-level Makefile.
#
#	make musl	-> $(B)/musl/libbindwatch.so and $(B)/musl/gai_dump
#
# Without musl-gcc the target says so and builds nothing; the musl test
# then skips (it looks for $(B)/musl).  No sanitizers here: there is no
# ASan/UBSan runtime for musl, so SAN=1 builds the same plain library.

MUSL_CC		?= musl-gcc
MUSL_B		 = $(B)/musl
MUSL_OBJ	 = $(SHIM_SRC:shim/%.c=$(MUSL_B)/pic/%.o)
MUSL_FIX	 = $(MUSL_B)/gai_dump $(MUSL_B)/sc_probe
HAVE_MUSL_CC	:= $(shell command -v $(MUSL_CC) 2>/dev/null)

ifneq ($(HAVE_MUSL_CC),)
musl: $(MUSL_B)/libbindwatch.so $(MUSL_FIX)
else
musl:
	@echo "musl: $(MUSL_CC) not found (apt-get install musl-tools):" \
	    "not building $(MUSL_B); the musl test will be skipped" >&2
endif

$(MUSL_B)/pic/%.o: shim/%.c $(wildcard shim/*.h shim/core/*.h)
	@mkdir -p $(@D)
	$(MUSL_CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

# musl has dlsym in libc: no -ldl.
$(MUSL_B)/libbindwatch.so: $(MUSL_OBJ) shim/shim.map
	$(MUSL_CC) -shared $(ALLCFLAGS) -Wl,--version-script=shim/shim.map \
	    -Wl,-z,now -Wl,-z,relro -Wl,--no-undefined -o $@ $(MUSL_OBJ)

# Static: what Alpine builds, which no shim sees.
$(MUSL_B)/sc_probe: tests/fixtures/sc_probe.c
	@mkdir -p $(@D)
	$(MUSL_CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -pthread -static -o $@ $<

$(MUSL_B)/%: tests/fixtures/%.c
	@mkdir -p $(@D)
	$(MUSL_CC) $(ALLCPPFLAGS) $(ALLCFLAGS) -pthread -o $@ $<

.PHONY: musl
