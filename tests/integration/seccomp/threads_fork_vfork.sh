# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# The filter is inherited by threads, forks and execs: eight threads bind
# at once, a fork binds, a vfork+exec binds; every bind and listen is an
# event of the right process and nothing is unseen.
bw_reap

"$BW" --json --timeout 4 -o threads.json -- \
    "$FIX/sc_probe" threads 8 8200 < in > threads.out 2>&1 &
bw_wait_grep threads.out 'OK ' || exit 1
echo "threads=$(grep '^OK' threads.out)"
echo "threads_ss=$(ss -Hltn | awk '$4 ~ /^127.0.0.1:82/' | wc -l)"
wait
echo "threads_sources=$(sources threads.json)"
echo "threads_unseen=$(unseen threads.json)"

"$BW" --json --timeout 4 -o fork.json -- \
    "$FIX/sc_probe" fork 8300 < in > fork.out 2>&1 &
bw_wait_grep fork.out FORKED || exit 1
bw_wait_listen 127.0.0.1:8301 || exit 1
echo "fork_ss=$(ss -Hltn | awk '$4 ~ /^127.0.0.1:830/' | wc -l)"
echo "fork_reached=$(hello 127.0.0.1 8300) $(hello 127.0.0.1 8301) $(hello 127.0.0.1 8302)"
wait
echo "fork_pids=$(jq -r 'select(.type == "listen") | .pid' fork.json | sort -u | wc -l)"
echo "fork_sources=$(sources fork.json)"
echo "fork_unseen=$(unseen fork.json)"
