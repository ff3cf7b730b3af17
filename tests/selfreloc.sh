#!/bin/sh
# Fail when a shim library has a relocation against a symbol it exports.
# Such a relocation (a JUMP_SLOT or GLOB_DAT for close, say) means the
# shim calls its own hook where it meant libc's: inside the shim libc is
# reached through real.c only.  make lint-shim runs it on every shim built.
#
#	sh tests/selfreloc.sh LIB...
status=0
for lib in "$@"; do
	# nm's exports first ("E ADDR TYPE NAME"), then readelf's relocations
	# ("R OFFSET INFO TYPE VALUE NAME[@VERSION] ...").
	out=$( { nm -D --defined-only "$lib" | sed 's/^/E /' &&
	    readelf -rW "$lib" | sed 's/^/R /'; } | awk '
	    $1 == "E" && NF >= 4 { ex[$4] = 1; nex++; next }
	    $1 == "R" && NF >= 6 && $2 ~ /^[0-9a-f]+$/ {
		nrel++; n = $6; sub(/@.*/, "", n)
		if (n in ex) bad = bad " " n " (" $4 ")"
	    }
	    END {
		if (nex == 0 || nrel == 0) print "unreadable"
		else if (bad != "") print "own" bad
		else print "ok " nex
	    }') || out=unreadable
	case $out in
	ok*)	echo "  lint-shim: $lib: no relocation against" \
		    "its ${out#ok } exports";;
	own*)	echo "lint-shim: FAIL ($lib relocates its own" \
		    "exports:${out#own}: call libc through real.c)"
		status=1;;
	*)	echo "lint-shim: FAIL ($lib: no exports or relocations read)"
		status=1;;
	esac
done
exit $status
