# shellcheck shell=sh
#
# 64 threads at once: 64 binds, 64 listens, every port the kernel's.  The
# ports as the program, the events and ss say, each list sorted.

BINDWATCH_FORMAT=json LD_PRELOAD=$LIB "$FIX/threaded_binder" --hold \
    > t.out 2> t.json &
P=$!
bw_wait_grep t.out READY || exit 90
ss -Hltnp | awk -v p="pid=$P," 'index($0, p) {
	n = split($4, a, ":"); print a[n] }' | sort -n > ss.ports
kill -USR1 $P
wait $P
echo "status=$?"
json_ok t.json || exit 93
echo "ok=$(grep -c '^OK$' t.out)"
sed -n 's/^PORT [0-9]* \([0-9]*\).*/\1/p' t.out | sort -n > prog.ports
jq -r 'select(.type == "bind" and .ret == 0) | .bound_port' t.json | sort -n > bind.ports
jq -r 'select(.type == "listen" and .ret == 0) | .port' t.json | sort -n > listen.ports
echo "prog=$(wc -l < prog.ports)"
echo "prog_distinct=$(sort -u prog.ports | wc -l)"
echo "prog_least=$(head -n 1 prog.ports)"
echo "binds=$(same "$(cat bind.ports)" "$(cat prog.ports)")"
echo "listens=$(same "$(cat listen.ports)" "$(cat prog.ports)")"
echo "ss=$(same "$(cat ss.ports)" "$(cat prog.ports)")"
# The second bind of each socket fails: its errno as the kernel's.
echo "bindfail_einval=$(jq -r 'select(.type == "bind" and .ret == -1) | .errno' t.json | grep -c '^EINVAL$')"
echo "gai_ok=$(jq -r 'select(.type == "getaddrinfo") | "\(.ret) \(.addrs[0].addr)"' t.json | grep -c '^0 127\.0\.0\.1$')"
echo "events=$(wc -l < t.json)"
sed 's/^/t.out: /' t.out >&2
