# shellcheck shell=sh
#
# fork, exec, vfork, posix_spawn: each process speaks for itself.  Events
# as "TYPE PID PPID COMM SEQ PORT", one a line, in ev.

BINDWATCH_FORMAT=json LD_PRELOAD=$LIB "$FIX/forker" 4 > f.out 2> f.json
echo "status=$?"
json_ok f.json || exit 93
echo "done=$(grep -c DONE f.out)"
echo "vfork=$(grep -c 'VFORK 0' f.out)"
echo "spawn=$(grep -c 'SPAWN 0' f.out)"
jq -r 'select(.type == "bind" or .type == "listen" or .type == "getaddrinfo")
    | "\(.type) \(.pid) \(.ppid) \(.comm) \(.seq) \(.bound_port // .port)"' f.json > ev
# Per process, sequence numbers 1..n without a gap.
echo "seqok=$(jq -s 'group_by(.pid) | map([.[].seq] | sort == [range(1; length + 1)]) | all' f.json)"
has() { grep -qxF "$1" ev && echo yes || echo "no: $1"; }

read -r _ PARENT PPORT _ <<PARENT
$(grep '^PARENT ' f.out)
PARENT
echo "parent_port=$PPORT"
# The parent's first event opens its sequence.
echo "parent_first=$(grep "^bind $PARENT " ev | head -n 1)"

# Each child: its own pid, the parent as ppid, a fresh sequence.
n=0 ok=0
while read -r _ cpid cppid cport _; do
	n=$((n + 1))
	[ "$cpid" != "$PARENT" ] && [ "$cppid" = "$PARENT" ] &&
	    [ "$(has "bind $cpid $PARENT forker 1 $cport")" = yes ] &&
	    [ "$(has "listen $cpid $PARENT forker 2 $cport")" = yes ] &&
	    [ "$(has "getaddrinfo $cpid $PARENT forker 3 null")" = yes ] &&
	    ok=$((ok + 1))
done <<CHILDREN
$(grep '^CHILD ' f.out)
CHILDREN
echo "children=$n"
echo "children_ok=$ok"
echo "children_distinct=$(grep '^CHILD ' f.out | cut -d ' ' -f 2 | sort -u | wc -l)"

# The exec'd image is observed: a new process image, a new sequence.
read -r _ EPID EPORT _ <<EXEC
$(grep '^EXEC ' f.out)
EXEC
echo "exec_bind=$(has "bind $EPID $PARENT forker 1 $EPORT")"
echo "exec_listen=$(has "listen $EPID $PARENT forker 2 $EPORT")"
sed 's/^/f.out: /' f.out >&2
sed 's/^/ev: /' ev >&2
