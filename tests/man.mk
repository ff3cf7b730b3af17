# The manual pages.  Included by the top Makefile; like tests/analysis.mk,
# the target prints one verdict line ("lint-man: OK ..." or
# "lint-man: FAIL ...") and exits non-zero on any finding.
#
#	make lint-man	mandoc -Tlint -Wwarning over $(MANPAGES): any
#			message (warning, error, unsupported) is a failure
#
# Needs mandoc (Debian: mandoc).  A missing mandoc is a failure, not a
# skip.  Style messages (-Wstyle) are left out: among them are
# "referenced manual not found" for pages this machine does not have
# installed (libbindwatch(7) itself, before make install), so they depend
# on the machine, not on the pages.

MANPAGES	 = tools/bindwatch.1 tools/libbindwatch.7
MANDOC		?= mandoc

lint-man:
	@command -v $(MANDOC) >/dev/null 2>&1 || { \
	    echo "lint-man: FAIL ($(MANDOC) not installed; apt-get install mandoc)"; \
	    exit 1; }; \
	out=$$($(MANDOC) -Tlint -Wwarning $(MANPAGES) 2>&1); st=$$?; \
	if [ $$st -ne 0 ] || [ -n "$$out" ]; then \
	    printf '%s\n' "$$out"; \
	    echo "lint-man: FAIL (mandoc -Tlint -Wwarning, status $$st: see above)"; \
	    exit 1; \
	fi; \
	echo "lint-man: OK ($(words $(MANPAGES)) pages)"

.PHONY: lint-man
