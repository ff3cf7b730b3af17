# shellcheck shell=sh
#
# At RLIMIT_NOFILE: every bind, listen, getaddrinfo and socket call of the
# program returns under bindwatch exactly what it returns without the
# shim, in the image that was started with free descriptors (phase A: the
# channel was set up first) and in one exec'd at the limit (phase B).
# The report never invents: every listener it names is one the program
# made; phase A's events arrive; phase B's arrive unless counted as lost.

# shellcheck disable=SC2016 # the inner shell's variable
sh -c 'ulimit -n 32 && exec "$FIX/fd_limit"' > bare 2>&1
echo "bare=$?"
# shellcheck disable=SC2016
"$BW" --json -o rep -- sh -c 'ulimit -n 32 && exec "$FIX/fd_limit"' > shim 2>&1
echo "shim=$?"
# phase A and B reached the limit, bare and under bindwatch
echo "a_emfile=$(cat bare shim | grep -c 'A socket -1 EMFILE')"
echo "b_emfile=$(cat bare shim | grep -c 'B socket -1 EMFILE')"
echo "b_bind=$(cat bare shim | grep -c 'B bind_v4 0 -')"
# Every call returned the same, with the same errno.
grep -E '^[AB] ' bare > bare.calls
grep -E '^[AB] ' shim > shim.calls
echo "calls=$(same_files bare.calls shim.calls)"
# descriptors the program could still open at ulimit -n 32
echo "filled_bare=$(number_after bare 'FILLED A ')"
echo "filled_shim=$(number_after shim 'FILLED A ')"

tail -n 1 rep > sum
json_ok sum || exit 93
LOST=$(jq -r .lost_events sum)
need_num LOST
echo "lost=$LOST"
echo "malformed=$(jq -r .malformed_events sum)"
echo "events=$(jq -r .events sum)"
# Phase A's listeners arrived; B's too unless lost events say why.
n=0 missing=
while read -r _ phase _ port _; do
	n=$((n + 1))
	if [ "$phase" = A ] || [ "$LOST" = 0 ]; then
		[ "$(jq "[.listening[] | select(.port == $port)] | length" sum)" = 1 ] ||
		    missing="$missing $phase:$port"
	fi
done <<PORTS
$(grep '^PORT ' shim)
PORTS
echo "ports=$n"
echo "missing=$missing"
# Nothing faked: no more listeners than the program made.
echo "listening=$(jq '.listening | length' sum)"
sed 's/^/shim: /' shim >&2
