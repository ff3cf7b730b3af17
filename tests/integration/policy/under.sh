#!/bin/sh
# under.sh CMD ARG...: run CMD under the policy of the moment, the CLI's
# way ($MODE cli: bindwatch --timeout 60 -o FILE $POLCLI) or the bare
# shim's (LD_PRELOAD, $POLENV), exec'ing so that $! is the runner itself.
# $FMT is json (events and the CLI's report) or text.  A program, not a
# function: inherit.py execs it.
set -f
if [ "$MODE" = cli ]; then
	J=--json
	[ "$FMT" = json ] || J=
	# shellcheck disable=SC2086 # word-split on purpose (globbing is off)
	exec "$BW" $J --timeout 60 -o "$D/report.json" $POLCLI -- "$@"
fi
# shellcheck disable=SC2086 # likewise
exec env LD_PRELOAD="$LIB" BINDWATCH_FORMAT="$FMT" \
    BINDWATCH_LOG="$D/events.json" $POLENV "$@"
