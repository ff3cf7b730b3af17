# shellcheck shell=sh
#
# Sourced before every integration scenario (harness.c runs
# `sh -c '. "$BW_IT/lib.sh"; . SCENARIO'` inside the namespaces).  From the
# harness come $D (a private directory, the working directory), $BW_BUILD,
# $BW_IT (this directory), $BW_NETNS and $BW_HOSTS; see harness.h.
#
# A scenario prints key=value lines for what it observed; the C table of
# its suite says what they must be.  Every wait polls 100 x 50 ms: bounded,
# and no test depends on how fast anything is.

set -u
LIB="$BW_BUILD/libbindwatch.so"
FIX="$BW_BUILD/fixtures"
BW="$BW_BUILD/bindwatch"
# Inner shells (sh -c '...') and the programs see them too.
export D BW_BUILD BW_IT LIB FIX BW
if [ "$BW_HOSTS" = 1 ]; then
	mount --bind "$D/hosts" /etc/hosts ||
	    { echo "harness: cannot mount $D/hosts on /etc/hosts" >&2; exit 97; }
fi
if [ "$BW_NETNS" = 1 ]; then
	ip link set lo up || { echo 'harness: ip link set lo up failed' >&2; exit 98; }
	# A /dev/shm of the test's own: the collector directory of a
	# bindwatch a test kills (SIGKILL) goes with the namespace.
	mount -t tmpfs -o mode=1777 tmpfs /dev/shm ||
	    { echo 'harness: cannot mount a tmpfs on /dev/shm' >&2; exit 96; }
fi
cd "$D" || exit 96

# WHAT CMD...: until CMD succeeds; after 5 s, say "WHAT after 5 s" on
# stderr and fail.  Every wait below is one of these.
bw_until() {
	bw_until_n 100 "$@"
}

# N WHAT CMD...: the same, N tries 50 ms apart.
bw_until_n() {
	_n=$1
	_what=$2
	shift 2
	_i=0
	until "$@"; do
		_i=$((_i + 1))
		if [ $_i -ge "$_n" ]; then
			echo "$_what after $((_n / 20)) s" >&2
			return 1
		fi
		sleep 0.05
	done
}

# ADDR:PORT (ss -Hltn form: 127.0.0.1:3000, [::1]:3000, *:80): until a TCP
# listener on exactly that local address exists.
bw_wait_listen() {
	bw_until "harness: no TCP listener on $1" bw_listener "$1"
}
bw_listener() {
	ss -Hltn | awk -v a="$1" '$4 == a { f = 1 } END { exit !f }'
}

# FILE PATTERN: until grep -q PATTERN FILE.
bw_wait_grep() {
	bw_until "harness: no '$2' in $1" grep -qs -- "$2" "$1"
}

bw_ss() { ss -Hltnp; }

# Kill what the scenario left in the background when it exits.  dash
# forgets its jobs inside $(...): list them to a file first.
bw_reap() {
	trap 'jobs -p > "$D/jobs"; kill $(cat "$D/jobs") 2>/dev/null; wait' EXIT
}

# Lines on stdin joined by spaces: one key=value line for a list.
joined() { paste -sd ' ' -; }

# PORT: "proto local-address" of everything ss lists on it, sorted.
listening() {
	ss -Hltnup "sport = :$1" | awk '{ print $1 " " $5 }' | sort | joined
}

