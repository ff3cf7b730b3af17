# shellcheck shell=sh
#
# An installed tree: `make check` runs `make install DESTDIR=$BW_BUILD/inst
# PREFIX=/opt/bw` first.  $I is that prefix.

I="$BW_BUILD/inst/opt/bw"
[ -x "$I/bin/bindwatch" ] || { echo "no installed tree at $I" >&2; exit 90; }
