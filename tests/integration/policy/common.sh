# shellcheck shell=sh
#
# What the policy scenarios that run a program under a policy share.  The
# table (test_policy.c) gives $MODE, cli or env, and the policy in both
# spellings, $POLCLI (bindwatch options) and $POLENV (BINDWATCH_*).  The
# CLI's runs end after --timeout 60 at the latest, the servers of
# these scenarios after 30 s (alarm); what a scenario started is killed
# when it exits.

set -f
bw_reap
P="$BW_IT/policy"
POLCLI=${POLCLI-}
POLENV=${POLENV-}
# The real python3, not a version manager's wrapper script.
PY=$(python3 -c 'import sys; print(sys.executable)')
case $PY in
/*)	;;
*)	echo 'cannot find python3' >&2; exit 95 ;;
esac
FMT=json
export MODE POLCLI POLENV PY FMT
if [ "$MODE" = cli ]; then EV="$D/report.json"; else EV="$D/events.json"; fi
# http.server serves the working directory, $D.
echo hello > "$D/hello.txt"

# A fresh event file (or report) for the next run.
fresh() { rm -f "$D/report.json" "$D/events.json"; : > "$EV"; }

# "$UNDER" CMD ARG...: run under the policy (see under.sh).  A program,
# so that "$UNDER" CMD & leaves the runner itself in $!.
# shellcheck disable=SC2034 # the scenarios run it
UNDER="$P/under.sh"

# CMD ARG...: start it under the policy, in the background, its output
# in $D/srv.out; $PID is the runner.
start() {
	"$UNDER" "$@" > "$D/srv.out" 2>&1 &
	PID=$!
}

# Clients, all to the namespace's loopback (see client.py).
client() { "$PY" "$P/client.py" "$@"; }

# Stop the runner started last ($PID) and say how it ended.
stop() { kill -TERM "$PID" 2>/dev/null; wait "$PID"; echo "status=$?"; }