# PORT [EXPECTED]: until something (or exactly EXPECTED) listens there.
wait_listen() {
	bw_until "timeout: port $1" listening_is "$@" ||
	    { echo "port $1 has: $(listening "$1")" >&2; return 1; }
}
listening_is() {
	_l=$(listening "$1")
	[ -n "$_l" ] && { [ $# -lt 2 ] || [ "$_l" = "$2" ]; }
}

# PORT: how many processes hold its sockets.
npids() {
	ss -Hltnup "sport = :$1" | grep -o 'pid=[0-9]*' | sort -u | wc -l
}

# PORT N: until N processes hold its sockets.
wait_pids() {
	bw_until "timeout: pids on $1" npids_at_least "$1" "$2"
}
npids_at_least() { [ "$(npids "$1")" -ge "$2" ]; }

# FILE TEXT: until FILE has a line with TEXT (fixed string).
wait_text() {
	bw_until "timeout: $1: $2" grep -qsF "$2" "$1"
}

# Events, JSON Lines of the shim or the CLI's --json report, in $EV.
# One word per bind event: requested>used=ret[:errno]:action.
binds() {
	jq -r 'select(.type=="bind") | "\(.requested_addr)/\(.requested_port)>\(.addr)/\(.port)=\(.ret)\(if .errno then ":" + .errno else "" end):\(.action)"' "$EV" | joined
}

listens() {
	jq -r 'select(.type=="listen") | "\(.addr)/\(.port)=\(.ret):\(.action)"' "$EV" | joined
}

bind_pids() { jq -r 'select(.type=="bind") | .pid' "$EV" | sort -u | joined; }
bind_fds() { jq -r 'select(.type=="bind") | .fd' "$EV" | joined; }

# The CLI's summary: what it rewrote, what failed, the fallbacks.
rewritten() {
	jq -r 'select(.type=="summary") | .rewritten[] | "\(.requested_addr)/\(.requested_port)>\(.addr)/\(.port):\(.action)\(if .alias_of_fd != null then ":alias" else "" end)"' "$EV" | joined
}

failed() {
	jq -r 'select(.type=="summary") | .failed[] | "\(.addr)/\(.port):\(.errno):\(if .refused_by_policy then "policy" else "kernel" end)"' "$EV" | joined
}

fallbacks() {
	jq -r 'select(.type=="summary") | .fallbacks[] | "\(.tried_addr)/\(.tried_port)>\(.addr)/\(.port)"' "$EV" | joined
}

summary_listening() {
	jq -r 'select(.type=="summary") | .listening[] | "\(.addr)/\(.port)"' "$EV" | sort | joined
}

# NODE (or null): the addresses of each getaddrinfo event for it.
gai() {
	jq -r --arg n "$1" 'select(.type=="getaddrinfo" and ((.node // "null") == $n)) | "\([.addrs[] | (if .family == "inet6" then "[\(.addr)]" else .addr end) + ":\(.port)"] | join(",")):\(.action)"' "$EV" | joined
}

gai_orig() {
	jq -r --arg n "$1" 'select(.type=="getaddrinfo" and ((.node // "null") == $n)) | [(.original // [])[] | .addr] | join(",")' "$EV" | joined
}

# KEY FILE: FILE's lines as KEY0=..., KEY1=..., one key=value line each.
numbered() {
	awk -v k="$1" '{ print k (NR - 1) "=" $0 }' "$2"
}

# yes when "$1" = "$2" and they are not empty (nothing seen is no
# match), else what differed: a comparison as a value.
same() {
	if [ -n "$1" ] && [ "$1" = "$2" ]; then
		echo yes
	else
		echo "no: '$1' vs '$2'"
	fi
}

# ADDR:PORT [FILE]: "comm pid fd" of the first owner of the TCP listener
# on exactly that local address, as ss -Hltnp says now (or said, in FILE);
# nothing when there is none.
ss_owner() {
	{ if [ $# -gt 1 ]; then cat "$2"; else ss -Hltnp; fi; } |
	    awk -v a="$1" '$4 == a {
		if (match($0, /\(\("[^"]*",pid=[0-9]+,fd=[0-9]+\)/)) {
			s = substr($0, RSTART + 3, RLENGTH - 4)
			gsub(/",pid=|,fd=/, " ", s)
			print s
		}
		exit
	}'
}

# FILE: every line parses as strict JSON (and UTF-8); else say where.
json_ok() {
	python3 -c 'import json, sys
for n, l in enumerate(open(sys.argv[1], "rb"), 1):
    try:
        json.loads(l)
    except ValueError as e:
        sys.exit("%s:%d: %s" % (sys.argv[1], n, e))' "$1"
}

# FILE PREFIX: the number after PREFIX (a sed pattern) in FILE, on the
# first line that has one.
number_after() {
	sed -n "s/.*$2\([0-9][0-9]*\).*/\1/p" "$1" | head -n 1
}

# FILE1 FILE2: yes when they are the same, else their diff on one line.
same_files() {
	if cmp -s "$1" "$2"; then echo yes; else diff "$1" "$2" | joined; fi
}

# FILE TEXT: how many lines of FILE contain TEXT (a fixed string).
count() { grep -cF -- "$2" "$1"; }

# FILE FILTER: jq -r FILTER on the CLI's last summary in FILE (its --json
# report), the first line of the answer.
summary_jq() {
	grep '^{"type":"summary"' "$1" | tail -n 1 | jq -r "$2" | head -n 1
}

# NAME...: each variable NAME holds a whole number, else the scenario
# fails saying which (arithmetic on "null" or "" would not).
need_num() {
	for _v; do
		_x=
		eval "_x=\${$_v-}"
		case $_x in
		'' | *[!0-9]*)
			echo "$_v is no number: '$_x'" >&2
			exit 94 ;;
		esac
	done
}
