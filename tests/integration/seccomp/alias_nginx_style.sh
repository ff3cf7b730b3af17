# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# nginx's `listen P; listen [::]:P` under --force 127.0.0.1: both binds
# ask for 127.0.0.1:P; the second socket is made the first (ADDFD), so
# the program starts and serves on the forced address.  Without --force
# both binds succeed on their own.
bw_reap
"$BW" --force 127.0.0.1 --json --timeout 3 -o run.json -- \
    "$FIX/sc_probe" alias 8600 < in > out 2>&1 &
bw_wait_grep out ALIAS || exit 1
echo "result=$(grep ALIAS out)"
echo "ss=$(ss -Hltn | awk '$4 ~ /:8600$/ { print $4 }' | sort | paste -sd ' ' -)"
echo "local=$(hello 127.0.0.1 8600)"
wait
first=$(jq -r 'select(.type == "bind") | .fd' run.json | head -n 1)
echo "alias_of_first=$(jq -r 'select(.type == "bind" and .alias_of_fd != null) | .alias_of_fd' run.json | sed "s/^$first$/yes/")"
