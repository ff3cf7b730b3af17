# shellcheck shell=sh
#
# What the sharing scenarios share: sock.py holds a socket in the state a
# scenario needs; its READY line gives the holder's pid.  What bindwatch
# says is checked against ss and against the holders' own pids.

bw_reap
# shellcheck disable=SC2034 # the scenarios run it
SOCK="$BW_IT/sharing/sock.py"

# FILE: until sock.py said READY in it; then its pid.
ready_pid() {
	bw_until "timeout: $1" grep -qs '^READY ' "$1" || exit 99
	number_after "$1" 'READY '
}

# FILE FILTER: jq -r FILTER on the summary of a --json report.
sj() { summary_jq "$1" "$2"; }

# A B: the two numbers, sorted, joined by a comma.
pair() { printf '%s\n' "$1" "$2" | sort -n | paste -sd , -; }
